// Which charge groups a rule (or tier) takes: every field given must match, compared without regard to
// case; resourceId is a glob; tags compare against the normalised tag set ('*' means any non-empty value).
// Resource ids are matched in the scan, not here: each charge carries which of the rules' globs its id
// matches (ResourceMatch), so a rule on resource ids needs no group per resource.
import type { ChargeMatchInput } from "../../model";
import type { ChargeRow } from "../read/charges";

/** The columns of a charge group a match reads. */
export type MatchedRow = Pick<ChargeRow, "provider" | "account" | "service" | "serviceCategory" | "region" | "chargeCategory" | "resourceMatch">;

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
    if (resource >= 0) {
      // The scan gives every charge its ResourceMatch when the model has globs: a row without one was not read by it.
      if (typeof row.resourceMatch !== "string") throw new Error("a charge row without ResourceMatch met a rule on resource ids; rows must come from the scan (readChargeRows)");
      if (row.resourceMatch[resource] !== "1") return false;
    }
    for (const [key, allowed] of tags) {
      const value = rowTags.get(key);
      if (value === undefined || value === "") return false;
      if (!allowed.includes("*") && !allowed.includes(value.toLowerCase())) return false;
    }
    return true;
  };
}
