// Which charge groups a rule (or tier) takes: every field given must match, compared without regard to
// case; resourceId is a glob; tags compare against the normalised tag set ('*' means any non-empty value).
// Resource ids are matched in the scan, not here: each charge carries which of the rules' globs its id
// matches (ResourceMatch), so a rule on resource ids needs no group per resource.
import { globLikePattern, type ChargeMatchInput, type CostModel } from "../../model";
import { sqlString } from "../read/duckdb";
import type { ChargeRow } from "../read/charges";

/** The columns of a charge group a match reads. */
export type MatchedRow = Pick<ChargeRow, "provider" | "account" | "service" | "serviceCategory" | "region" | "chargeCategory" | "resourceMatch">;

/** The resourceId globs of the model's rules and tiers, each once, in the order written: ResourceMatch's positions. */
export function resourceGlobs(model: Pick<CostModel, "allocationRules">): string[] {
  const globs = new Set<string>();
  for (const rule of model.allocationRules) {
    for (const part of [rule, ...(rule.method === "tiered" ? rule.tiers : [])]) if (part.match?.resourceId !== undefined) globs.add(part.match.resourceId);
  }
  return [...globs];
}

/**
 * A charge's ResourceMatch in SQL: one character per glob of `globs`, '1' where its ResourceId matches it
 * ('*' any run of characters, letters in either case; no id, or an empty one, matches nothing), else '0';
 * NULL when there are no globs. Both sides are lowered by DuckDB, so case is folded one way.
 */
export function resourceMatchSql(globs: readonly string[]): string {
  if (globs.length === 0) return "CAST(NULL AS VARCHAR)";
  const tests = globs.map((g) => `CASE WHEN ResourceId <> '' AND lower(ResourceId) LIKE lower(${sqlString(globLikePattern(g))}) ESCAPE '\\' THEN '1' ELSE '0' END`);
  return tests.length === 1 ? tests[0]! : `concat(${tests.join(", ")})`;
}

export type Matcher = (row: MatchedRow, tags: ReadonlyMap<string, string>) => boolean;

/** The match fields that compare a column of the charge group, with that column in `charges`. */
export const MATCH_COLUMNS = {
  provider: "ProviderName",
  account: "SubAccountId",
  service: "ServiceName",
  serviceCategory: "ServiceCategory",
  region: "RegionId",
  chargeCategory: "ChargeCategory",
} as const satisfies Partial<Record<keyof ChargeMatchInput & keyof MatchedRow, string>>;

const list = (value: string | string[] | undefined) => (value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map((v) => v.toLowerCase()));

/** The matcher of one rule's (or tier's) match; `globs` are resourceGlobs of the model, as the scan tested them. */
export function compileMatch(match: ChargeMatchInput | undefined, globs: readonly string[]): Matcher {
  if (!match) return () => true;
  const fields = (Object.keys(MATCH_COLUMNS) as (keyof typeof MATCH_COLUMNS)[]).map((field) => [field, list(match[field])] as const);
  const checks = fields.filter((f): f is [keyof typeof MATCH_COLUMNS, string[]] => f[1] !== undefined);
  const resource = match.resourceId === undefined ? -1 : globs.indexOf(match.resourceId);
  if (match.resourceId !== undefined && resource < 0) throw new Error(`resourceId ${JSON.stringify(match.resourceId)} is not among the globs the scan tested`);
  const tags = Object.entries(match.tags ?? {}).map(([key, value]) => [key, list(value)!] as const);
  return (row, rowTags) => {
    for (const [field, allowed] of checks) {
      const value = row[field];
      if (typeof value !== "string" || !allowed.includes(value.toLowerCase())) return false;
    }
    if (resource >= 0 && row.resourceMatch?.[resource] !== "1") return false;
    for (const [key, allowed] of tags) {
      const value = rowTags.get(key);
      if (value === undefined || value === "") return false;
      if (!allowed.includes("*") && !allowed.includes(value.toLowerCase())) return false;
    }
    return true;
  };
}
