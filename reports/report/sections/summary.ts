// The executive summary: total against budget and last month, the biggest movers by service, the
// anomaly count and the teams over budget. Reads the teams and anomalies sections.
import { Decimal } from "../../money";
import { sumOf } from "../../totals";
import { changePercent } from "../../../model";
import { pct, section } from "../context";

export const summary = section("summary", ({ model, current, previous, shown, services, run }, built) => {
  const total = current.total;
  const budget = sumOf([...model.teams.values()].map((t) => t.budget));
  const { now, before } = services;
  // Movers need a month to move from: none without the month before in the input.
  const topDrivers = (previous ? [...new Set([...now.keys(), ...before.keys()])] : [])
    .map((service) => ({ service, from: before.amount(service), to: now.amount(service) }))
    .sort((a, b) => b.to.minus(b.from).comparedTo(a.to.minus(a.from)) || a.service.localeCompare(b.service))
    .slice(0, 3)
    .map((d) => ({ service: d.service, from: d.from.toFixed(2), to: d.to.toFixed(2), change: d.to.minus(d.from).toFixed(2) }));
  const lastTotal = previous?.total;
  return {
    total: total.toFixed(2),
    budget: budget.toFixed(2),
    // The month's whole cost against the teams' budgets: unallocated cost is spent too.
    budgetUsedPct: pct(total, budget),
    lastMonth: lastTotal ? lastTotal.toFixed(2) : null,
    changePct: changePercent(total, lastTotal, 1),
    // As the rounding tree shows them (allocate/present.ts), at the currency's places: the same as --json and invoices.
    allocated: shown.allocated.toFixed(shown.places),
    unallocated: shown.unallocated.toFixed(shown.places),
    unallocatedPct: pct(current.unallocated, total),
    costCompliancePct: run.compliance.costCompliancePct,
    topDrivers,
    anomalies: built.anomalies!.length,
    overBudget: built.teams!.filter((t) => t.status === "over").map((t) => ({ team: t.team, over: new Decimal(t.cost).minus(t.budget).toFixed(2), usedPct: t.usedPct })),
  };
});
