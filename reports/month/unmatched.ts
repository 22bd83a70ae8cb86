// What allot.yaml names that the month's bill does not: allocation rules and tiers whose match selects no
// charge, tag exemptions no charge fits, and required or owner tag keys no charge carries. Each warning
// says what the bill carries that looks like it ("did you mean", by the tag verdict's own helpers). What
// the bill carries is asked of DuckDB (distinct values of `judged` and `tag_entries` in the month), never
// read row by row; only a rule whose every condition is met by some charge is tried against the month's
// distinct combinations of the columns rules match on, with the engine's own matcher.
import type { DuckDBConnection } from "@duckdb/node-api";
import { globMatcher, nearKey, resourceGlobs, suggest, type ChargeMatchInput, type CostModel } from "../../model";
import { compileMatch, MATCH_COLUMNS, type MatchedRow } from "../allocate/match";
import { queryCharges } from "../read/billing";
import { sqlString } from "../read/duckdb";
import { TagSetJudge } from "../read/tags";

type Field = keyof typeof MATCH_COLUMNS;

/** What the month's charges carry: distinct column values, tag keys, and each key's non-empty values. */
interface Carried {
  columns: Record<Field | "resourceType", string[]>;
  keys: string[];
  values: ReadonlyMap<string, string[]>;
}

