// What every billing source module provides: how to recognise its files from their columns, the SELECT
// that maps one file group into the FOCUS-shaped columns of the `charges` view, and how to read the tag
// sets it writes. Each source owns its whole mapping; the view's TagsFormat column names the source.
import { sqlString } from "../duckdb";

export type FileFormat = "csv" | "parquet" | "json";

/** The id of the source whose `parseTags` reads a row's Tags. */
export type TagsFormat = string;

/** A tag set as key/value pairs, in the order the source wrote them (later keys override earlier ones). */
export type TagEntries = [string, unknown][];

/** The columns of a file as DuckDB reads it: name to DuckDB type. */
export type Columns = ReadonlyMap<string, string>;

/**
 * The column each reader writes a row's file name into. Not DuckDB's default, `filename`: an export (or a
 * file DuckDB wrote with filename = true) may have a column of that name, which would then clash.
 */
export const FILE_COLUMN = "__allot_source_file";

export interface BillingSource {
  /** Stable id, shown in errors and in the mapping table (docs/sources.md). */
  id: string;
  name: string;
  formats: readonly FileFormat[];
  detect(columns: Columns): boolean;
  /**
   * A SELECT over `from` (the file group's scan) producing exactly the columns of CHARGE_COLUMNS.
   * Money stays text or exact DECIMAL here; the view casts it.
   */
  select(from: string, columns: Columns, format: FileFormat): string;
  /**
   * Reads one non-empty tag set as the SELECT wrote it into Tags; "unreadable" when it is not what the
   * source promises. Called once per distinct tag set, never once per row.
   */
  parseTags(text: string): TagEntries | "unreadable";
  /**
   * SQL: the tag text `text` (as the SELECT wrote it) reduced to the entries whose key `keys` keeps, in the
   * same shape, so `parseTags` reads it and the verdict on it is the verdict on the whole text. Text it
   * cannot reduce safely stays as it is.
   */
  projectTags(text: string, keys: KeptKeys): string;
  /**
   * Optional SQL: the raw keys of a tag text as a LIST(VARCHAR), a superset of those projectTags hands to
   * `keep` (extra keys are harmless). With it, keys are judged once per distinct key, not once per entry,
   * and a projection may be handed the few keys it drops by name (KeptKeys.dropped).
   */
  tagKeys?(text: string): string;
}

/** Which entries of a tag text a projection keeps. */
export interface KeptKeys {
  /** SQL: whether the entry whose key is the SQL expression `key` (as parseTags reads it) is kept. */
  keep(key: string): string;
  /**
   * When set: every key is kept but these raw keys, exactly as tagKeys lists them (so `keep(k)` is
   * `k NOT IN dropped`), and a source may drop them by name instead of testing each entry.
   */
  dropped?: readonly string[];
}

/** SQL: the keys of a JSON object's text (NULL for other text); a superset of what projectJsonObject reads. */
export const jsonObjectKeys = (text: string) => `json_keys(CASE WHEN json_type(TRY_CAST(${text} AS JSON)) = 'OBJECT' THEN TRY_CAST(${text} AS JSON) END)`;

/** The text some exports write for "no value". */
const NULL_TEXT = new Set(["NULL", "null"]);

/** Reads a row's Tags with its source: no tags for NULL or empty text, NULL-text values dropped. */
export function readTagSet(source: Pick<BillingSource, "parseTags">, text: string | null): TagEntries | "unreadable" {
  if (text === null || text.trim() === "" || NULL_TEXT.has(text.trim())) return [];
  const entries = source.parseTags(text);
  if (entries === "unreadable") return entries;
  return entries.filter(([, value]) => !(typeof value === "string" && NULL_TEXT.has(value.trim())));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return "unreadable";
  }
}

/** The entries of a JSON object's text; "unreadable" for anything else. */
export function jsonObjectEntries(text: string): TagEntries | "unreadable" {
  const value = parseJson(text);
  if (value === null) return [];
  if (typeof value !== "object" || Array.isArray(value)) return "unreadable";
  return Object.entries(value as Record<string, unknown>);
}

/** Parsed JSON text, or "unreadable". */
export { parseJson };

/** Stands in for the entries a projection dropped, so a tag set with only other keys still has tags. */
export const DROPPED_TAGS_KEY = "…";

/**
 * SQL: true when `text` may read differently in DuckDB than in JSON.parse: DuckDB also accepts trailing
 * commas and NaN/Infinity, which JSON.parse refuses. A superset (a comma before n or i inside a string
 * counts too): it only keeps such text from being reduced. Each pattern starts with one literal
 * character, which RE2 finds fast; one pattern with a character class first costs twice as much.
 */
