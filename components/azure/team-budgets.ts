// Azure Cost Management budgets per team on a subscription, filtered by the team's tag. Notification
// keys are derived from what they say (Actual_GreaterThan_80_Percent), never from list positions, so
// reordering alerts in allot.yaml changes nothing in Azure.
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { ComponentInputError, singleTag, validateBudgetSpecs, type BudgetAlertSpec, type TeamBudgetSpec } from "../spec";
import { budgetStartDate, latestBudgetStart } from "./schedule";

const TYPE = "allot:index:AzureTeamBudgets";
/** Azure allows 5 actual and 5 forecasted notifications per budget. */
const MAX_PER_KIND = 5;

export interface AzureTeamBudgetsArgs {
  budgets: TeamBudgetSpec[];
  subscriptionId: string;
  /**
   * The earliest month the budgets start, YYYY-MM-01. Azure takes a start no earlier than the current
   * month, so each budget starts on this month or the current one, whichever is later, fixed when that
   * budget is created: a team added later starts in its own month, and no budget's start moves after.
   */
  startDate?: string;
}

/** The notification key Azure shows for an alert: Actual_GreaterThan_80_Percent, Forecasted_GreaterThan_100_Percent. */
export function notificationKey(alert: BudgetAlertSpec): string {
  return `${alert.type === "actual" ? "Actual" : "Forecasted"}_GreaterThan_${String(alert.threshold).replace(".", "_")}_Percent`;
}

export class AzureTeamBudgets extends pulumi.ComponentResource {
  readonly budgetIds: pulumi.Output<string>[];

  constructor(name: string, args: AzureTeamBudgetsArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(args);
    super(TYPE, name, {}, opts);
    const startDate = budgetStartDate(args.startDate);
    this.budgetIds = args.budgets.map((spec, i) => {
      const tag = singleTag(TYPE, spec, i, "Azure");
      const budget = new azure.costmanagement.Budget(`${name}-${spec.team}`, {
        scope: `/subscriptions/${args.subscriptionId}`,
        budgetName: `allot-${spec.team}`,
        amount: Number(spec.amount),
        category: "Cost",
        timeGrain: "Monthly",
        timePeriod: { startDate },
        filter: { tags: { name: tag.key, operator: "In", values: [tag.value] } },
        notifications: Object.fromEntries(
          spec.alerts.map((alert) => [
            notificationKey(alert),
            { enabled: true, operator: "GreaterThan", threshold: alert.threshold, thresholdType: alert.type === "actual" ? "Actual" : "Forecasted", contactEmails: spec.emails },
          ]),
        ),
      }, { parent: this, ignoreChanges: ["timePeriod.startDate"] });
      return budget.id;
    });
    this.registerOutputs({ budgetIds: this.budgetIds });
  }
}

function validate(args: AzureTeamBudgetsArgs) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(args.subscriptionId ?? "")) throw new ComponentInputError(TYPE, "subscriptionId", `expected a subscription GUID, got ${JSON.stringify(args.subscriptionId)}`);
  if (args.startDate !== undefined) {
    if (!/^\d{4}-(0[1-9]|1[0-2])-01$/.test(args.startDate)) throw new ComponentInputError(TYPE, "startDate", `expected the first day of a month as YYYY-MM-01, got ${JSON.stringify(args.startDate)}`);
    const latest = latestBudgetStart();
    if (args.startDate > latest) throw new ComponentInputError(TYPE, "startDate", `Azure takes a budget start at most twelve months ahead (${latest}), got ${args.startDate}`);
  }
  validateBudgetSpecs(TYPE, args.budgets ?? []);
  args.budgets.forEach((spec, i) => {
    singleTag(TYPE, spec, i, "Azure");
    for (const kind of ["actual", "forecast"] as const) {
      const count = spec.alerts.filter((a) => a.type === kind).length;
      if (count > MAX_PER_KIND) throw new ComponentInputError(TYPE, `budgets[${i}].alerts`, `Azure allows at most ${MAX_PER_KIND} ${kind} notifications per budget, got ${count}`);
    }
    const keys = spec.alerts.map(notificationKey);
    const duplicate = keys.find((k, j) => keys.indexOf(k) !== j);
    if (duplicate) throw new ComponentInputError(TYPE, `budgets[${i}].alerts`, `two alerts make the same notification ${duplicate}`);
  });
}
