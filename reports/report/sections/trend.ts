// Six-month trend: each allocated month's total and each team's share of it.
import { section, zero } from "../context";

export const trend = section("trend", ({ model, run, rolledByMonth }) =>
  run.windowMonths.map((m) => {
    const byTeam = rolledByMonth.get(m)!.teams;
    return { month: m, total: run.allocations.get(m)!.total.toFixed(2), teams: Object.fromEntries([...model.teams.keys()].map((t) => [t, (byTeam.get(t) ?? zero).toFixed(2)])) };
  }),
);
