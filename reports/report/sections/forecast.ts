// Forecasts per team: month-end from the daily run rate, next month by least squares over the window,
// and how far last month's forecast was from the actual. Without enough history an interval or a forecast
// is null, never a zero-width guess (insights.ts); the withheld section says why.
import { Decimal, shownAmount } from "../../money";
import { forecastMonthEnd, forecastNext } from "../insights";
import { dayList, lastDayOf, section, shownEstimate, type ReportContext } from "../context";
import { changePercent } from "../../../model";

/** The month's days, and how many of them the input has usage for: up to the last day with any. */
export function daysSeen({ month, daily }: Pick<ReportContext, "month" | "daily">): { days: string[]; seen: number } {
  const days = dayList(new Date(`${month}-01T00:00:00Z`), lastDayOf(month));
  const lastDay = [...daily.series.values()].flatMap((m) => [...m.keys()]).filter((d) => d.startsWith(month)).sort().at(-1);
  return { days, seen: lastDay ? days.indexOf(lastDay) + 1 : 0 };
}

export const forecast = section("forecast", (ctx) => {
  const { model, run, rolledByMonth, daily } = ctx;
  const shown = (n: number | null) => (n === null ? null : shownEstimate(n, model.currency));
  const { days, seen } = daysSeen(ctx);
  const teamOf = (key: string) => (JSON.parse(key) as [string, string])[0];
  return [...model.teams.keys()].map((team) => {
    // Numbers for the statistics; the month's actual cost stays exact, and is shown as the teams table shows it.
    const series = run.windowMonths.map((m) => (rolledByMonth.get(m)!.teams.get(team) ?? new Decimal(0)).toNumber());
    const exactActual = rolledByMonth.get(ctx.month)?.teams.get(team) ?? new Decimal(0);
    const shownActual = shownAmount(ctx.shownByMonth.get(ctx.month)?.teams.get(team) ?? new Decimal(0), model.currency);
    // Month-end: the team's daily usage so far run to the month's end, scaled to its allocated cost.
    const own = [...daily.series].filter(([k]) => teamOf(k) === team);
    const teamDaily = days.slice(0, seen).map((d) => own.reduce((sum, [, byDay]) => sum + (byDay.get(d) ?? 0), 0));
    const directSoFar = teamDaily.reduce((a, b) => a + b, 0);
    const factor = directSoFar === 0 ? 0 : exactActual.toNumber() / directSoFar;
    const runRate = forecastMonthEnd(teamDaily, days.length);
    const scale = (v: number | null) => (v === null ? null : v * factor);
    // Without daily usage of its own the team's cost has no run rate: the month-end is what it has (exact, as
    // shown), with no range unless the month is over.
    const asIs = directSoFar === 0 ? { value: shownActual, range: seen >= days.length ? shownActual : null } : null;
    const next = forecastNext(series);
    const prior = forecastNext(series.slice(0, -1))?.value ?? null;
    return {
      team,
      monthEnd: asIs ? asIs.value : shownEstimate(runRate.value * factor, model.currency),
      monthEndLow: asIs ? asIs.range : shown(scale(runRate.low)),
      monthEndHigh: asIs ? asIs.range : shown(scale(runRate.high)),
      nextMonth: shown(next?.value ?? null),
      nextLow: shown(next?.low ?? null),
      nextHigh: shown(next?.high ?? null),
      lastForecast: shown(prior),
      actual: shownActual,
      errorPct: prior === null ? null : changePercent(new Decimal(prior), exactActual, 1),
    };
  });
});
