// Who owns a charge or a resource: the team its tags name. The keys tried (the direct rule's, else the
// first required key) and the resolution of a value (a team id or alias, a project's team, a team's cost
// center) are decided here once, for attribution, compliance by team, allocation and the report's series.
import { forcesLowerCase, type Cloud } from "./clouds";
import type { CostModel } from "./cost-model";

export type Owner = { team: string } | { reason: string };

/** The tag keys that name a charge's owner, tried in order: the direct rule's keys, else the first required key. */
export function ownerKeys(model: Pick<CostModel, "allocationRules" | "tags">): readonly string[] {
  const direct = model.allocationRules.find((r) => r.method === "direct");
  return direct?.method === "direct" ? direct.keys : [model.tags.required[0]?.key ?? "team"];
}

const quote = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);

/**
 * Resolves an owner from normalised tags (a verdict's `tags`): the first of `keys` whose value is a team
 * id, a project id (its team) or a cost center (its team), exactly; else a team id or alias in any case
 * (team-names.ts); else, on a cloud that forces lower case, any of them in any case. Without an owner,
 * the reason lists what each key held.
 */
export function ownerResolver(model: CostModel, keys: readonly string[] = ownerKeys(model)) {
  const exact = new Map<string, string>();
  for (const team of model.teams.values()) exact.set(team.costCenter, team.id);
  for (const project of model.projects.values()) if (!exact.has(project.costCenter)) exact.set(project.costCenter, project.teamId);
  for (const project of model.projects.values()) exact.set(project.id, project.teamId);
  for (const team of model.teams.keys()) exact.set(team, team);
  const folded = new Map<string, string>();
  for (const [value, team] of exact) if (!folded.has(value.toLowerCase())) folded.set(value.toLowerCase(), team);
  const resolve = (value: string, cloud: Cloud | undefined) => exact.get(value) ?? model.teamName(value) ?? (forcesLowerCase(cloud) ? folded.get(value.toLowerCase()) : undefined);

  return (tags: ReadonlyMap<string, string>, cloud: Cloud | undefined, chargeCategory: string): Owner => {
    const problems: string[] = [];
    for (const key of keys) {
      const value = tags.get(key);
      if (value === undefined) problems.push(`no ${key}`);
      else if (value === "") problems.push(`empty ${key}`);
      else {
        const team = resolve(value, cloud);
        if (team) return { team };
        problems.push(`${key} ${quote(value)} names no team`);
      }
    }
    if (tags.size === 0) return { reason: `${chargeCategory} charges without tags` };
    return { reason: problems.join(", ") };
  };
}
