// Chargeback for a month: an invoice per team (and per unit that was allocated to directly), with lines by
// service and rule rounded from the allocation as shown (present.ts), so they match --json and the report;
// the rate card's markup and volume discounts, reviewed adjustments with their reasons kept for audit, and each team's budget status.
import { earnedBillingMode, type BudgetStatus as BudgetLevel, type CostModel, type EarnedMode } from "../../model";
import { rollUp, type AllocationResult } from "../allocate/engine";
import { presentAllocation, type PresentedAllocation } from "../allocate/present";
import { budgetFigures, Decimal, minorUnits, roundMoney } from "../money";
import type { Adjustment } from "../read/adjustments";

export type { Adjustment } from "../read/adjustments";
import { sumOf, Totals } from "../totals";

export interface InvoiceLine {
  service: string;
  rule: string;
  amount: string;
}

export interface Invoice {
  id: string;
  /** The team (or business unit) billed. */
  party: string;
  kind: "team" | "unit";
  costCenter: string | null;
  owner: string | null;
  period: { start: string; end: string };
  mode: EarnedMode;
  currency: string;
  lines: InvoiceLine[];
  subtotal: string;
  markup: string;
  discount: string;
  adjustments: { amount: string; reason: string; approvedBy: string; source: string }[];
  total: string;
}

export interface BudgetStatus {
  team: string;
  budget: string;
  allocated: string;
  variance: string;
  /** Null without a budget to use: no percentage of nothing. */
  usedPct: number | null;
  status: BudgetLevel;
}

export const invoiceId = (month: string, party: string) => `INV-${month}-${party}`;

function periodOf(month: string) {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { start: `${month}-01`, end: `${month}-${String(last).padStart(2, "0")}` };
}

/** Marginal volume discount: pct off the part of the subtotal above each threshold, up to the next. */
function discountOn(subtotal: Decimal, tiers: readonly { above: number; pct: number }[]): Decimal {
  const sortedTiers = [...tiers].sort((a, b) => a.above - b.above);
  let discount = new Decimal(0);
  sortedTiers.forEach((tier, i) => {
    const from = new Decimal(String(tier.above));
    const to = sortedTiers[i + 1] ? new Decimal(String(sortedTiers[i + 1]!.above)) : undefined;
    const top = to && subtotal.greaterThan(to) ? to : subtotal;
    if (top.greaterThan(from)) discount = discount.plus(top.minus(from).times(tier.pct).dividedBy(100));
  });
  return discount;
}

export function buildInvoices(
  model: CostModel,
  month: string,
  result: AllocationResult,
  teamCompliance: ReadonlyMap<string, Decimal | null>,
  adjustments: readonly Adjustment[],
  presented: PresentedAllocation = presentAllocation(model, result),
): { invoices: Invoice[]; budgets: BudgetStatus[] } {
  const places = minorUnits(model.currency);
  const round = (d: Decimal) => roundMoney(d, model.currency);
  // Which party each target bills to: a project to its team, a team to itself, a unit to itself.
  const partyOf = (target: string) => model.projects.get(target)?.teamId ?? target;
  // Each invoice line (party, service, rule) is a union of nodes of the rounding tree: it adds up with --out's rows.
  const shownLines = presented.cut((l) => (l.target === null ? null : JSON.stringify([partyOf(l.target), l.group.service ?? "(no service)", l.rule ?? "(none)"])));
  const lines = new Map<string, Map<string, Decimal>>();
  for (const [key, amount] of shownLines) {
    const [party, service, rule] = JSON.parse(key) as [string, string, string];
    const byLine = lines.get(party) ?? new Map<string, Decimal>();
    byLine.set(JSON.stringify([service, rule]), amount);
    lines.set(party, byLine);
  }
  const parties = [...model.teams.keys(), ...model.units.map((u) => u.id).filter((u) => lines.has(u))];
  const known = new Set(parties.map((p) => invoiceId(month, p)));
  for (const a of adjustments) {
    if (!known.has(a.invoice)) throw new Error(`${a.source}: unchecked adjustment for unknown invoice ${a.invoice}`);
  }
  const rate = model.input.chargeback;
  const invoices = parties.map((party): Invoice => {
    const team = model.teams.get(party);
    const unit = model.units.find((u) => u.id === party);
    const entries = [...(lines.get(party) ?? new Map<string, Decimal>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const subtotal = sumOf(entries.map(([, v]) => v));
    const markup = round(subtotal.times(rate?.markupPct ?? 0).dividedBy(100));
    const discount = round(discountOn(subtotal, rate?.discounts ?? []));
    const own = adjustments.filter((a) => a.invoice === invoiceId(month, party));
    // Adjustments are at the currency's minor unit (loadAdjustments refuses finer ones): the total adds up as shown.
    const total = subtotal.plus(markup).minus(discount).plus(sumOf(own.map((a) => a.amount)));
    const share = teamCompliance.get(party) ?? null;
    const mode = earnedBillingMode(model, party, share);
    return {
      id: invoiceId(month, party),
      party,
      kind: team ? "team" : "unit",
      costCenter: team?.costCenter ?? unit?.costCenter ?? null,
      owner: team?.owner ?? unit?.owner ?? null,
      period: periodOf(month),
      mode,
      currency: model.currency,
      lines: entries.map(([key, amount]) => {
        const [service, rule] = JSON.parse(key) as [string, string];
        return { service, rule, amount: amount.toFixed(places) };
      }),
      subtotal: subtotal.toFixed(places),
      markup: markup.toFixed(places),
      discount: discount.toFixed(places),
      adjustments: own.map((a) => ({ amount: a.amount.toFixed(places), reason: a.reason, approvedBy: a.approvedBy, source: a.source })),
      total: total.toFixed(places),
    };
  });

  // A team's status on its exact allocated cost, as the report's; budget - allocated = variance as shown.
  const exact = rollUp(model, result.lines).teams;
  const budgets = [...model.teams.values()].map((team): BudgetStatus => {
    const allocated = sumOf(invoices.filter((i) => i.party === team.id).map((i) => new Decimal(i.subtotal)));
    const figures = budgetFigures(model, { exact: exact.amount(team.id), shown: allocated }, team.budget);
    return { team: team.id, budget: figures.budget.toFixed(places), allocated: allocated.toFixed(places), variance: figures.variance.toFixed(places), usedPct: figures.usedPct, status: figures.status };
  });
  return { invoices, budgets };
}
