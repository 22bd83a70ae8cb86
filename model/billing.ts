// Two decisions every invoice, budget table and report shows, made here once: the billing mode a team
// earns, and where its spend stands against its budget.
import { Decimal } from "./decimal";
import type { CostModel } from "./cost-model";
import { exactPercent } from "./percent";

export type BudgetStatus = "under" | "at risk" | "over";
export type EarnedMode = "showback" | "chargeback";

/** The percent of budget at which spend is "at risk": the highest actual alert below 100, else 80. */
export function atRiskLevel(model: Pick<CostModel, "budgetAlerts">): number {
  const levels = model.budgetAlerts.filter((a) => a.type === "actual" && a.threshold < 100).map((a) => a.threshold);
  return levels.length > 0 ? Math.max(...levels) : 80;
}

/** Spend against budget: the percent used (null without a budget to use) and its status, over above 100, at risk from the at-risk level, else under. */
export function budgetUse(model: Pick<CostModel, "budgetAlerts">, spend: Decimal, budget: Decimal): { usedPct: Decimal | null; status: BudgetStatus } {
  const usedPct = exactPercent(spend, budget);
  // Schemas keep budgets positive; a zero one is spent by any cost.
  if (usedPct === null) return { usedPct, status: spend.greaterThan(0) ? "over" : "under" };
  return { usedPct, status: usedPct.greaterThan(100) ? "over" : usedPct.greaterThanOrEqualTo(atRiskLevel(model)) ? "at risk" : "under" };
}

/**
 * The mode a party is billed in: its declared mode, or for `auto` chargeback once its tag compliance
 * reaches the model's threshold. The share is the exact one (`exactPercent`), never a rounded one: 79.996%
 * does not reach 80. Without usage cost to measure (compliance null, not 100%) nothing is earned: showback.
 * Parties outside the org get showback.
 */
export function earnedBillingMode(model: Pick<CostModel, "teams" | "chargebackThreshold">, teamId: string, compliancePct: Decimal | null): EarnedMode {
  const team = model.teams.get(teamId);
  if (!team) return "showback";
  if (team.billingMode !== "auto") return team.billingMode;
  return compliancePct !== null && compliancePct.greaterThanOrEqualTo(model.chargebackThreshold) ? "chargeback" : "showback";
}
