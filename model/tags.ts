// The tag standard and its one verdict. `judgeTags` decides whether a tag set complies, for a resource at
// deploy time (the policy pack, remediation, auto-tagging) and for a charge in the bill (compliance,
// ownership, allocation), so both always give the same answer to the same tags.
//
// Rules every caller gets from here, not from its own code:
// - Surrounding whitespace is insignificant: keys and values are trimmed before they are judged, in the
//   bill and at deploy time alike (" checkout " is checkout). The cloud's own limits still see the raw text.
// - Mode `bill` accepts a required key's aliases and case variants (Team, costcenter), as old bills carry
//   them; mode `deploy` asks for the canonical key and names the alias as a near miss.
// - On a cloud that forces lower case (GCP labels), org ids, allowed values and patterns match without
//   regard to case, and an accepted value reads back in the standard's spelling (cc-1100 is CC-1100).
// - For `values: org.teams`, mode `bill` accepts a team's aliases and any case of its id or aliases
//   (PeoriaData, Checkout), reading back as the team id; mode `deploy` asks for the id and names the team
//   the alias stands for as the suggestion, as it does for key aliases.
import { closest, distance } from "fastest-levenshtein";
import { taggableType } from "./catalog";
import { forcesLowerCase, type Cloud } from "./clouds";
import { globMatcher } from "./glob";
import { compileTagPattern } from "./pattern";
import type { CostModelInput } from "./schema";
import type { TeamNames } from "./team-names";

export type TagStandardInput = CostModelInput["tags"];

export type OrgValueSource = "org.teams" | "org.units" | "org.projects" | "org.costCenters";

export type TagMode = "bill" | "deploy";

export interface RequiredTagSpec {
  key: string;
  /** The org ids or values a value may take, when the standard lists them (for "did you mean"). */
  choices?: readonly string[];
  aliases: readonly string[];
  default?: string;
  /** Human words for what values are accepted, e.g. "one of prod, staging, dev" or "a team in org". */
  expected: string;
  /** The value in the standard's spelling when it is accepted on that cloud in that mode, else undefined. */
  match(value: string, cloud: Cloud | undefined, mode?: TagMode): string | undefined;
  /** The accepted value a refused one stands for (a team alias at deploy time), before any "did you mean". */
  nearMiss?(value: string): string | undefined;
}

export interface TagStandard {
  required: readonly RequiredTagSpec[];
  /** The canonical key a raw key stands for in the bill (exact key or alias, then a case variant of one). */
  canonicalKey(rawKey: string): string | undefined;
  /**
   * True when a resource type (Pulumi token or FOCUS ResourceType) or account is exempt from tagging, or a
   * Kubernetes object of a kind the standard does not ask labels of (`tags.kubernetes.labelsOn`).
   */
  isExempt(resource: { type?: string | null; account?: string | null }): boolean;
  /** Which Kubernetes objects must carry the required tags as labels (`tags.kubernetes.labelsOn`). */
  labelsOn: ReadonlySet<"namespaces" | "workloads">;
}

/** A tag value as a resource or a bill carries it; `unknown` is a preview value known only at `pulumi up`. */
export type TagValue = { state: "known"; value: string; secret?: boolean; nonString?: string } | { state: "unknown" };

export interface TagCase {
  mode: TagMode;
  cloud?: Cloud | undefined;
  entries: Iterable<readonly [string, TagValue]>;
  /** The tag collection as a whole is unknown (preview): which keys it has cannot be told yet. */
  unknownCollection?: boolean;
  /** Decides exemptions: a Pulumi type token or FOCUS ResourceType, and an account id. */
  resourceType?: string | null;
  account?: string | null;
}

export type TagFinding =
  | { key: string; problem: "missing"; nearMiss?: string }
  | { key: string; problem: "empty" }
  | { key: string; problem: "invalid"; value: string; secret: boolean; expected: string; suggestion?: string; nonString?: string };

export type TagStatus = "compliant" | "non-compliant" | "not-applicable" | "unknown";

export interface TagVerdict {
  status: TagStatus;
  /** Normalised tags: trimmed, aliases resolved in bill mode, accepted values in the standard's spelling. */
  tags: ReadonlyMap<string, string>;
  /** One finding per required key that is missing, empty or has a value outside the standard. */
  findings: TagFinding[];
  /** Required keys whose presence or value is unknown until `pulumi up`. */
  unknown: string[];
}

/** Raw tags as they come from a bill: values may be null, numbers or booleans. */
export type RawTags = Iterable<readonly [string, unknown]>;

const ORG_NOUNS: Record<OrgValueSource, string> = { "org.teams": "a team", "org.units": "a business unit", "org.projects": "a project", "org.costCenters": "a cost center" };

