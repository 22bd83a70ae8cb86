// Recommendations: what to look at first, from the teams over budget, the worst untagged resources, the
// fastest growers and the largest anomalies. Reads the summary, teams, compliance and anomalies sections.
import { Decimal, shownAmount } from "../../money";
import { formatPercent } from "../../text/format";
import { section } from "../context";

export const recommendations = section("recommendations", ({ model }, built) => [
  ...built.summary!.overBudget.map((t) => `${model.teams.get(t.team)!.name} is ${t.usedPct === null ? "" : `${formatPercent(new Decimal(t.usedPct).minus(100).toNumber())} `}over its budget (${t.over} ${model.currency} over): review its largest services, or its budget in ${model.file.split("/").pop()}.`),
  ...built.compliance!.topUntagged.slice(0, 3).map((u) => `Tag ${u.resourceId} (${u.service ?? u.provider}, ${shownAmount(new Decimal(u.cost), model.currency)} ${model.currency} this month): ${u.problems.join(", ")}.`),
  ...built.teams!.filter((t) => t.changePct !== null && t.changePct >= 10).sort((a, b) => b.changePct! - a.changePct!).slice(0, 3).map((t) => `${t.name} grew ${t.changePct}% month over month (${t.lastMonth} to ${t.cost} ${model.currency}).`),
  ...built.anomalies!.slice(0, 2).map((a) => `Investigate ${a.service} for ${a.team} on ${a.date}: ${a.cost} ${model.currency} against a baseline of ${a.baseline}.`),
]);
