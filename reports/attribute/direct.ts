// Ownership of the bill: each charge group goes to the team its tags name (the model's owner keys and
// resolver, on the model's tag verdict), everything else to an explicit unallocated line with the reason.
// Works on groups DuckDB has already summed, each tag set judged once.
import { cloudOfProvider, ownerResolver, type CostModel } from "../../model";
import { Decimal } from "../money";
import type { ChargeRow } from "../read/charges";
import { TagSetJudge } from "../read/tags";
import { Totals } from "../totals";

export interface DirectAttribution {
  total: Decimal;
  rows: number;
  byTeam: Totals;
  /** Unallocated cost by reason, e.g. "Tax charges without tags". */
  unallocated: Totals;
  /** Tag sets that are not what their source promises, and what they were worth. */
  unreadableTags: { rows: number; cost: Decimal };
}

type Group = Pick<ChargeRow, "tags" | "tagsFormat" | "provider" | "chargeCategory" | "cost" | "rows">;

export function attributeDirect(model: CostModel, groups: Iterable<Group>): DirectAttribution {
  const owner = ownerResolver(model);
  const judge = new TagSetJudge(model.tags);
  const result: DirectAttribution = { total: new Decimal(0), rows: 0, byTeam: new Totals(), unallocated: new Totals(), unreadableTags: { rows: 0, cost: new Decimal(0) } };
  for (const group of groups) {
    const verdict = judge.judge(group.tagsFormat, group.tags, group.provider);
    result.total = result.total.plus(group.cost);
    result.rows += group.rows;
    if (verdict === "unreadable") {
      result.unreadableTags.rows += group.rows;
      result.unreadableTags.cost = result.unreadableTags.cost.plus(group.cost);
      result.unallocated.add("tags that cannot be read", group.cost);
      continue;
    }
    const found = owner(verdict.tags, cloudOfProvider(group.provider), group.chargeCategory);
    if ("team" in found) result.byTeam.add(found.team, group.cost);
    else result.unallocated.add(found.reason, group.cost);
  }
  const attributed = result.byTeam.total().plus(result.unallocated.total());
  if (!attributed.equals(result.total)) {
    throw new Error(`direct attribution lost money: teams + unallocated = ${attributed.toFixed()}, input total = ${result.total.toFixed()}`);
  }
  return result;
}
