// Breakdowns by the project and product tags of the allocated lines, per team. Tags come from each
// source's own mapping and the model's verdict (normalised), so a CUR bill's user:project counts as FOCUS's project.
import { BREAKDOWN_KEYS } from "../../read/tag-projection";
import { TagSetJudge } from "../../read/tags";
import { shownAmount } from "../../money";
import { Totals } from "../../totals";
import { section } from "../context";

export const breakdowns = section("breakdowns", (ctx) => {
  const judge = new TagSetJudge(ctx.model.tags);
  const totals = new Totals();
  for (const line of ctx.current.lines) {
    if (line.target === null) continue;
    const team = ctx.model.projects.get(line.target)?.teamId ?? line.target;
    const verdict = judge.judge(line.group.tagsFormat, line.group.tags, line.group.provider);
    if (verdict === "unreadable") continue;
    for (const key of BREAKDOWN_KEYS) {
      const value = verdict.tags.get(key);
      if (value !== undefined && value !== "") totals.add(JSON.stringify([key, value, team]), line.amount);
    }
  }
  return [...totals]
    .map(([k, cost]) => {
      const [key, value, team] = JSON.parse(k) as [string, string, string];
      return { key, value, team, cost: shownAmount(cost, ctx.model.currency) };
    })
    .sort((a, b) => a.key.localeCompare(b.key) || a.value.localeCompare(b.value) || a.team.localeCompare(b.team));
});
