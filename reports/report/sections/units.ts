// Business units: their rolled-up cost against their budget.
import { budgetFigures, shownAmount, type Decimal } from "../../money";
import { section, zero } from "../context";

export const units = section("units", (ctx) =>
  ctx.model.units.map((u) => {
    // The status on the exact cost; the columns people add up (budget - cost = variance) on the shown figures.
    const cost = ctx.shown.units.get(u.id) ?? zero;
    const budget = budgetFigures(ctx.model, { exact: ctx.rolled.units.amount(u.id), shown: cost }, u.budget);
    const amount = (d: Decimal) => shownAmount(d, ctx.model.currency);
    return { unit: u.id, name: u.name, cost: amount(cost), budget: amount(budget.budget), variance: amount(budget.variance), usedPct: budget.usedPct, status: budget.status };
  }),
);
