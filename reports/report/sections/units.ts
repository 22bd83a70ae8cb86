// Business units: their rolled-up cost against their budget.
import { budgetUse, roundPercent } from "../../../model";
import { shownAmount } from "../../money";
import { section, zero } from "../context";

export const units = section("units", (ctx) =>
  ctx.model.units.map((u) => {
    const cost = ctx.shown.units.get(u.id) ?? zero;
    const use = budgetUse(ctx.model, cost, u.budget);
    return { unit: u.id, name: u.name, cost: shownAmount(cost, ctx.model.currency), budget: shownAmount(u.budget, ctx.model.currency), variance: shownAmount(u.budget.minus(cost), ctx.model.currency), usedPct: roundPercent(use.usedPct, 1), status: use.status };
  }),
);
