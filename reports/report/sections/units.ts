// Business units: their rolled-up cost against their budget.
import { budgetStatus, budgetUsedPct } from "../../../model";
import { Decimal } from "../../money";
import { section, zero } from "../context";

export const units = section("units", (ctx) =>
  ctx.model.units.map((u) => {
    const cost = ctx.shown.units.get(u.id) ?? zero;
    const used = budgetUsedPct(cost, u.budget) ?? zero;
    return { unit: u.id, name: u.name, cost: cost.toFixed(2), budget: u.budget.toFixed(2), variance: u.budget.minus(cost).toFixed(2), usedPct: used.toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber(), status: budgetStatus(ctx.model, used) };
  }),
);
