// Which charge groups a rule (or tier) takes: every field given must match, compared without regard to
// case; resourceId is a glob; tags compare against the normalised tag set ('*' means any non-empty value).
import { globMatcher, type ChargeMatchInput } from "../../model";
import type { ChargeRow } from "../read/charges";

/** The columns of a charge group a match reads. */
export type MatchedRow = Pick<ChargeRow, "provider" | "account" | "service" | "serviceCategory" | "region" | "chargeCategory" | "resourceId">;

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

export function compileMatch(match: ChargeMatchInput | undefined): Matcher {
  if (!match) return () => true;
  const fields = (Object.keys(MATCH_COLUMNS) as (keyof typeof MATCH_COLUMNS)[]).map((field) => [field, list(match[field])] as const);
  const checks = fields.filter((f): f is [keyof typeof MATCH_COLUMNS, string[]] => f[1] !== undefined);
  const resource = match.resourceId ? globMatcher(match.resourceId, { ignoreCase: true }) : undefined;
  const tags = Object.entries(match.tags ?? {}).map(([key, value]) => [key, list(value)!] as const);
  return (row, rowTags) => {
    for (const [field, allowed] of checks) {
      const value = row[field];
      if (typeof value !== "string" || !allowed.includes(value.toLowerCase())) return false;
    }
    if (resource && !(row.resourceId && resource(row.resourceId))) return false;
    for (const [key, allowed] of tags) {
      const value = rowTags.get(key);
      if (value === undefined || value === "") return false;
      if (!allowed.includes("*") && !allowed.includes(value.toLowerCase())) return false;
    }
    return true;
  };
}
