// Tag sets reduced to the keys allot reads, in SQL, before any reaches JS: a bill where every resource has
// its own Name tag has as many distinct tag sets as resources, but only as many reduced ones as the
// standard, the owner keys and the rules can tell apart. Each source reduces its own tag text (projectTags)
// to the same shape, so its parseTags and the verdict read the reduced text as they read the whole.
import type { DuckDBConnection } from "@duckdb/node-api";
import { ownerKeys, type CostModel } from "../../model";
import { sqlString } from "./duckdb";
import { SOURCES, type KeptKeys } from "./sources";

/** The tag keys the report's breakdowns read (sections/breakdowns.ts). */
export const BREAKDOWN_KEYS = ["project", "product"] as const;

/**
 * Every tag key a consumer reads from a verdict's tags: the required keys and their aliases, the owner keys
 * (of every direct rule and tier), the tag keys of rule and tier matches, and the breakdown keys.
 */
export function tagKeysRead(model: CostModel): string[] {
  const keys = new Set<string>(BREAKDOWN_KEYS);
  for (const spec of model.tags.required) for (const key of [spec.key, ...spec.aliases]) keys.add(key);
  for (const key of [...ruleTagKeys(model), ...ownerKeys(model)]) keys.add(key);
  return [...keys];
}

/** The tag keys of rule and tier matches, and the owner keys of direct rules and tiers. */
function ruleTagKeys(model: CostModel): string[] {
  const keys = new Set<string>();
  for (const rule of model.allocationRules) {
    for (const part of [rule, ...(rule.method === "tiered" ? rule.tiers : [])]) {
      for (const key of Object.keys(part.match?.tags ?? {})) keys.add(key);
      if (part.method === "direct") for (const key of part.keys) keys.add(key);
    }
  }
  return [...keys];
}

/** ASCII whitespace as String.trim and \s know it (other keys are kept whole, see keepKey). */
const SPACE = "(chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || ' ')";
const trimmed = (key: string) => `trim(${key}, ${SPACE})`;
/** The verdict's foldKey for near misses: lower case without whitespace, _ . : or -. */
const folded = (key: string) => `translate(lower(${key}), ${SPACE} || '_.:-', '')`;
const foldKey = (key: string) => key.toLowerCase().replace(/[\s_.:-]/g, "");

/**
 * The keys whose near misses a bill's tags keep: the required keys (the verdict names a near miss of a
 * missing one), the owner keys and the rules' match keys (the month's warnings say "did you mean" for them).
 */
function keysWithNearMisses(model: CostModel): string[] {
  return [...new Set([...model.tags.required.map((spec) => spec.key), ...ownerKeys(model), ...ruleTagKeys(model)])];
}

/**
 * SQL: true for a raw key the verdict may read: any case variant of a key read (the bill resolves case
 * variants), a near miss of a key in keysWithNearMisses (as nearMissOf and nearKey decide), and any key
 * with non-ASCII characters, whose case folding SQL and JS might not agree on.
 */
function keepKey(model: CostModel, key: string): string {
  const t = trimmed(key);
  const read = tagKeysRead(model).map((k) => sqlString(k.toLowerCase()));
  const nearMisses = keysWithNearMisses(model).map((name) =>
    `${folded(t)} = ${sqlString(foldKey(name))}${name.length > 3 ? ` OR levenshtein(lower(${t}), ${sqlString(name.toLowerCase())}) <= 2` : ""}`);
  return `(lower(${t}) IN (${read.join(", ")}) OR strlen(${key}) <> length(${key})${nearMisses.map((n) => ` OR ${n}`).join("")})`;
}

/**
 * Up to this many dropped keys, a source drops them by name (KeptKeys.dropped): json_merge_patch took 0.19 s
 * per million rows with 2 keys and 13 ms more for each further key (0.5 s with 32), where testing and
 * rebuilding every entry took 1.1 s.
 */
const MAX_DROPPED_BY_NAME = 32;
/** Beyond this many dropped keys, a list lookup per entry costs more than judging the entry's key itself. */
const MAX_DROPPED_LISTED = 256;

/**
 * SQL over a column `Tags` (and `TagsFormat`): the tag text reduced to the keys allot reads, per source.
 * For a source that lists its keys (tagKeys), the distinct keys of `from` are judged once each, in one
 * pass, and the entries dropped are those whose key is one of the keys judged not kept: judging every
 * entry's key (near misses take an edit distance per required key) is what a bill with a million distinct
 * tag sets spends its time on otherwise. A key `from` does not have is kept whole, so `from` may be a
 * sample of the texts the expression is applied to: keeping more than the keys read changes no verdict,
 * only how many reduced texts there are.
 */
export async function tagProjection(db: DuckDBConnection, model: CostModel, from: string): Promise<string> {
  const listing = SOURCES.filter((s) => s.tagKeys);
  const keys = `CASE TagsFormat ${listing.map((s) => `WHEN ${sqlString(s.id)} THEN ${s.tagKeys!("Tags")}`).join(" ")} END`;
  // The distinct keys first, in a table of their own, so the judgement runs on each once (a filter over
  // the DISTINCT would be pushed below it, onto every entry).
  await db.run(`CREATE OR REPLACE TEMP TABLE tag_keys AS SELECT DISTINCT TagsFormat, unnest(${keys}) AS k FROM ${from}
    WHERE Tags IS NOT NULL AND TagsFormat IN (${listing.map((s) => sqlString(s.id)).join(", ")})`);
  const dropped = new Map<string, string[]>(listing.map((s) => [s.id, []]));
  const rows = (await db.runAndReadAll(`SELECT TagsFormat, list(k ORDER BY k)[:${MAX_DROPPED_LISTED + 1}] AS keys FROM tag_keys
    WHERE k IS NOT NULL AND NOT ${keepKey(model, "k")} GROUP BY TagsFormat`)).getRowObjectsJS();
  for (const r of rows) dropped.set(String(r.TagsFormat), (r.keys as unknown[]).map(String));
  await db.run("DROP TABLE tag_keys");
  // IN over constants, not list_contains: a list literal inside the lambda is built again for every entry.
  const keptKeys = (id: string): KeptKeys => {
    const list = dropped.get(id);
    if (list === undefined || list.length > MAX_DROPPED_LISTED) return { keep: (key) => keepKey(model, key) };
    const keep = (key: string) => (list.length === 0 ? "true" : `${key} NOT IN (${list.map(sqlString).join(", ")})`);
    return list.length > MAX_DROPPED_BY_NAME ? { keep } : { keep, dropped: list };
  };
  return `CASE TagsFormat ${SOURCES.map((s) => `WHEN ${sqlString(s.id)} THEN ${s.projectTags("Tags", keptKeys(s.id))}`).join("\n      ")} ELSE Tags END`;
}

/**
 * Builds the temp table `tag_projection` (TagsFormat, Tags, Projected): each distinct tag text of `table`
 * and its reduced text (tagProjection), computed once per distinct text, never per row.
 */
export async function projectTagSets(db: DuckDBConnection, model: CostModel, table: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE tag_texts AS SELECT DISTINCT TagsFormat, Tags FROM ${table} WHERE Tags IS NOT NULL`);
  const projected = await tagProjection(db, model, "tag_texts");
  await db.run(`CREATE OR REPLACE TEMP TABLE tag_projection AS SELECT TagsFormat, Tags, ${projected} AS Projected FROM tag_texts`);
  await db.run("DROP TABLE tag_texts");
}