function lenientJson(text: string): string {
  return `(regexp_matches(${text}, ',\\s*[-+]?[\\]}nNiI]') OR regexp_matches(${text}, ':\\s*[-+]?(?:[nN][aA]|[iI][nN])') OR regexp_matches(${text}, '\\[\\s*[-+]?[nNiI]'))`;
}

/**
 * SQL: `text` as JSON when it is a JSON object that DuckDB reads exactly as JSON.parse does, else NULL
 * (lenientJson: such text is left as it is, so it stays unreadable). Never fails, so it can guard
 * expressions that would.
 */
export function jsonObjectOrNull(text: string): string {
  const j = `TRY_CAST(${text} AS JSON)`;
  return `CASE WHEN json_type(${j}) = 'OBJECT' AND NOT ${lenientJson(text)} THEN ${j} END`;
}

/**
 * SQL: a JSON object's text with only the entries `keys` keeps, in their order (duplicates kept, so the
 * last still wins in JSON.parse), and a DROPPED_TAGS_KEY entry when an entry was dropped; any other text
 * unchanged. A JSON null value reads back as SQL NULL, so it is written out as null again.
 * With `keys.dropped`, the dropped keys are removed by name (json_merge_patch with each set to null; its
 * cost grows with their number, see tag-projection.ts), which writes the object out again without spaces,
 * and the marker is added only where it can matter: when what is kept has no entry, or may have only
 * NULL texts (which readTagSet drops), so the set would read as untagged without it. Counting keys to tell
 * whether any was dropped costs as much again as the rest, so only such rows pay for it.
 */
export function projectJsonObject(text: string, keys: KeptKeys): string {
  const marker = `${JSON.stringify(DROPPED_TAGS_KEY)}:""`;
  if (keys.dropped) {
    if (keys.dropped.length === 0) return text;
    const patch = `json_object(${keys.dropped.map((k) => `${sqlString(k)}, NULL`).join(", ")})`;
    const mayBeEmpty = "(kept = '{}' OR contains(kept, 'null') OR contains(kept, 'NULL'))";
    // One-element lists bind each step to a lambda parameter: computed once, without a correlated subquery.
    return `CASE WHEN json_type(TRY_CAST(${text} AS JSON)) = 'OBJECT' AND NOT ${lenientJson(text)}
      THEN list_transform([CAST(json_merge_patch(${text}, ${patch}) AS VARCHAR)], kept ->
        CASE WHEN ${mayBeEmpty} AND len(json_keys(${text})) > len(json_keys(kept))
          THEN CASE WHEN kept = '{}' THEN ${sqlString(`{${marker}}`)} ELSE left(kept, -1) || ${sqlString(`,${marker}}`)} END
          ELSE kept END)[1]
      ELSE ${text} END`;
  }
  return `list_transform([map_entries(from_json(${jsonObjectOrNull(text)}, '"MAP(VARCHAR, JSON)"'))], entries ->
    list_transform([list_filter(entries, e -> ${keys.keep("e.key")})], kept ->
      CASE WHEN entries IS NULL OR len(kept) = len(entries) THEN ${text}
        ELSE '{' || array_to_string(list_append(list_transform(kept, e -> to_json(e.key) || ':' || COALESCE(CAST(e.value AS VARCHAR), 'null')), ${sqlString(marker)}), ',') || '}' END)[1])[1]`;
}

/**
 * The columns every source maps to, in order. Amounts come as exact DECIMAL(38,18), with Has* saying
 * whether the file had a value (so a value that does not parse is told apart from none), Raw* keeping
 * the text for error messages, and Cut* what rounding to 18 decimal places took off an amount written
 * with more (NULL when nothing was cut); Raw* and Cut* are only computed when a query reads them.
 * AmountProblem is a source's own reason why a row's amounts cannot be read (e.g. GCP credits of the
 * wrong shape); such a row counts as unreadable like an amount that does not parse. ChargeDetail is a
 * hash of what tells a charge apart beyond those columns (its hour, SKU, quantity), for finding inputs that
 * hold the same charges (overlap.ts); CostKind says, for exports that come as actual or amortized, which
 * one a row proves the file to be ('actual', 'amortized', NULL when the row does not tell).
 */
export const CHARGE_COLUMNS = [
  "SourceFile", "BilledCost", "HasBilledCost", "RawBilledCost", "CutBilledCost", "EffectiveCost", "HasEffectiveCost", "RawEffectiveCost", "CutEffectiveCost",
  "AmountProblem", "BillingCurrency", "HasBillingPeriod", "RawBillingPeriod", "BillingPeriod", "ChargeDate", "ProviderName", "SubAccountId",
  "ServiceName", "ServiceCategory", "RegionId", "ChargeCategory", "ChargeClass", "ResourceId", "ResourceType", "Tags", "TagsFormat",
  "AllocatedMethodId", "ChargeDetail", "CostKind",
] as const;

