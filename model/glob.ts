// `*` globs, as allot.yaml writes them for exempt resource types and a rule's resource ids: `*` stands
// for any run of characters and nothing else is special. Matched without a regular expression, in time
// linear in the text per star (the classic two-pointer wildcard match), so no pattern can backtrack.
import type { AllocationRuleInput } from "./schema";

/** A matcher for one glob; with `ignoreCase`, letters match in either case. */
export function globMatcher(glob: string, options: { ignoreCase?: boolean } = {}): (text: string) => boolean {
  const fold = options.ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const pattern = fold(glob);
  return (raw) => {
    const text = fold(raw);
    let p = 0;
    let t = 0;
    let star = -1;
    let resume = 0;
    while (t < text.length) {
      if (p < pattern.length && pattern[p] !== "*" && pattern[p] === text[t]) {
        p++;
        t++;
      } else if (p < pattern.length && pattern[p] === "*") {
        star = p++;
        resume = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resume;
      } else return false;
    }
    while (p < pattern.length && pattern[p] === "*") p++;
    return p === pattern.length;
  };
}

/**
 * The same glob as a SQL LIKE pattern with `\` as its escape character: `*` becomes `%`, and the pattern's
 * own `%`, `_` and `\` are escaped, so they stand for themselves as globMatcher reads them.
 */
export function globLikePattern(glob: string): string {
  return glob.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, "%");
}

/** The resourceId globs of the model's rules and tiers, each once, in the order written: ResourceMatch's positions. */
export function resourceGlobs(model: { allocationRules: readonly AllocationRuleInput[] }): string[] {
  const globs = new Set<string>();
  for (const rule of model.allocationRules) {
    for (const part of [rule, ...(rule.method === "tiered" ? rule.tiers : [])]) if (part.match?.resourceId !== undefined) globs.add(part.match.resourceId);
  }
  return [...globs];
}
