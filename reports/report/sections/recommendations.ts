// Recommendations: what to look at first, from the teams over budget, the worst untagged resources, the
// fastest growers and the largest anomalies. Reads the summary, teams, compliance and anomalies sections.
import { Decimal, oneMinorUnit, shownAmount } from "../../money";
import { formatPercent } from "../../text/format";
import { section } from "../context";

/**
 * How far a team is over its budget, in the figures shown beside it: the percent used beyond 100 when that
 * shows, and the shown excess, or "less than" one minor unit when its exact cost is over by less than that.
 */
function overBy(t: { over: string; usedPct: number | null }, currency: string): string {
  const percent = t.usedPct !== null && t.usedPct > 100 ? `${formatPercent(new Decimal(t.usedPct).minus(100).toNumber())} ` : "";
  const amount = new Decimal(t.over).isZero() ? `less than ${shownAmount(oneMinorUnit(currency), currency)}` : t.over;
  return `${percent}over its budget (${amount} ${currency} over)`;
}

export const recommendations = section("recommendations", ({ model }, built) => [
  ...built.summary!.overBudget.map((t) => `${model.teams.get(t.team)!.name} is ${overBy(t, model.currency)}: review its largest services, or its budget in ${model.file.split("/").pop()}.`),
  ...built.compliance!.topUntagged.slice(0, 3).map((u) => `Tag ${u.resourceId} (${u.service ?? u.provider}, ${shownAmount(new Decimal(u.cost), model.currency)} ${model.currency} this month): ${u.problems.join(", ")}.`),
  ...built.teams!.filter((t) => t.changePct !== null && t.changePct >= 10).sort((a, b) => b.changePct! - a.changePct!).slice(0, 3).map((t) => `${t.name} grew ${t.changePct}% month over month (${t.lastMonth} to ${t.cost} ${model.currency}).`),
  ...built.anomalies!.slice(0, 2).map((a) => `Investigate ${a.service} for ${a.team} on ${a.date}: ${a.cost} ${model.currency} against a baseline of ${a.baseline}.`),
]);
