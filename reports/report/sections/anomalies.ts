// Anomalies: days whose cost for a team and service jumps against the median and MAD of the days before,
// judged only with enough history (insights.ts): days before the input's first day are unknown, not $0.
import { findAnomalies, jumpsFromNothing, ANOMALY_DEFAULTS } from "../insights";
import { Decimal, shownAmount } from "../../money";
import { dayList, lastDayOf, section, shownEstimate, type DailySeries } from "../context";
import type { ReportData } from "../data";

/** The days of the anomaly window up to the month's end, and the index of the first one with data. */
export function anomalyDays(daily: DailySeries, month: string): { days: string[]; known: number } {
  const days = dayList(daily.start, lastDayOf(month));
  const known = daily.firstDay === null ? days.length : Math.max(0, days.findIndex((d) => d >= daily.firstDay!));
  return { days, known };
}

/** Each team and service's daily series over the window, with what the month's days are judged from. */
function seriesOf(daily: DailySeries, month: string) {
  const { days, known } = anomalyDays(daily, month);
  const from = days.indexOf(`${month}-01`);
  return [...daily.series].map(([key, byDay]) => {
    const [team, service] = JSON.parse(key) as [string, string];
    return { key, team, service, days, series: days.map((d) => byDay.get(d) ?? 0), from, known };
  });
}

/** Days of the month that rose from a median of zero: not judged as anomalies, named by the withheld line. */
export function unjudgedJumps(daily: DailySeries, month: string): { date: string; team: string; service: string }[] {
  return seriesOf(daily, month)
    .flatMap(({ team, service, days, series, from, known }) => jumpsFromNothing(series, from, ANOMALY_DEFAULTS, known).map((i) => ({ date: days[i]!, team, service })))
    .sort((a, b) => a.date.localeCompare(b.date) || a.team.localeCompare(b.team) || a.service.localeCompare(b.service));
}

export const anomalies = section("anomalies", ({ model, month, daily }) => {
  const found: ReportData["anomalies"] = [];
  for (const { key, team, service, days, series, from, known } of seriesOf(daily, month)) {
    for (const a of findAnomalies(series, from, ANOMALY_DEFAULTS, known)) {
      // The day's cost is the bill's, exact; the baseline is a statistic, and the jump is the shown cost above the shown baseline.
      const cost = shownAmount(daily.exact.get(key)!.amount(days[a.index]!), model.currency);
      const baseline = shownEstimate(a.baseline, model.currency);
      found.push({ date: days[a.index]!, team, service, cost, baseline, jump: shownAmount(new Decimal(cost).minus(baseline), model.currency), score: Number.isFinite(a.score) ? Number(a.score.toFixed(1)) : null });
    }
  }
  return found.sort((a, b) => new Decimal(b.jump).comparedTo(a.jump) || a.date.localeCompare(b.date) || a.team.localeCompare(b.team)).slice(0, 20);
});
