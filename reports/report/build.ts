// Builds a month's report data once: the month pipeline over a window of months (for trends and
// forecasts), the invoices and the daily series, then each section of sections/ in order.
import type { DuckDBConnection } from "@duckdb/node-api";
import type { CostModel } from "../../model";
import type { DirectAttribution } from "../attribute/direct";
import { loadAdjustments } from "../read/adjustments";
import { buildInvoices, invoiceId } from "../chargeback/invoices";
import { Decimal } from "../money";
import { presentAllocation } from "../allocate/present";
import { runMonth } from "../month/pipeline";
import { queryCharges } from "../read/billing";
import { historyCut, type SetAside } from "../read/overlap";
import type { LoadOptions, MonthChoice } from "../read/charges";
import { sqlString, withDuckDB } from "../read/duckdb";
import { Totals } from "../totals";
import { lastDayOf, previousMonthOf, rollUpAll, zero, type DailySeries, type ReportContext } from "./context";
import type { ReportData } from "./data";
import { SECTIONS } from "./sections";

export type { ReportData, TeamLine } from "./data";

export interface ReportOptions {
  config: string;
  input: string[];
  month?: string;
  metrics?: string;
  metering?: string;
  adjustments?: string;
  /** OpenCost allocation files or globs. */
  k8s?: string[];
  skipBadRows?: boolean;
  onProgress?: LoadOptions["onProgress"];
  whileScanning?: LoadOptions["whileScanning"];
}

const TREND_MONTHS = 6;

export interface BuiltReport {
  data: ReportData;
  model: CostModel;
  /** Direct attribution of the month, kept for checks against a sample's truth. */
  attribution: DirectAttribution;
  /** Usage cost missing a valid value for a required tag, for checks against a sample's truth. */
  untaggedUsage: string;
  files: string[];
  /** Which month was reported and why, for the CLI to say. */
  monthChoice: MonthChoice;
  /** Inputs set aside for the cost basis, for the CLI to say. */
  setAside: SetAside[];
  /** What in allot.yaml matches nothing in the month, said on stderr and in the notes. */
  warnings: string[];
}

export async function buildReport(options: ReportOptions, generatedAt: string | null = null): Promise<BuiltReport> {
  return withDuckDB(async (db) => {
    const run = await runMonth(db, { ...options, byResource: true, usageDays: true, allocateMonths: TREND_MONTHS });
    const { model, month } = run;
    const previousMonth = previousMonthOf(month);
    const parties = new Set([...model.teams.keys(), ...model.units.map((u) => u.id)].map((p) => invoiceId(month, p)));
    const adjustments = options.adjustments ? await loadAdjustments(db, options.adjustments, parties, model.currency) : [];
    const current = run.allocation;
    const rolledByMonth = rollUpAll(model, run.allocations);
    const rolled = rolledByMonth.get(month)!;

    const teamIds = model.units.flatMap((u) => u.teams.map((t) => t.id));
    const { presented } = run;

    const ctx: ReportContext = {
      model, month, previousMonth, generatedAt, run, current,
      previous: run.allocations.get(previousMonth),
      rolled,
      lastRolled: rolledByMonth.get(previousMonth),
      rolledByMonth,
      shownByMonth: new Map([...run.allocations].map(([m, r]) => [m, m === month ? presented.rolled : presentAllocation(model, r).rolled])),
      invoices: buildInvoices(model, month, current, run.teamCompliance, adjustments, presented).invoices,
      adjustments,
      // After a month read only in part, the anomaly baseline starts where the trend does.
      daily: await dailyByTeamAndService(db, month, run.groups.rate, historyCut(month, run.groups.setAside) === undefined ? undefined : run.windowMonths[0]),
      shown: {
        places: presented.places,
        teams: new Map(teamIds.map((t) => [t, presented.rolled.teams.get(t) ?? zero])),
        units: presented.rolled.units,
        allocated: presented.allocated,
        unallocated: presented.unallocated.total(),
        unallocatedByReason: presented.unallocated,
      },
      services: {
        now: Totals.of(run.rows, (r) => r.service ?? "(none)", (r) => r.cost),
        before: Totals.of(run.allMonths.filter((r) => r.month === previousMonth), (r) => r.service ?? "(none)", (r) => r.cost),
      },
    };
    const built: Partial<ReportData> = {};
    for (const s of SECTIONS) (built as Record<string, unknown>)[s.key] = s.build(ctx, built);
    const b = built as ReportData;
    const data: ReportData = {
      month,
      currency: model.currency,
      costBasis: model.costBasis,
      config: model.file.split("/").pop() ?? model.file,
      generatedAt,
      summary: b.summary, composition: b.composition, units: b.units, teams: b.teams, breakdowns: b.breakdowns, unitCosts: b.unitCosts,
      compliance: b.compliance, rules: b.rules, unallocated: b.unallocated, invoices: b.invoices, adjustments: b.adjustments, trend: b.trend,
      anomalies: b.anomalies, forecast: b.forecast, recommendations: b.recommendations, ai: b.ai, kubernetes: b.kubernetes, withheld: b.withheld, notes: b.notes,
      inputs: run.groups.files.map((f) => f.path),
    };
    const untaggedUsage = new Decimal(run.compliance.usageCost).minus(run.compliance.compliantCost).toFixed();
    return { data, model, attribution: run.attribution, untaggedUsage, files: run.groups.files.map((f) => f.path), monthChoice: run.groups.monthChoice, setAside: run.groups.setAside, warnings: run.warnings };
  });
}

