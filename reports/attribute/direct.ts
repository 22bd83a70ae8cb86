// Direct attribution: each charge group goes to the team its tags name (trying the rule's keys in
// order), everything else to an explicit unallocated line with the reason. Works on groups that DuckDB
// has already summed per distinct tag set, so each tag set is parsed once, not once per row.
import type { CostModel, TagEvaluation } from "../../model";
import { evaluateTags } from "../../model";
import { Decimal } from "../money";
import type { TagsFormat } from "../read/sources";
import { TagSetJudge } from "../read/tags";

/** Costs summed by DuckDB for one combination of tags and the columns attribution looks at. */
export interface ChargeGroup {
  tags: string | null;
  tagsFormat: TagsFormat;
  provider: string;
  chargeCategory: string;
  account: string | null;
  resourceType: string | null;
  cost: Decimal;
  rows: number;
}

export interface TagKeyGap {
  key: string;
  missing: Decimal;
  empty: Decimal;
  invalid: Decimal;
}

export interface DirectAttribution {
  total: Decimal;
  rows: number;
  byTeam: Map<string, Decimal>;
  /** Unallocated cost by reason, e.g. "Tax charge without tags". */
  unallocated: Map<string, Decimal>;
  byProvider: Map<string, Decimal>;
  byChargeCategory: Map<string, Decimal>;
  compliance: {
    /** Usage charges outside exempt resources: the base of the measure. */
    usage: Decimal;
    exempt: Decimal;
    /** Usage missing a valid value for at least one required tag. */
    untagged: Decimal;
    byKey: TagKeyGap[];
    /** Per team: its attributed usage, and how much of it carries every required tag validly. */
    byTeam: Map<string, { usage: Decimal; compliant: Decimal }>;
  };
  /** Tag sets that are not what their format promises, and what they were worth. */
  unreadableTags: { rows: number; cost: Decimal };
}

type Owner = { team: string } | { reason: string };

const quote = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);

/** Resolves an owner from tag values: a team id, a project id (its team) or a team's cost center. */
export function ownerResolver(model: CostModel, keys: readonly string[]) {
  const teamOfCostCenter = new Map<string, string>();
  for (const team of model.teams.values()) teamOfCostCenter.set(team.costCenter, team.id);
  for (const project of model.projects.values()) if (!teamOfCostCenter.has(project.costCenter)) teamOfCostCenter.set(project.costCenter, project.teamId);
  const resolve = (value: string) => (model.teams.has(value) ? value : (model.projects.get(value)?.teamId ?? teamOfCostCenter.get(value)));

  return (evaluation: TagEvaluation, chargeCategory: string): Owner => {
    const problems: string[] = [];
    for (const key of keys) {
      const value = evaluation.tags.get(key);
      if (value === undefined) problems.push(`no ${key}`);
      else if (value === "") problems.push(`empty ${key}`);
      else {
        const team = resolve(value);
        if (team) return { team };
        problems.push(`${key} ${quote(value)} names no team`);
      }
    }
    if (evaluation.tags.size === 0) return { reason: `${chargeCategory} charges without tags` };
    return { reason: problems.join(", ") };
  };
}

export function attributeDirect(model: CostModel, groups: Iterable<ChargeGroup>, keys: readonly string[]): DirectAttribution {
  const owner = ownerResolver(model, keys);
  const judge = new TagSetJudge(model.tags);
  const add = (map: Map<string, Decimal>, key: string, amount: Decimal) => map.set(key, (map.get(key) ?? new Decimal(0)).plus(amount));
  const zero = new Decimal(0);
  const result: DirectAttribution = {
    total: zero,
    rows: 0,
    byTeam: new Map(),
    unallocated: new Map(),
    byProvider: new Map(),
    byChargeCategory: new Map(),
    compliance: { usage: zero, exempt: zero, untagged: zero, byKey: model.tags.required.map((t) => ({ key: t.key, missing: zero, empty: zero, invalid: zero })), byTeam: new Map() },
    unreadableTags: { rows: 0, cost: zero },
  };

  for (const group of groups) {
    let evaluation = judge.judge(group.tagsFormat, group.tags);
    result.total = result.total.plus(group.cost);
    result.rows += group.rows;
    add(result.byProvider, group.provider, group.cost);
    add(result.byChargeCategory, group.chargeCategory, group.cost);

    let team: string | undefined;
    if (evaluation === "unreadable") {
      result.unreadableTags.rows += group.rows;
      result.unreadableTags.cost = result.unreadableTags.cost.plus(group.cost);
      add(result.unallocated, "tags that cannot be read", group.cost);
      evaluation = evaluateTags(model.tags, []);
    } else {
      const found = owner(evaluation, group.chargeCategory);
      if ("team" in found) {
        team = found.team;
        add(result.byTeam, team, group.cost);
      } else add(result.unallocated, found.reason, group.cost);
    }

    if (group.chargeCategory.toLowerCase() !== "usage") continue;
    const c = result.compliance;
    if (model.tags.isExempt({ type: group.resourceType, account: group.account })) {
      c.exempt = c.exempt.plus(group.cost);
      continue;
    }
    c.usage = c.usage.plus(group.cost);
    if (evaluation.findings.length > 0) c.untagged = c.untagged.plus(group.cost);
    if (team !== undefined) {
      const t = c.byTeam.get(team) ?? { usage: zero, compliant: zero };
      c.byTeam.set(team, { usage: t.usage.plus(group.cost), compliant: evaluation.findings.length > 0 ? t.compliant : t.compliant.plus(group.cost) });
    }
    for (const finding of evaluation.findings) {
      const gap = c.byKey.find((g) => g.key === finding.key)!;
      gap[finding.problem] = gap[finding.problem].plus(group.cost);
    }
  }

  const allocated = Decimal.sum(zero, ...result.byTeam.values(), ...result.unallocated.values());
  if (!allocated.equals(result.total)) {
    throw new Error(`direct attribution lost money: teams + unallocated = ${allocated.toFixed()}, input total = ${result.total.toFixed()}`);
  }
  return result;
}
