// Business units: their rolled-up cost against their budget.
import { budgetUse, roundPercent } from "../../../model";
import { roundMoney, shownAmount } from "../../money";
import { section, zero } from "../context";

export const units = section("units", (ctx) =>
  ctx.model.units.map((u) => {
    // The status on the exact cost; the columns people add up (budget - cost = variance) on the shown figures.
    const cost = ctx.shown.units.get(u.id) ?? zero;
    const use = budgetUse(ctx.model, ctx.rolled.units.amount(u.id), u.budget);
    const budget = roundMoney(u.budget, ctx.model.currency);
    return { unit: u.id, name: u.name, cost: shownAmount(cost, ctx.model.currency), budget: shownAmount(budget, ctx.model.currency), variance: shownAmount(budget.minus(cost), ctx.model.currency), usedPct: roundPercent(use.usedPct, 1), status: use.status };
  }),
);
