// Teams: allocated cost against budget, status, billing mode earned, tag compliance and the change from
// last month. Amounts are the shown ones (rounded together with the unallocated line, see build.ts).
import { budgetStatus, budgetUsedPct, earnedBillingMode } from "../../../model";
import { Decimal } from "../../money";
import { section, zero } from "../context";
import type { TeamLine } from "../data";

export const teams = section("teams", (ctx) =>
  ctx.model.units.flatMap((unit) =>
    unit.teams.map((team): TeamLine => {
      const cost = ctx.shown.teams.get(team.id)!;
      const last = ctx.lastRolled?.teams.get(team.id) ?? zero;
      const used = budgetUsedPct(cost, team.budget) ?? zero;
      const share = ctx.run.teamCompliance.get(team.id) ?? null;
      return {
        unit: unit.name, team: team.id, name: team.name, cost: cost.toFixed(2), budget: team.budget.toFixed(2), variance: team.budget.minus(cost).toFixed(2),
        usedPct: used.toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber(), status: budgetStatus(ctx.model, used), billingMode: team.billingMode,
        earns: earnedBillingMode(ctx.model, team.id, share), compliancePct: share,
        lastMonth: last.toFixed(2), changePct: ctx.previous && !last.isZero() ? cost.minus(last).times(100).dividedBy(last.abs()).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber() : null,
      };
    }),
  ),
);