/**
 * Daily usage cost by owner team and service, from 14 days before the month (or the start of `fromMonth`,
 * if later) to its end: the anomaly baseline.
 */
async function dailyByTeamAndService(db: DuckDBConnection, month: string, rate: (c: string | null) => Decimal, fromMonth?: string): Promise<DailySeries> {
  const start = new Date(`${month}-01T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() - 14);
  const floor = fromMonth === undefined ? null : new Date(`${fromMonth}-01T00:00:00Z`);
  if (floor && floor > start) start.setTime(floor.getTime());
  const rows = await queryCharges(
    db,
    // From the pipeline's usage by day (summed in its one scan, tag texts already reduced) and the owner it
    // judged for each tag set (tag_sets): exact sums per day, team and service are all that reach JS.
    `SELECT CAST(d.ChargeDate AS VARCHAR) AS day, COALESCE(t.owner, '(unallocated)') AS team, COALESCE(d.ServiceName, '(none)') AS service, d.BillingCurrency,
       CAST(SUM(d.cost) AS VARCHAR) AS cost
     FROM usage_days d
     LEFT JOIN tag_sets t ON t.TagsFormat = d.TagsFormat AND t.Tags IS NOT DISTINCT FROM d.Tags AND t.ProviderName IS NOT DISTINCT FROM d.ProviderName
     WHERE d.ChargeDate >= CAST(${sqlString(start.toISOString().slice(0, 10))} AS DATE) AND d.ChargeDate <= CAST(${sqlString(lastDayOf(month))} AS DATE)
     GROUP BY ALL`,
  );
  // Where the input's usage starts, as far as the window can tell, without another scan of the bill: usage
  // billed in a month before the window's first means every day of the window is known; else the window's
  // first day with usage is where the input's usage starts.
  const [earlier] = await queryCharges(
    db,
    `SELECT COUNT(*) AS n FROM charge_groups WHERE BillingMonth < ${sqlString(start.toISOString().slice(0, 7))} AND lower(ChargeCategory) = 'usage' AND row_count > 0`,
  );
  const windowFirst = rows.reduce<string | null>((min, r) => (min === null || String(r.day) < min ? String(r.day) : min), null);
  const firstDay = Number(earlier?.n ?? 0) > 0 ? start.toISOString().slice(0, 10) : windowFirst;
  // Summed exactly per team, service and day (currencies converted); numbers only for the statistics.
  const exact = new Map<string, Totals>();
  for (const r of rows) {
    const key = JSON.stringify([String(r.team), String(r.service)]);
    const days = exact.get(key) ?? new Totals();
    exact.set(key, days.add(String(r.day), new Decimal(String(r.cost)).times(rate(r.BillingCurrency as string | null))));
  }
  const series = new Map([...exact].map(([key, days]) => [key, new Map([...days].map(([day, cost]) => [day, cost.toNumber()]))]));
  return { series, exact, start, firstDay };
}