/** A matcher over a list of accepted values: exact, or without regard to case where the cloud forces it. */
function choiceMatcher(values: readonly string[]): RequiredTagSpec["match"] {
  const exact = new Set(values);
  const folded = new Map<string, string>();
  for (const v of values) if (!folded.has(v.toLowerCase())) folded.set(v.toLowerCase(), v);
  return (value, cloud) => (exact.has(value) ? value : forcesLowerCase(cloud) ? folded.get(value.toLowerCase()) : undefined);
}

/**
 * Compiles the tag standard. `teamName` (the model's, team-names.ts) resolves team aliases and case variants
 * for `values: org.teams`; without it only team ids are accepted.
 */
export function compileTagStandard(input: TagStandardInput, orgValues: Record<OrgValueSource, ReadonlySet<string>>, teamName?: TeamNames): TagStandard {
  const required = input.required.map((tag): RequiredTagSpec => {
    const base = { key: tag.key, aliases: tag.aliases ?? [], ...(tag.default !== undefined ? { default: tag.default } : {}) };
    if (Array.isArray(tag.values)) return { ...base, choices: tag.values, expected: `one of ${tag.values.join(", ")}`, match: choiceMatcher(tag.values) };
    if (typeof tag.values === "string") {
      const ids = [...orgValues[tag.values]];
      const spec = { ...base, choices: ids, expected: `${ORG_NOUNS[tag.values]} in org`, match: choiceMatcher(ids) };
      if (tag.values !== "org.teams" || teamName === undefined) return spec;
      return { ...spec, match: (v, cloud, mode) => spec.match(v, cloud) ?? (mode === "bill" ? teamName(v) : undefined), nearMiss: teamName };
    }
    if (tag.pattern !== undefined) {
      const pattern = compileTagPattern(tag.pattern);
      if ("error" in pattern) throw new Error(`tags.required ${tag.key}: pattern ${JSON.stringify(tag.pattern)}: ${pattern.error}`);
      return { ...base, expected: `a value matching /${tag.pattern}/`, match: (v, cloud) => (pattern.matches(v, forcesLowerCase(cloud)) ? v : undefined) };
    }
    return { ...base, expected: "a non-empty value", match: (v) => (v.length > 0 ? v : undefined) };
  });

  const canonical = new Map<string, string>();
  // Case variants (TEAM, Cost-Center) of a key or alias resolve too, after the exact spellings.
  const folded = new Map<string, string>();
  for (const spec of required) {
    canonical.set(spec.key, spec.key);
    for (const alias of spec.aliases) canonical.set(alias, spec.key);
  }
  for (const [name, key] of canonical) if (!folded.has(name.toLowerCase())) folded.set(name.toLowerCase(), key);
  const exemptTypes = (input.exemptions?.resourceTypes ?? []).map((glob) => globMatcher(glob));
  const exemptAccounts = new Set(input.exemptions?.accounts ?? []);
  const labelsOn = new Set<"namespaces" | "workloads">(input.kubernetes?.labelsOn ?? ["namespaces", "workloads"]);
  const kubernetesExempt = (type: string) => {
    const kind = taggableType(type)?.kubernetes;
    return kind !== undefined && !labelsOn.has(kind === "namespace" ? "namespaces" : "workloads");
  };

  return {
    required,
    labelsOn,
    canonicalKey: (rawKey) => canonical.get(rawKey.trim()) ?? folded.get(rawKey.trim().toLowerCase()),
    isExempt: ({ type, account }) =>
      (account != null && exemptAccounts.has(account)) || (type != null && (exemptTypes.some((matches) => matches(type)) || kubernetesExempt(type))),
  };
}

/** A bill's raw value as a tag value: null is empty, numbers and booleans read as their text. */
export function billTagValue(value: unknown): TagValue {
  if (value === null || value === undefined) return { state: "known", value: "" };
  return { state: "known", value: typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value) };
}

/** Bill entries as the verdict takes them. */
export function billEntries(raw: RawTags): [string, TagValue][] {
  return [...raw].map(([key, value]) => [key, billTagValue(value)]);
}

const isEmpty = (v: TagValue) => v.state === "known" && v.value.trim() === "";

/**
 * Normalises tags: keys and values trimmed; in bill mode a required key's aliases and case variants
 * resolve to it. When several spellings are present, the first non-empty of (key, aliases in declared
 * order, case variants) wins.
 */
function normalize(standard: TagStandard, mode: TagMode, entries: Iterable<readonly [string, TagValue]>): { tags: Map<string, TagValue>; present: string[] } {
  const tags = new Map<string, TagValue>();
  const rank = new Map<string, number>();
  const present: string[] = [];
  const specs = new Map(standard.required.map((s) => [s.key, s]));
  for (const [rawKey, raw] of entries) {
    const key = rawKey.trim();
    present.push(key);
    const value: TagValue = raw.state === "known" ? { ...raw, value: raw.value.trim() } : raw;
    const canonicalKey = mode === "bill" ? standard.canonicalKey(key) : specs.has(key) ? key : undefined;
    if (canonicalKey === undefined) {
      if (!tags.has(key) || isEmpty(tags.get(key)!)) tags.set(key, value);
      continue;
    }
    const spec = specs.get(canonicalKey)!;
    const alias = spec.aliases.indexOf(key);
    const order = key === canonicalKey ? 0 : alias >= 0 ? 1 + alias : 1 + spec.aliases.length;
    const held = rank.get(canonicalKey);
    const heldValue = tags.get(canonicalKey);
    const better = held === undefined || (isEmpty(heldValue!) && !isEmpty(value)) || (order < held && (!isEmpty(value) || isEmpty(heldValue!)));
    if (better) {
      tags.set(canonicalKey, value);
      rank.set(canonicalKey, order);
    }
  }
  return { tags, present };
}