export const MONEY = "DECIMAL(38,18)";
/** What rounding to MONEY's 18 places cuts off one amount: below 10^-18, kept to 37 places. */
export const CUT = "DECIMAL(38,37)";

/**
 * Each column's type in the view, so a source's NULL for a column it lacks is typed like the others.
 * Amounts and the billing period keep their own types (DuckDB unifies them across sources), so a
 * Parquet DECIMAL(18,6) or TIMESTAMPTZ is not converted row by row.
 */
export const CHARGE_COLUMN_TYPES: Record<(typeof CHARGE_COLUMNS)[number], string> = {
  SourceFile: "VARCHAR", BilledCost: "", HasBilledCost: "BOOLEAN", RawBilledCost: "VARCHAR", CutBilledCost: CUT, EffectiveCost: "",
  HasEffectiveCost: "BOOLEAN", RawEffectiveCost: "VARCHAR", CutEffectiveCost: CUT, AmountProblem: "VARCHAR", BillingCurrency: "VARCHAR", HasBillingPeriod: "BOOLEAN",
  RawBillingPeriod: "VARCHAR", BillingPeriod: "", ChargeDate: "DATE", ProviderName: "VARCHAR", SubAccountId: "VARCHAR",
  ServiceName: "VARCHAR", ServiceCategory: "VARCHAR", RegionId: "VARCHAR", ChargeCategory: "VARCHAR", ChargeClass: "VARCHAR", ResourceId: "VARCHAR", ResourceType: "VARCHAR",
  Tags: "VARCHAR", TagsFormat: "VARCHAR", AllocatedMethodId: "VARCHAR", ChargeDetail: "UBIGINT", CostKind: "VARCHAR",
};

/** A quoted identifier: column names such as `lineItem/UnblendedCost` need it. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The column as text, or NULL when the file does not have it. */
export function text(columns: Columns, ...candidates: string[]): string {
  const found = candidates.find((c) => columns.has(c));
  return found ? `CAST(${ident(found)} AS VARCHAR)` : "NULL";
}

export function literal(value: string): string {
  return sqlString(value);
}

const EXACT_NUMBER = /^(DECIMAL|NUMERIC|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)/;
const FLOAT = /^(DOUBLE|FLOAT|REAL)/;

/**
 * The four columns of an amount from an expression of the given DuckDB type: exact numbers as they are; DOUBLEs (GCP's FLOAT64, some Parquet writers) through their shortest round-trip text, so 0.1
 * stays 0.1; text is parsed, and a value that does not parse becomes NULL with Has* still true.
 */
export function cost(name: "BilledCost" | "EffectiveCost", expression: string, type = "VARCHAR"): string {
  // Exact numbers stay in their own type: summing DECIMAL(18,6) is much cheaper than DECIMAL(38,18), and as exact.
  const exact = EXACT_NUMBER.test(type);
  const asText = type === "VARCHAR" ? expression : `CAST(${expression} AS VARCHAR)`;
  const value = exact ? expression : `TRY_CAST(${asText} AS ${MONEY})`;
  return `${value} AS ${name}, (${expression}) IS NOT NULL AS Has${name}, CAST(${expression} AS VARCHAR) AS Raw${name}, ${exact ? "NULL" : cutOff(asText)} AS Cut${name}`;
}

/**
 * SQL: what casting the decimal text `text` to MONEY rounds off (text minus the cast, as CUT), or NULL when
 * it has at most 18 decimal places. Plain and exponent notation (DOUBLEs print as 1.2345678901234568e-05);
 * only text longer than 19 characters or with a negative exponent can have more, so other amounts cost a
 * length check and two searches.
 */
export function cutOff(text: string): string {
  const parts = `regexp_extract(${text}, '^\\s*([-+]?)(\\d*)\\.?(\\d*)(?:[eE]([-+]?\\d{1,4}))?\\s*$', ['sign', 'whole', 'fraction', 'exponent'])`;
  // Decimal places as written, exponent applied: digits after the point, less the exponent. Zeros past the
  // 60th place change nothing at CUT's 37 places, so 1e-9999 costs no more than 1e-60.
  return `CASE WHEN length(${text}) > 19 OR contains(${text}, 'e-') OR contains(${text}, 'E-') THEN list_transform([${parts}], p ->
      list_transform([rtrim(p.whole || p.fraction, '0')], digits ->
        list_transform([length(rtrim(p.whole || p.fraction, '0')) - length(p.whole) - COALESCE(TRY_CAST(NULLIF(p.exponent, '') AS INTEGER), 0)], places ->
          CASE WHEN places > 18 AND length(digits) > 0 THEN list_transform([CASE WHEN places >= length(digits) THEN repeat('0', least(places - length(digits), 60)) || digits ELSE right(digits, places) END], fraction ->
            (TRY_CAST('0.' || fraction AS ${CUT}) - CAST(TRY_CAST('0.' || fraction AS ${MONEY}) AS ${CUT})) * CASE WHEN p.sign = '-' THEN -1 ELSE 1 END)[1] END)[1])[1])[1] END`;
}