const FIELDS = Object.keys(MATCH_COLUMNS) as Field[];
const quote = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 59)}…` : text);
const didYouMean = (near: string | undefined) => (near === undefined ? "" : ` (did you mean ${quote(near)}?)`);
const sorted = (values: unknown) => ((values as unknown[] | null) ?? []).filter((v): v is string => typeof v === "string").sort();

/** Charge groups of the month in `judged` (built by compliance, attribute/tag-sets.ts). */
const inMonth = (month: string) => `FROM judged WHERE BillingMonth = ${sqlString(month)}`;

async function carried(db: DuckDBConnection, month: string): Promise<Carried> {
  const columns = [...FIELDS.map((f) => [f, MATCH_COLUMNS[f]] as const), ["resourceType", "ResourceType"] as const];
  const [row] = await queryCharges(db, `SELECT ${columns.map(([f, c]) => `list(DISTINCT ${c}) FILTER (WHERE ${c} IS NOT NULL) AS ${f}`).join(", ")} ${inMonth(month)}`);
  const entries = await queryCharges(
    db,
    `SELECT e.key, list(DISTINCT e.value) FILTER (WHERE e.value <> '') AS vals
     FROM tag_entries e JOIN (SELECT DISTINCT TagsFormat, Tags, ProviderName ${inMonth(month)}) j
       ON e.TagsFormat = j.TagsFormat AND e.Tags IS NOT DISTINCT FROM j.Tags AND e.ProviderName IS NOT DISTINCT FROM j.ProviderName
     GROUP BY e.key ORDER BY e.key`,
  );
  return {
    columns: Object.fromEntries(columns.map(([f]) => [f, sorted(row?.[f])])) as Carried["columns"],
    keys: entries.map((e) => String(e.key)),
    values: new Map(entries.map((e) => [String(e.key), sorted(e.vals)])),
  };
}

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** A condition no charge meets, and its "did you mean" ("" without one). */
interface Unmet {
  text: string;
  hint: string;
}
const said = (unmet: readonly Unmet[]) => unmet.map((u) => `${u.text}${u.hint}`).join("; ");

/**
 * The conditions of a match that no charge meets, one text each ("tags.cost-pool "x" is on no charge (did
 * you mean "y"?)"), and whether the match selects nothing for that reason alone (some field none of whose
 * values any charge has). A value is carried when a charge has it in any case, as the matcher compares.
 */
function unmetConditions(match: ChargeMatchInput, bill: Carried): { unmet: Unmet[]; empty: boolean } {
  const unmet: Unmet[] = [];
  let empty = false;
  const check = (label: string, wanted: readonly string[], have: readonly string[]) => {
    const lower = new Set(have.map((v) => v.toLowerCase()));
    const missing = wanted.filter((v) => !lower.has(v.toLowerCase()));
    for (const value of missing) unmet.push({ text: `${label} ${quote(value)} is on no charge`, hint: didYouMean(suggest(value, have)) });
    if (missing.length === wanted.length) empty = true;
  };
  for (const field of FIELDS) {
    const wanted = match[field];
    if (wanted !== undefined) check(`match.${field}`, asList(wanted), bill.columns[field]);
  }
  for (const [key, wanted] of Object.entries(match.tags ?? {})) {
    const values = bill.values.get(key);
    if (values === undefined || values.length === 0) {
      unmet.push(values === undefined ? { text: `match.tags key ${quote(key)} is on no charge`, hint: didYouMean(nearKey(key, bill.keys)) } : { text: `match.tags key ${quote(key)} is on no charge with a value`, hint: "" });
      empty = true;
    } else if (!asList(wanted).includes("*")) check(`match.tags.${key}`, asList(wanted), values);
  }
  return { unmet, empty };
}

/** Matches whose conditions each meet some charge, tried against the month's distinct combinations of the columns they read. */
async function selectNothing(db: DuckDBConnection, model: CostModel, month: string, matches: readonly (readonly ChargeMatchInput[])[]): Promise<boolean[]> {
  if (matches.length === 0) return [];
  const fields = FIELDS.filter((f) => matches.some((parts) => parts.some((m) => m[f] !== undefined)));
  // Resource ids are judged by the globs the scan tested (ResourceMatch), not one by one.
  const withResource = matches.some((parts) => parts.some((m) => m.resourceId !== undefined));
  const withTags = matches.some((parts) => parts.some((m) => Object.keys(m.tags ?? {}).length > 0));
  const columns = [...fields.map((f) => MATCH_COLUMNS[f]), ...(withResource ? ["ResourceMatch"] : []), ...(withTags ? ["TagsFormat", "Tags", "ProviderName"] : [])];
  const combos = await queryCharges(db, `SELECT DISTINCT ${columns.length > 0 ? columns.join(", ") : "1 AS any"} ${inMonth(month)}`);
  const judge = new TagSetJudge(model.tags);
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const rows = combos.map((c) => {
    const row: MatchedRow = {
      provider: str(c.ProviderName) ?? "(none)", account: str(c.SubAccountId), service: str(c.ServiceName), serviceCategory: str(c.ServiceCategory),
      region: str(c.RegionId), chargeCategory: str(c.ChargeCategory) ?? "(none)", resourceMatch: str(c.ResourceMatch),
    };
    const verdict = withTags ? judge.judge(String(c.TagsFormat), str(c.Tags), str(c.ProviderName)) : "unreadable";
    return { row, tags: verdict === "unreadable" ? new Map<string, string>() : verdict.tags };
  });
  const globs = resourceGlobs(model);
  return matches.map((parts) => {
    const matchers = parts.map((m) => compileMatch(m, globs));
    return !rows.some(({ row, tags }) => matchers.every((matches) => matches(row, tags)));
  });
}

/**
 * The month's warnings about allot.yaml against the bill, one line each, in a fixed order: tag keys,
 * exemptions, then rules and tiers as declared. Needs `judged` and `tag_entries` (compliance builds them).
 */
export async function unmatchedWarnings(db: DuckDBConnection, model: CostModel, month: string): Promise<string[]> {
  const bill = await carried(db, month);
  const warnings: string[] = [];
  const carriedKeys = new Set(bill.keys);

  // The owner keys: without a direct rule, the first required key (ownership.ts ownerKeys).
  const keys = new Map<string, string>();
  model.input.tags.required.forEach((tag, i) => keys.set(tag.key, `tags.required[${i}].key`));
  for (const rule of model.allocationRules) {
    for (const part of [rule, ...(rule.method === "tiered" ? rule.tiers : [])]) {
      if (part.method === "direct") for (const key of part.keys) if (!keys.has(key)) keys.set(key, `an owner key of rule ${quote(rule.name)}`);
    }
  }
  for (const [key, where] of keys) {
    if (!carriedKeys.has(key)) warnings.push(`tag key ${quote(key)} (${where}) is on no charge in ${month}${didYouMean(nearKey(key, bill.keys))}`);
  }

  const exemptions = model.input.tags.exemptions;
  exemptions?.accounts?.forEach((account, i) => {
    if (!bill.columns.account.includes(account)) warnings.push(`tags.exemptions.accounts[${i}] ${quote(account)} is the account of no charge in ${month}${didYouMean(suggest(account, bill.columns.account))}`);
  });
  exemptions?.resourceTypes?.forEach((glob, i) => {
    // Pulumi type tokens (aws:iam/*, pulumi:*) exempt resources at deploy time; bills carry FOCUS ResourceType.
    if (glob.includes(":")) return;
    const matches = globMatcher(glob);
    if (!bill.columns.resourceType.some((t) => matches(t))) {
      const hint = bill.columns.resourceType.length === 0 ? " (no charge in the month has a ResourceType)" : didYouMean(suggest(glob.replace(/\*/g, ""), bill.columns.resourceType));
      warnings.push(`tags.exemptions.resourceTypes[${i}] ${quote(glob)} matches no charge's ResourceType in ${month}${hint}`);
    }
  });

  // Rules and tiers that each condition alone leaves possible: tried together against the month's charges.
  const pending: { label: string; matches: ChargeMatchInput[]; unmet: Unmet[]; rule: number; tier: boolean }[] = [];
  model.allocationRules.forEach((rule, r) => {
    const label = `rule ${quote(rule.name)} (allocation.rules[${r}])`;
    const own = rule.match ? unmetConditions(rule.match, bill) : { unmet: [], empty: false };
    if (own.empty) {
      warnings.push(`${label} selects no charge in ${month}: ${said(own.unmet)}`);
      return;
    }
    const ruleMatch = rule.match && hasConditions(rule.match) ? [rule.match] : [];
    if (ruleMatch.length > 0) pending.push({ label, matches: ruleMatch, unmet: own.unmet, rule: r, tier: false });
    if (rule.method !== "tiered") return;
    rule.tiers.forEach((tier, t) => {
      if (!tier.match || !hasConditions(tier.match)) return;
      const tierLabel = `tier ${quote(tier.name)} of rule ${quote(rule.name)} (allocation.rules[${r}].tiers[${t}])`;
      const conditions = unmetConditions(tier.match, bill);
      if (conditions.empty) warnings.push(`${tierLabel} selects no charge in ${month}: ${said(conditions.unmet)}`);
      else pending.push({ label: tierLabel, matches: [...ruleMatch, tier.match], unmet: conditions.unmet, rule: r, tier: true });
    });
  });
  const nothing = await selectNothing(db, model, month, pending.map((p) => p.matches));
  // A rule that selects nothing says so once, not again for each of its tiers.
  const emptyRules = new Set(pending.filter((p, i) => nothing[i] && !p.tier).map((p) => p.rule));
  pending.forEach(({ label, unmet, rule, tier }, i) => {
    if (tier && emptyRules.has(rule)) return;
    if (nothing[i]) warnings.push(`${label} selects no charge in ${month}: no charge meets all of its conditions at once${unmet.length > 0 ? `; ${said(unmet)}` : ""}`);
    // A value on no charge that looks like one the bill has is most likely a typo, even when others match.
    else for (const u of unmet.filter((u) => u.hint !== "")) warnings.push(`${label}: ${u.text} in ${month}${u.hint}`);
  });
  return warnings;
}

/** An empty match takes everything left: it cannot select nothing for its own sake. */
const hasConditions = (match: ChargeMatchInput) => FIELDS.some((f) => match[f] !== undefined) || match.resourceId !== undefined || Object.keys(match.tags ?? {}).length > 0;
