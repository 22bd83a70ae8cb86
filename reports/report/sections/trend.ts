// Six-month trend: each allocated month's total and each team's share of it, as each month's rounding
// tree shows them (allocate/present.ts): the report month's column is the teams table's.
import { shownAmount } from "../../money";
import { section, zero } from "../context";

export const trend = section("trend", ({ model, run, shownByMonth }) =>
  run.windowMonths.map((m) => {
    const byTeam = shownByMonth.get(m)!.teams;
    return { month: m, total: shownAmount(run.allocations.get(m)!.total, model.currency), teams: Object.fromEntries([...model.teams.keys()].map((t) => [t, shownAmount(byTeam.get(t) ?? zero, model.currency)])) };
  }),
);
