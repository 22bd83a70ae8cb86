// The executive summary: total against budget and last month, the biggest movers by service, the
// anomaly count and the teams over budget. Reads the teams and anomalies sections.
import { Decimal, shownAmount, shownChange } from "../../money";
import { sumOf } from "../../totals";
import { changePercent } from "../../../model";
import { pct, section } from "../context";

export const summary = section("summary", ({ model, current, previous, shown, services, run }, built) => {
  const amount = (d: Decimal) => shownAmount(d, model.currency);
  const total = current.total;
  const budget = sumOf([...model.teams.values()].map((t) => t.budget));
  const { now, before } = services;
  // Movers need a month to move from: none without the month before in the input.
  const topDrivers = (previous ? [...new Set([...now.keys(), ...before.keys()])] : [])
    .map((service) => ({ service, from: before.amount(service), to: now.amount(service) }))
    .sort((a, b) => b.to.minus(b.from).comparedTo(a.to.minus(a.from)) || a.service.localeCompare(b.service))
    .slice(0, 3)
    .map((d) => ({ service: d.service, from: amount(d.from), to: amount(d.to), change: shownChange(d.from, d.to, model.currency) }));
  const lastTotal = previous?.total;
  return {
    // The rounding tree's root (allocate/present.ts): the shown allocated and unallocated add up to it.
    total: amount(shown.allocated.plus(shown.unallocated)),
    budget: amount(budget),
    // The month's whole cost against the teams' budgets: unallocated cost is spent too.
    budgetUsedPct: pct(total, budget),
    lastMonth: lastTotal ? amount(lastTotal) : null,
    changePct: changePercent(total, lastTotal, 1),
    // As the rounding tree shows them (allocate/present.ts), at the currency's places: the same as --json and invoices.
    allocated: amount(shown.allocated),
    unallocated: amount(shown.unallocated),
    unallocatedPct: pct(current.unallocated, total),
    costCompliancePct: run.compliance.costCompliancePct,
    topDrivers,
    anomalies: built.anomalies!.length,
    // Over by the team's shown cost, as its row in the teams table says it (its variance, negated).
    overBudget: built.teams!.filter((t) => t.status === "over").map((t) => ({ team: t.team, over: amount(new Decimal(t.variance).negated()), usedPct: t.usedPct })),
  };
});
