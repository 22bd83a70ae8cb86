// Forecasts per team: month-end from the daily run rate, next month by least squares over the window,
// and how far last month's forecast was from the actual.
import { Decimal } from "../../money";
import { forecastMonthEnd, forecastNext } from "../insights";
import { dayList, lastDayOf, money, section } from "../context";

export const forecast = section("forecast", ({ model, month, run, rolledByMonth, daily }) => {
  const days = dayList(new Date(`${month}-01T00:00:00Z`), lastDayOf(month));
  const lastDay = [...daily.series.values()].flatMap((m) => [...m.keys()]).filter((d) => d.startsWith(month)).sort().at(-1);
  const seen = lastDay ? days.indexOf(lastDay) + 1 : days.length;
  const teamOf = (key: string) => (JSON.parse(key) as [string, string])[0];
  return [...model.teams.keys()].map((team) => {
    const series = run.windowMonths.map((m) => (rolledByMonth.get(m)!.teams.get(team) ?? new Decimal(0)).toNumber());
    const actual = series.at(-1) ?? 0;
    // Month-end: the team's daily usage so far run to the month's end, scaled to its allocated cost.
    const own = [...daily.series].filter(([k]) => teamOf(k) === team);
    const teamDaily = days.slice(0, seen).map((d) => own.reduce((sum, [, byDay]) => sum + (byDay.get(d) ?? 0), 0));
    const directSoFar = teamDaily.reduce((a, b) => a + b, 0);
    const factor = directSoFar === 0 ? 0 : actual / directSoFar;
    const runRate = forecastMonthEnd(teamDaily, days.length);
    const monthEnd = directSoFar === 0 ? { value: actual, low: actual, high: actual } : { value: runRate.value * factor, low: runRate.low * factor, high: runRate.high * factor };
    const next = forecastNext(series);
    const prior = series.length >= 3 ? forecastNext(series.slice(0, -1)).value : null;
    return {
      team,
      monthEnd: money(monthEnd.value),
      monthEndLow: money(monthEnd.low),
      monthEndHigh: money(monthEnd.high),
      nextMonth: money(next.value),
      nextLow: money(next.low),
      nextHigh: money(next.high),
      lastForecast: prior === null ? null : money(prior),
      actual: money(actual),
      errorPct: prior === null || actual === 0 ? null : Number((((prior - actual) * 100) / Math.abs(actual)).toFixed(1)),
    };
  });
});
