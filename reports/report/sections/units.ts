// Business units: their rolled-up cost against their budget.
import { budgetUse, roundPercent } from "../../../model";
import { section, zero } from "../context";

export const units = section("units", (ctx) =>
  ctx.model.units.map((u) => {
    const cost = ctx.shown.units.get(u.id) ?? zero;
    const use = budgetUse(ctx.model, cost, u.budget);
    return { unit: u.id, name: u.name, cost: cost.toFixed(ctx.shown.places), budget: u.budget.toFixed(ctx.shown.places), variance: u.budget.minus(cost).toFixed(ctx.shown.places), usedPct: roundPercent(use.usedPct, 1), status: use.status };
  }),
);
