// Rule: the value of every required key is one the standard accepts (allowed list, pattern, an org
// entity). Unknown values are left for `pulumi up`, where the engine knows them.
import { closest, distance } from "fastest-levenshtein";
import type { TagStandard } from "../../model";
import type { EffectiveTags } from "../effective-tags";

export interface ValueFinding {
  key: string;
  value: string;
  secret: boolean;
  expected: string;
  suggestion?: string;
  nonString?: string;
}

export interface TagValuesResult {
  invalid: ValueFinding[];
  /** Required keys whose value is unknown during preview. */
  unknown: string[];
}

/** The allowed value the given one was most likely meant to be: a small edit away, or a prefix either way. */
function suggest(given: string, choices: readonly string[]): string | undefined {
  const value = given.trim().toLowerCase();
  if (choices.length === 0 || value === "") return undefined;
  const near = closest(value, [...choices]);
  if (near !== given && distance(value, near) <= Math.max(2, Math.floor(near.length / 3))) return near;
  return choices.find((c) => c !== given && (value.startsWith(c.toLowerCase()) || c.toLowerCase().startsWith(value)));
}

export function checkTagValues(tags: EffectiveTags, standard: TagStandard): TagValuesResult {
  const invalid: ValueFinding[] = [];
  const unknown: string[] = [];
  for (const spec of standard.required) {
    const value = tags.tags.get(spec.key);
    if (value === undefined) continue;
    if (value.state === "unknown") {
      unknown.push(spec.key);
      continue;
    }
    if (value.value.trim() === "") continue;
    if (value.nonString !== undefined || !spec.accepts(value.value)) {
      const suggestion = suggest(value.value, spec.choices ?? []);
      invalid.push({
        key: spec.key,
        value: value.value,
        secret: value.secret,
        expected: spec.expected,
        ...(suggestion !== undefined ? { suggestion } : {}),
        ...(value.nonString !== undefined ? { nonString: value.nonString } : {}),
      });
    }
  }
  return { invalid, unknown };
}
