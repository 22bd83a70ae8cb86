// The tag standard as pure functions over an "effective tag set": the same rules judge a resource at
// deploy time (policy pack) and a charge in the bill (compliance report), so both always agree.
import type { CostModelInput } from "./schema";

export type TagStandardInput = CostModelInput["tags"];

export type OrgValueSource = "org.teams" | "org.units" | "org.projects" | "org.costCenters";

export interface RequiredTagSpec {
  key: string;
  /** The org ids or values a value may take, when the standard lists them (for "did you mean"). */
  choices?: readonly string[];
  aliases: readonly string[];
  default?: string;
  /** Human words for what values are accepted, e.g. "one of prod, staging, dev" or "a team in org". */
  expected: string;
  accepts(value: string): boolean;
}

export interface TagStandard {
  required: readonly RequiredTagSpec[];
  /** The canonical key a raw key stands for (trimmed; exact key or alias, then a case variant of one), if it is a required key. */
  canonicalKey(rawKey: string): string | undefined;
  /** True when a resource type (Pulumi token or FOCUS ResourceType) or account is exempt from tagging. */
  isExempt(resource: { type?: string | null; account?: string | null }): boolean;
}

export type TagFinding =
  | { key: string; problem: "missing" }
  | { key: string; problem: "empty" }
  | { key: string; problem: "invalid"; value: string; expected: string };

export interface TagEvaluation {
  /** Tags after normalisation: keys trimmed and aliases resolved to canonical keys, values trimmed. */
  tags: ReadonlyMap<string, string>;
  /** One finding per required key that is missing, empty or has a value outside the standard. */
  findings: TagFinding[];
}

/** Raw tags as they come from a bill or a resource: values may be null, numbers or booleans. */
export type RawTags = Iterable<readonly [string, unknown]>;

const globToRegExp = (glob: string) => new RegExp(`^${glob.split("*").map(escapeRegExp).join(".*")}$`, "u");
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function compileTagStandard(input: TagStandardInput, orgValues: Record<OrgValueSource, ReadonlySet<string>>): TagStandard {
  const required = input.required.map((tag): RequiredTagSpec => {
    const base = { key: tag.key, aliases: tag.aliases ?? [], ...(tag.default !== undefined ? { default: tag.default } : {}) };
    if (Array.isArray(tag.values)) {
      const allowed = new Set(tag.values);
      return { ...base, choices: tag.values, expected: `one of ${tag.values.join(", ")}`, accepts: (v) => allowed.has(v) };
    }
    if (typeof tag.values === "string") {
      const ids = orgValues[tag.values];
      const noun = { "org.teams": "a team", "org.units": "a business unit", "org.projects": "a project", "org.costCenters": "a cost center" }[tag.values];
      return { ...base, choices: [...ids], expected: `${noun} in org`, accepts: (v) => ids.has(v) };
    }
    if (tag.pattern !== undefined) {
      const pattern = new RegExp(`^(?:${tag.pattern})$`, "u");
      return { ...base, expected: `a value matching /${tag.pattern}/`, accepts: (v) => pattern.test(v) };
    }
    return { ...base, expected: "a non-empty value", accepts: (v) => v.length > 0 };
  });

  const canonical = new Map<string, string>();
  // Case variants (TEAM, Cost-Center) of a key or alias resolve too, after the exact spellings.
  const folded = new Map<string, string>();
  for (const spec of required) {
    canonical.set(spec.key, spec.key);
    for (const alias of spec.aliases) canonical.set(alias, spec.key);
  }
  for (const [name, key] of canonical) if (!folded.has(name.toLowerCase())) folded.set(name.toLowerCase(), key);
  const exemptTypes = (input.exemptions?.resourceTypes ?? []).map(globToRegExp);
  const exemptAccounts = new Set(input.exemptions?.accounts ?? []);

  return {
    required,
    canonicalKey: (rawKey) => canonical.get(rawKey.trim()) ?? folded.get(rawKey.trim().toLowerCase()),
    isExempt: ({ type, account }) =>
      (account != null && exemptAccounts.has(account)) || (type != null && exemptTypes.some((re) => re.test(type))),
  };
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return (typeof value === "string" ? value : String(value)).trim();
}

/**
 * Normalises raw tags: keys and values trimmed, required keys' aliases resolved. When a resource carries
 * both a key and its alias, the first non-empty of (key, aliases in declared order) wins.
 */
export function normalizeTags(standard: TagStandard, raw: RawTags): Map<string, string> {
  const tags = new Map<string, string>();
  const rank = new Map<string, number>();
  for (const [rawKey, rawValue] of raw) {
    const key = rawKey.trim();
    const value = asText(rawValue);
    const canonicalKey = standard.canonicalKey(key);
    if (canonicalKey === undefined) {
      if (!tags.has(key) || tags.get(key) === "") tags.set(key, value);
      continue;
    }
    const spec = standard.required.find((s) => s.key === canonicalKey)!;
    const alias = spec.aliases.indexOf(key);
    const order = key === canonicalKey ? 0 : alias >= 0 ? 1 + alias : 1 + spec.aliases.length;
    const held = rank.get(canonicalKey);
    const heldValue = tags.get(canonicalKey);
    const better = held === undefined || (heldValue === "" && value !== "") || (order < held && (value !== "" || heldValue === ""));
    if (better) {
      tags.set(canonicalKey, value);
      rank.set(canonicalKey, order);
    }
  }
  return tags;
}

/** Judges raw tags against the standard: one finding per required key that is missing, empty or invalid. */
export function evaluateTags(standard: TagStandard, raw: RawTags): TagEvaluation {
  const tags = normalizeTags(standard, raw);
  const findings: TagFinding[] = [];
  for (const spec of standard.required) {
    const value = tags.get(spec.key);
    if (value === undefined) findings.push({ key: spec.key, problem: "missing" });
    else if (value === "") findings.push({ key: spec.key, problem: "empty" });
    else if (!spec.accepts(value)) findings.push({ key: spec.key, problem: "invalid", value, expected: spec.expected });
  }
  return { tags, findings };
}
