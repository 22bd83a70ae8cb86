// The dates Azure Cost Management accepts when a budget or an export is created, from the clock at
// deployment time. Components pass them with ignoreChanges, so each is fixed when its resource is created.

/** The schedule end the Azure portal fills in for exports. */
export const EXPORT_END = "2050-02-01T00:00:00Z";

const day = (date: Date) => date.toISOString().slice(0, 10);
const monthStart = (year: number, month: number) => day(new Date(Date.UTC(year, month, 1)));

/**
 * A budget's start: `earliest` (YYYY-MM-01) or the first of the current month, whichever is later. Budget
 * timePeriod.startDate "must be first of the month"; a past start only "within the timegrain period", so
 * for a monthly budget no earlier than this month (Microsoft.CostManagement BudgetTimePeriod).
 */
export function budgetStartDate(earliest?: string, now = new Date()): string {
  const current = monthStart(now.getUTCFullYear(), now.getUTCMonth());
  return `${earliest !== undefined && earliest > current ? earliest : current}T00:00:00Z`;
}

/** The latest start Azure takes: "Future start date should not be more than twelve months" (BudgetTimePeriod). */
export function latestBudgetStart(now = new Date()): string {
  return monthStart(now.getUTCFullYear(), now.getUTCMonth() + 12);
}

/**
 * An export schedule's period: from `earliest` (YYYY-MM-DD) or tomorrow, whichever is later, since "the
 * start date must be in future" (ExportSchedule.recurrencePeriod), to 2050-02-01, the end the portal fills
 * in (MicrosoftDocs/azure-docs#106590). Without `to` the service rejects the schedule with "'from' value
 * cannot be after 'to' value" (Azure/bicep#6519).
 */
export function exportSchedulePeriod(earliest?: string, now = new Date()): { from: string; to: string } {
  const tomorrow = day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)));
  return { from: `${earliest !== undefined && earliest > tomorrow ? earliest : tomorrow}T00:00:00Z`, to: EXPORT_END };
}
