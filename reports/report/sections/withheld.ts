// Figures left out for want of history, each with the one line the report shows in its place: movers and
// the change from last month without the month before, anomalies before a day has enough known days
// before it, forecasts and intervals without enough months or days (insights.ts holds the minimums).
import { ANOMALY_DEFAULTS, FORECAST_MIN_MONTHS, firstJudgedDay, MONTH_END_MIN_DAYS } from "../insights";
import { section } from "../context";
import { anomalyDays, unjudgedJumps } from "./anomalies";
import { daysSeen } from "./forecast";
import { historyCut } from "../../read/overlap";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export const withheld = section("withheld", (ctx, built) => {
  const { month, previousMonth, previous, daily, run } = ctx;
  // The last month before this one read only in part (an input set aside): history starts after it.
  const cut = historyCut(month, run.groups.setAside);
  const partly = (m: string) => `${m} is read only in part (an input was set aside; see the notes)`;
  const movers = previous ? null : `No biggest movers and no change from last month: ${cut === previousMonth ? partly(previousMonth) : `the input has no ${previousMonth} to compare with`}.`;
  const startsOn = cut === undefined ? `the input's usage starts on ${daily.firstDay}` : `history starts on ${daily.firstDay}, after ${partly(cut)}`;

  const { days, known } = anomalyDays(daily, month);
  const { days: monthDays, seen } = daysSeen(ctx);
  const lastSeen = seen === 0 ? -1 : days.indexOf(monthDays[seen - 1]!);
  const judgedFrom = firstJudgedDay(known);
  const need = `a day needs ${plural(ANOMALY_DEFAULTS.minimumHistory, "day")} of history before it`;
  const fromNothing = unjudgedJumps(daily, month);
  const unjudged = fromNothing.length === 0 ? null
    : `${plural(fromNothing.length, "day")} rose by ${ANOMALY_DEFAULTS.minimumJump} ${ctx.model.currency} or more from a median of zero and ${fromNothing.length === 1 ? "is" : "are"} not judged, a jump from nothing having no scale (first: ${fromNothing[0]!.team}, ${fromNothing[0]!.service} on ${fromNothing[0]!.date}).`;
  const history =
    seen === 0 ? `No anomalies: the input has no daily usage cost in ${month}.`
    : judgedFrom > lastSeen ? `No anomalies: ${need}, and ${startsOn}.`
    : days[judgedFrom]! > `${month}-01` ? `Anomalies are judged from ${days[judgedFrom]} on${built.anomalies!.length === 0 ? ", and no day from then jumped above its baseline" : ""}: ${need}, and ${startsOn}.`
    : null;
  const lead = history ?? (unjudged !== null && built.anomalies!.length === 0 ? "No day jumped above its baseline this month." : null);
  const anomalies = lead === null && unjudged === null ? null : [lead, unjudged].filter((s) => s !== null).join(" ");

  const months = run.windowMonths;
  const have = (list: string[]) =>
    cut === undefined ? `the input has ${list.length} (${list.join(", ")})` : `${plural(list.length, "month")} (${list.join(", ")}) follow ${cut}, which is read only in part (an input was set aside; see the notes)`;
  const forecast = [
    months.length < FORECAST_MIN_MONTHS ? `No next-month forecast and no last month's forecast: they need ${FORECAST_MIN_MONTHS} months of history, and ${have(months)}`
    : months.length === FORECAST_MIN_MONTHS ? `No last month's forecast: it needs ${FORECAST_MIN_MONTHS} months before ${month}, and ${have(months.slice(0, -1))}`
    : null,
    seen < monthDays.length && seen < MONTH_END_MIN_DAYS ? `no month-end range: the input has ${plural(seen, "day")} of ${month}, a range needs ${MONTH_END_MIN_DAYS}` : null,
  ].filter((s): s is string => s !== null);
  return { movers, anomalies, forecast: forecast.length === 0 ? null : `${forecast.join("; ").replace(/^n/, "N")}.` };
});
