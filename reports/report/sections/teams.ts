// Teams: allocated cost against budget, status, billing mode earned, tag compliance and the change from
// last month. Amounts are the shown ones (rounded together with the unallocated line, see build.ts).
import { budgetUse, changePercent, earnedBillingMode, roundPercent } from "../../../model";
import { section, zero } from "../context";
import type { TeamLine } from "../data";

export const teams = section("teams", (ctx) =>
  ctx.model.units.flatMap((unit) =>
    unit.teams.map((team): TeamLine => {
      const cost = ctx.shown.teams.get(team.id)!;
      const last = ctx.lastRolled?.teams.get(team.id);
      const use = budgetUse(ctx.model, cost, team.budget);
      const share = ctx.run.teamCompliance.get(team.id) ?? null;
      return {
        unit: unit.name, team: team.id, name: team.name, cost: cost.toFixed(ctx.shown.places), budget: team.budget.toFixed(ctx.shown.places), variance: team.budget.minus(cost).toFixed(ctx.shown.places),
        usedPct: roundPercent(use.usedPct, 1), status: use.status, billingMode: team.billingMode,
        earns: earnedBillingMode(ctx.model, team.id, share), compliancePct: share,
        lastMonth: ctx.lastRolled ? (last ?? zero).toFixed(2) : null, changePct: ctx.lastRolled ? changePercent(cost, last ?? zero, 1) : null,
      };
    }),
  ),
);