/** Normalised bill tags as plain strings (aliases resolved, values trimmed). */
export function normalizeTags(standard: TagStandard, raw: RawTags): Map<string, string> {
  const { tags } = normalize(standard, "bill", billEntries(raw));
  return new Map([...tags].map(([k, v]) => [k, v.state === "known" ? v.value : ""]));
}

const foldKey = (key: string) => key.toLowerCase().replace(/[\s_.:-]/g, "");

/** True when `candidate` looks like the key `key`: another case or separator, or a small typo. */
const looksLikeKey = (key: string, candidate: string) =>
  candidate !== key && (foldKey(candidate) === foldKey(key) || (key.length > 3 && distance(candidate.toLowerCase(), key.toLowerCase()) <= 2));

/** A present key that looks like the missing one: an alias, another case or separator, or a small typo. */
function nearMissOf(spec: RequiredTagSpec, present: readonly string[]): string | undefined {
  return present.find((p) => p !== spec.key && (spec.aliases.includes(p) || looksLikeKey(spec.key, p)));
}

/** "Did you mean" for a tag key: the first of `present` that looks like `key` (see looksLikeKey). */
export function nearKey(key: string, present: readonly string[]): string | undefined {
  return present.find((p) => looksLikeKey(key, p));
}

/**
 * "Did you mean" for a value: the one of `choices` the given one was most likely meant to be, a small edit
 * away or a prefix either way, compared without regard to case.
 */
export function suggest(given: string, choices: readonly string[]): string | undefined {
  const value = given.trim().toLowerCase();
  if (choices.length === 0 || value === "") return undefined;
  const near = closest(value, [...choices]);
  if (near !== given && distance(value, near.toLowerCase()) <= Math.max(2, Math.floor(near.length / 3))) return near;
  return choices.find((c) => c !== given && (value.startsWith(c.toLowerCase()) || c.toLowerCase().startsWith(value)));
}

/**
 * The verdict on a tag set: compliant, non-compliant (with a finding per required key at fault),
 * not applicable (an exempt resource type or account) or unknown (preview values that decide it).
 */
export function judgeTags(standard: TagStandard, subject: TagCase): TagVerdict {
  if (standard.isExempt({ type: subject.resourceType ?? null, account: subject.account ?? null })) {
    return { status: "not-applicable", tags: new Map(), findings: [], unknown: [] };
  }
  const { tags, present } = normalize(standard, subject.mode, subject.entries);
  const findings: TagFinding[] = [];
  const unknown: string[] = [];
  const accepted = new Map<string, string>();
  for (const spec of standard.required) {
    const value = tags.get(spec.key);
    if (value === undefined) {
      if (subject.unknownCollection) unknown.push(spec.key);
      else {
        const nearMiss = nearMissOf(spec, present);
        findings.push({ key: spec.key, problem: "missing", ...(nearMiss !== undefined ? { nearMiss } : {}) });
      }
    } else if (value.state === "unknown") unknown.push(spec.key);
    else if (value.value === "") findings.push({ key: spec.key, problem: "empty" });
    else {
      const spelled = value.nonString === undefined ? spec.match(value.value, subject.cloud, subject.mode) : undefined;
      if (spelled !== undefined) accepted.set(spec.key, spelled);
      else {
        const suggestion = spec.nearMiss?.(value.value) ?? suggest(value.value, spec.choices ?? []);
        findings.push({
          key: spec.key,
          problem: "invalid",
          value: value.value,
          secret: Boolean(value.secret),
          expected: spec.expected,
          ...(suggestion !== undefined ? { suggestion } : {}),
          ...(value.nonString !== undefined ? { nonString: value.nonString } : {}),
        });
      }
    }
  }
  const plain = new Map<string, string>();
  for (const [key, value] of tags) if (value.state === "known") plain.set(key, accepted.get(key) ?? value.value);
  const status: TagStatus = findings.length > 0 ? "non-compliant" : unknown.length > 0 ? "unknown" : "compliant";
  return { status, tags: plain, findings, unknown };
}

/** The verdict on a bill's tag set, for charges of the given cloud. */
export function judgeBillTags(standard: TagStandard, cloud: Cloud | undefined, raw: RawTags): TagVerdict {
  return judgeTags(standard, { mode: "bill", cloud, entries: billEntries(raw) });
}
