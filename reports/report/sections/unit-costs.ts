// Cost per unit: each team's allocated cost per request, customer or call from the metrics file, ranked.
import { Decimal, shownAmount } from "../../money";
import { section } from "../context";

const UNIT_METRICS = ["requests", "customers", "calls"];

export const unitCosts = section("unitCosts", ({ model, month, run, rolled, shown }) => {
  const names = new Set<string>();
  for (const team of model.teams.keys()) for (const m of UNIT_METRICS) if (run.metrics.get(month, m, team)) names.add(m);
  return [...names].sort().flatMap((metric) => {
    const entries = [...model.teams.keys()]
      .map((team) => ({ team, quantity: run.metrics.get(month, metric, team), cost: rolled.teams.get(team) ?? new Decimal(0) }))
      .filter((e): e is { team: string; quantity: Decimal; cost: Decimal } => e.quantity !== undefined && !e.quantity.isZero())
      .map((e) => ({ ...e, perUnit: e.cost.dividedBy(e.quantity) }))
      .sort((a, b) => a.perUnit.comparedTo(b.perUnit) || a.team.localeCompare(b.team));
    return entries.map((e, i) => ({ metric, team: e.team, quantity: e.quantity.toFixed(), cost: shownAmount(shown.teams.get(e.team) ?? new Decimal(0), model.currency), costPerUnit: e.perUnit.toSignificantDigits(4).toFixed(), rank: i + 1 }));
  });
});
