// Which team a value in a bill names: the team's id or one of its `aliases` in allot.yaml, whatever the
// case. Team ids are lower-case slugs, and validate.ts refuses an alias that names another team, project,
// unit or cost center in any case, so case never decides between two owners and folding it is safe.

/** The id of the team a value names (its id or an alias, in any case, spaces around it ignored), else undefined. */
export type TeamNames = (value: string) => string | undefined;

/** Folds a name for comparison: team ids and aliases match a bill's value without regard to case. */
export const foldName = (name: string) => name.trim().toLowerCase();

export function teamNames(teams: Iterable<{ id: string; aliases: readonly string[] }>): TeamNames {
  const byName = new Map<string, string>();
  for (const team of teams) for (const name of [team.id, ...team.aliases]) if (!byName.has(foldName(name))) byName.set(foldName(name), team.id);
  return (value) => byName.get(foldName(value));
}
