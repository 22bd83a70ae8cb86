// Anomalies: days whose cost for a team and service jumps against the median and MAD of the days before.
import { findAnomalies } from "../insights";
import { dayList, lastDayOf, money, section } from "../context";
import type { ReportData } from "../data";

export const anomalies = section("anomalies", ({ month, daily }) => {
  const days = dayList(daily.start, lastDayOf(month));
  const firstOfMonth = days.indexOf(`${month}-01`);
  const found: ReportData["anomalies"] = [];
  for (const [key, byDay] of daily.series) {
    const [team, service] = JSON.parse(key) as [string, string];
    const series = days.map((d) => byDay.get(d) ?? 0);
    for (const a of findAnomalies(series, firstOfMonth)) {
      found.push({ date: days[a.index]!, team, service, cost: money(a.value), baseline: money(a.baseline), jump: money(a.jump), score: Number.isFinite(a.score) ? Number(a.score.toFixed(1)) : null });
    }
  }
  return found.sort((a, b) => Number(b.jump) - Number(a.jump) || a.date.localeCompare(b.date) || a.team.localeCompare(b.team)).slice(0, 20);
});
