// Teams: allocated cost against budget, status, billing mode earned, tag compliance and the change from
// last month. Amounts are the shown ones (rounded together with the unallocated line, see build.ts).
import { changePercent } from "../../../model";
import { budgetFigures, shownAmount } from "../../money";
import type { Decimal } from "../../money";
import { section, zero } from "../context";
import type { TeamLine } from "../data";

export const teams = section("teams", (ctx) =>
  ctx.model.units.flatMap((unit) =>
    unit.teams.map((team): TeamLine => {
      const amount = (d: Decimal) => shownAmount(d, ctx.model.currency);
      const cost = ctx.shown.teams.get(team.id)!;
      const last = ctx.lastRolled?.teams.get(team.id);
      // Last month as its own rounding tree shows it, the same figure as the trend's.
      const lastShown = ctx.shownByMonth.get(ctx.previousMonth)?.teams.get(team.id);
      // Decisions and changes on the exact figures; the columns people add up on the shown ones.
      const exact = ctx.rolled.teams.amount(team.id);
      const budget = budgetFigures(ctx.model, { exact, shown: cost }, team.budget);
      // The billing mode earned and the share, as compliance measured and decided them.
      const measured = ctx.run.compliance.teams.find((t) => t.team === team.id)!;
      return {
        unit: unit.name, team: team.id, name: team.name, cost: amount(cost), budget: amount(budget.budget), variance: amount(budget.variance),
        usedPct: budget.usedPct, status: budget.status, billingMode: team.billingMode,
        earns: measured.earns, compliancePct: measured.compliancePct,
        lastMonth: ctx.lastRolled ? amount(lastShown ?? zero) : null, changePct: ctx.lastRolled ? changePercent(exact, last ?? zero, 1) : null,
      };
    }),
  ),
);