/** An amount read from one column of the file (NULL amounts when it lacks the column). */
export function costColumn(columns: Columns, name: "BilledCost" | "EffectiveCost", column: string): string {
  return columns.has(column) ? cost(name, ident(column), columns.get(column)) : cost(name, "NULL");
}

const TEMPORAL = /^(TIMESTAMP|DATE)/;

/** A timestamp from a column of any type: typed, ISO text (with T and Z or not), or M/D/YYYY. */
function timestamp(columns: Columns, column: string): string {
  const id = ident(column);
  return TEMPORAL.test(columns.get(column) ?? "") ? id : `COALESCE(TRY_CAST(${id} AS TIMESTAMP), TRY_STRPTIME(CAST(${id} AS VARCHAR), '%m/%d/%Y'))`;
}

/**
 * HasBillingPeriod, RawBillingPeriod and BillingPeriod (its start, as a TIMESTAMP) from the billing
 * period's start column. The month is formatted after aggregation: strftime on every row costs more than
 * the whole GROUP BY.
 */
export function billingPeriod(columns: Columns, column: string | undefined): string {
  if (!column || !columns.has(column)) return "false AS HasBillingPeriod, NULL AS RawBillingPeriod, NULL AS BillingPeriod";
  return `${ident(column)} IS NOT NULL AS HasBillingPeriod, CAST(${ident(column)} AS VARCHAR) AS RawBillingPeriod, ${timestamp(columns, column)} AS BillingPeriod`;
}

/**
 * The charge's day (UTC), from the first of the candidate columns the file has. A typed instant goes
 * through its epoch microseconds: DuckDB's cast of a TIMESTAMPTZ to DATE asks the time zone library for
 * every row, which on 10M rows costs more than the whole GROUP BY by day.
 */
export function chargeDate(columns: Columns, ...candidates: string[]): string {
  const found = candidates.find((c) => columns.has(c));
  if (!found) return "NULL";
  return TEMPORAL.test(columns.get(found) ?? "") ? utcDay(ident(found), columns.get(found)!) : `CAST(${timestamp(columns, found)} AS DATE)`;
}

/**
 * The UTC day of an instant, typed or ISO text with or without an offset (`Z`, `-07:00`, ` UTC`), so an
 * export's typed timestamps and its text ones fall on the same day (the text's offset applied, as detailTime does).
 */
export function utcDay(expression: string, type = "VARCHAR"): string {
  return `CAST(make_timestamp(epoch_us(${TEMPORAL.test(type) ? expression : `TRY_CAST(${expression} AS TIMESTAMPTZ)`})) AS DATE)`;
}

/** An amount as an exact decimal, whatever the file's type for it (hashed as a number, never as text: cheaper). */
function detailNumber(expression: string, type = "VARCHAR"): string {
  return FLOAT.test(type) ? `TRY_CAST(CAST(${expression} AS VARCHAR) AS ${MONEY})` : `TRY_CAST(${expression} AS ${MONEY})`;
}

/** An instant as microseconds since the epoch (UTC), whether typed or ISO text, so CSV and Parquet agree. */
function detailTime(expression: string, type = "VARCHAR"): string {
  return TEMPORAL.test(type) ? `epoch_us(${expression})` : `epoch_us(TRY_CAST(${expression} AS TIMESTAMPTZ))`;
}

/** What a source knows about a charge beyond the common columns: columns read as text, as amounts, as instants. */
export interface DetailColumns {
  text?: readonly string[];
  number?: readonly string[];
  time?: readonly string[];
}

/** ChargeDetail from the given expressions and their DuckDB types (typed columns of nested exports). */
export function chargeDetailOf(parts: { text?: readonly string[]; number?: readonly [string, string][]; time?: readonly [string, string][] }): string {
  const all = [...(parts.text ?? []).map((e) => `CAST(${e} AS VARCHAR)`), ...(parts.number ?? []).map(([e, t]) => detailNumber(e, t)), ...(parts.time ?? []).map(([e, t]) => detailTime(e, t))];
  return all.length === 0 ? "NULL AS ChargeDetail" : `hash(${all.join(", ")}) AS ChargeDetail`;
}

/** ChargeDetail from the columns of the file (those it lacks are left out). */
export function chargeDetail(columns: Columns, detail: DetailColumns): string {
  const present = (names: readonly string[] | undefined) => (names ?? []).filter((n) => columns.has(n));
  return chargeDetailOf({
    text: present(detail.text).map(ident),
    number: present(detail.number).map((n) => [ident(n), columns.get(n)!]),
    time: present(detail.time).map((n) => [ident(n), columns.get(n)!]),
  });
}
