// Loads billing exports for a report: DuckDB sums the charges by the columns reports group on (one scan),
// rows that do not parse stop the run with file and line (or are skipped and counted), and amounts in
// other currencies are converted with allot.yaml's exchange rates, exactly, after aggregation.
import type { DuckDBConnection } from "@duckdb/node-api";
import { isCurrencyCode, resourceGlobs, suggestCurrency, UserError, type CostBasis, type CostModel } from "../../model";
import { Decimal, shownAmount } from "../money";
import { basisAmount, openCharges, queryCharges, type ChargesInfo } from "./billing";
import { resourceMatchSql } from "./resource-match";
import { resolveInputs } from "./inputs";
import { projectTagSets, tagProjection } from "./tag-projection";
import type { TagsFormat } from "./sources";

/** Charges summed by every column a report groups on, in the model's currency. */
export interface ChargeRow {
  month: string;
  provider: string;
  account: string | null;
  service: string | null;
  serviceCategory: string | null;
  region: string | null;
  chargeCategory: string;
  resourceType: string | null;
  resourceId: string | null;
  /** Which of the rules' resourceId globs the charges' resource ids match (resource-match.ts resourceMatchSql); null without such rules. */
  resourceMatch?: string | null;
  tags: string | null;
  tagsFormat: TagsFormat;
  /** FOCUS AllocatedMethodId: the provider already split this charge to the workload it is attributed to. */
  allocatedMethod?: string | null;
  cost: Decimal;
  rows: number;
}

export interface LoadOptions {
  month?: string;
  skipBadRows?: boolean;
  /** Charge groups by resource too (allocation lines per resource). */
  byResource?: boolean;
  /** The month's charges per resource in `resource_groups` (compliance's resource counts, top untagged), in the same scan. */
  resources?: boolean;
  /** Usage cost per day in `usage_days` (the report's anomaly series), in the same scan. */
  usageDays?: boolean;
  /** Called while DuckDB reads, for progress display. */
  onProgress?: (progress: { percentage: number; rowsProcessed: bigint }) => void;
  /**
   * Work of the caller's that needs no figure of the bill, run once the scan of the bill's files (`files`)
   * has started: DuckDB scans on its own threads, so the main thread is free meanwhile (the report
   * compiles its templates and hashes its inputs then).
   */
  whileScanning?: (files: readonly string[]) => void;
}

export interface LoadedCharges extends ChargesInfo {
  month: string;
  /** Billing months present, ascending. */
  months: string[];
  /** Every month's charges (by resource when asked): trends. */
  allMonths: ChargeRow[];
  /** The selected month's charges. */
  rows: ChargeRow[];
  /** Rows skipped with --skip-bad-rows: how many, and what their readable amounts came to. */
  skipped: { rows: number; cost: Decimal; unreadableAmounts: number };
  /** Charges without a billing period: in no month. */
  undated: { rows: number; cost: Decimal };
  nullCostRows: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

async function withProgress<T>(db: DuckDBConnection, onProgress: LoadOptions["onProgress"], work: () => Promise<T>): Promise<T> {
  if (!onProgress) return work();
  const timer = setInterval(() => {
    const p = db.progress;
    if (p.percentage >= 0) onProgress({ percentage: p.percentage, rowsProcessed: p.rows_processed });
  }, 100);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Explains the first row that does not parse, with its file and line. */
async function badRowError(db: DuckDBConnection, basis: CostBasis): Promise<UserError> {
  const amount = basisAmount(basis);
  const [row] = await queryCharges(
    db,
    `SELECT SourceFile, line, Raw${basis} AS raw, Raw${amount.other} AS raw_other, ${amount.otherUnreadable} AS bad_other, RawBillingPeriod, ${amount.unreadable} AS bad_cost, AmountProblem
     FROM (SELECT *, row_number() OVER (PARTITION BY SourceFile) + 1 AS line FROM charges)
     WHERE ${amount.unreadable} OR (BillingPeriod IS NULL AND HasBillingPeriod)
     ORDER BY AmountProblem IS NOT NULL, SourceFile, line
     LIMIT 1`,
  );
  const fix = "fix the export, or pass --skip-bad-rows to skip such rows and report them";
  // A source's own problem names the row by its content: such rows (GCP credits) have no line of their own.
  if (row?.AmountProblem) return new UserError(`${String(row.SourceFile)}: ${String(row.AmountProblem)}; ${fix}`);
  const what = !row?.bad_cost
    ? `billing period ${JSON.stringify(row?.RawBillingPeriod)} is not a date`
    : row.bad_other
      ? `${basis} is empty and ${amount.other} ${JSON.stringify(row.raw_other)}, taken in its place, is not a decimal number`
      : `${basis} ${JSON.stringify(row.raw)} is not a decimal number`;
  return new UserError(`${String(row?.SourceFile)}:${String(row?.line)}: ${what}; ${fix}`);
}

/** Why the month was chosen, and what to watch out for in it; said on stderr and in the report. */
export interface MonthChoice {
  /** Null when --month named it; else which month was taken and why. */
  reason: string | null;
  warnings: string[];
}

/** A month's size, to choose among months. */
export interface MonthSize {
  month: string;
  rows: number;
  cost: Decimal;
}

/** A month holds substantial data when it has at least this share of the busiest month's rows. */
const SUBSTANTIAL_SHARE = 0.1;
/** A month is much smaller than the one before below this share of its cost. */
const MUCH_SMALLER_SHARE = 0.5;

/**
 * The month to report: the asked one, else the latest with substantial data (a stray row or two billed in
 * a later month does not make that month the report's), with the reason and a warning when the month is
 * much smaller than the month before.
 */
export function chooseMonth(sizes: readonly MonthSize[], currency: string, asked?: string): { month: string } & MonthChoice {
  const sorted = [...sizes].sort((a, b) => a.month.localeCompare(b.month));
  const busiest = Math.max(...sorted.map((m) => m.rows));
  const latest = sorted[sorted.length - 1]!;
  const substantial = [...sorted].reverse().find((m) => m.rows >= busiest * SUBSTANTIAL_SHARE)!;
  const month = asked ?? substantial.month;
  const describe = (m: MonthSize) => `${m.month} (${m.rows} row${m.rows === 1 ? "" : "s"}, ${shownAmount(m.cost, currency)})`;
  const reason = asked
    ? null
    : substantial === latest
      ? `reporting ${month}, the latest month in the input; pass --month to choose another`
      : `reporting ${month}, the latest month with substantial data: later months hold under ${SUBSTANTIAL_SHARE * 100}% of the rows of the busiest (${sorted.filter((m) => m.month > month).map(describe).join(", ")}); pass --month to choose another`;
  const index = sorted.findIndex((m) => m.month === month);
  const current = sorted[index];
  const before = index > 0 ? sorted[index - 1] : undefined;
  const warnings = current && before && before.cost.greaterThan(0) && current.cost.abs().lessThan(before.cost.times(MUCH_SMALLER_SHARE))
    ? [`${describe(current)} is much smaller than the month before, ${describe(before)}: the export may be partial`]
    : [];
  return { month, reason, warnings };
}

export interface ChargeGroups extends ChargesInfo {
  month: string;
  monthChoice: MonthChoice;
  months: string[];
  skipped: LoadedCharges["skipped"];
  undated: LoadedCharges["undated"];
  nullCostRows: number;
  /** The month's amounts not read as written, each also said in monthChoice.warnings. */
  amounts: AmountNotes;
  /** The groups keep resource ids (ResourceId is a column of charge_groups). */
  byResource: boolean;
  /** `resource_groups` holds the charges per resource. */
  resources: boolean;
  /** The month's charges the provider already split to workloads (FOCUS AllocatedMethodId), per method, in the model's currency. */
  providerSplit: { method: string; rows: number; cost: Decimal }[];
  /** Units of the model currency per unit of each billing currency in the input. */
  rate(currency: string | null): Decimal;
}

/**
 * Reads the inputs once into the temp table `charge_groups`: charges summed by every column reports group
 * on (by resource when asked), with counts of rows that do not parse. Amounts stay in their billing
 * currency there; `rate` converts.
 */
export async function loadChargeGroups(db: DuckDBConnection, model: CostModel, inputs: readonly string[], options: LoadOptions = {}): Promise<ChargeGroups> {
  if (options.month !== undefined && !MONTH.test(options.month)) throw new UserError(`--month ${options.month}: expected a month as YYYY-MM, e.g. 2026-10`);
  const files = resolveInputs(inputs);
  const info = await openCharges(db, files, model.costBasis, options.month);
  const amount = basisAmount(model.costBasis);
  await scanChargeGroups(db, model, options, info.files.map((f) => f.path));
  const perMonth = await queryCharges(
    db,
    `SELECT BillingMonth, BillingCurrency, CAST(SUM(cost) AS VARCHAR) AS cost, CAST(SUM(bad_date_cost) AS VARCHAR) AS bad_date_cost,
       SUM(row_count) AS row_count, SUM(bad_cost_rows) AS bad_cost_rows, SUM(bad_date_rows) AS bad_date_rows, SUM(null_cost) AS null_cost,
       SUM(fallback_rows) AS fallback_rows, CAST(SUM(fallback_cost) AS VARCHAR) AS fallback_cost, SUM(cut_rows) AS cut_rows, CAST(SUM(cut) AS VARCHAR) AS cut
     FROM charge_groups GROUP BY ALL ORDER BY ALL`,
  );
  const badRows = perMonth.reduce((n, r) => n + Number(r.bad_cost_rows) + Number(r.bad_date_rows), 0);
  if (badRows > 0 && !options.skipBadRows) throw await badRowError(db, model.costBasis);

  await checkCurrencies(db, perMonth);
  const rate = rateLookup(model, perMonth);
  const skipped = { rows: badRows, cost: new Decimal(0), unreadableAmounts: perMonth.reduce((n, r) => n + Number(r.bad_cost_rows), 0) };
  const undated = { rows: 0, cost: new Decimal(0) };
  const months = new Map<string, MonthSize>();
  for (const r of perMonth) {
    const toModel = rate(r.BillingCurrency as string | null);
    if (r.bad_date_cost !== null) skipped.cost = skipped.cost.plus(new Decimal(String(r.bad_date_cost)).times(toModel));
    if (Number(r.row_count) === 0) continue;
    if (r.BillingMonth === null) {
      undated.rows += Number(r.row_count);
      undated.cost = undated.cost.plus(new Decimal(r.cost === null ? 0 : String(r.cost)).times(toModel));
    } else {
      const size = months.get(String(r.BillingMonth)) ?? { month: String(r.BillingMonth), rows: 0, cost: new Decimal(0) };
      size.rows += Number(r.row_count);
      size.cost = size.cost.plus(new Decimal(r.cost === null ? 0 : String(r.cost)).times(toModel));
      months.set(size.month, size);
    }
  }
  const sorted = [...months.keys()].sort();
  if (sorted.length === 0) throw new UserError(`${files.join(", ")}: no charge has a billing period; the files hold no billing data`);
  const { month, ...choice } = chooseMonth([...months.values()], model.currency, options.month);
  if (!months.has(month)) throw new UserError(`--month ${month}: the input has no charges billed in that month; it has ${sorted.join(", ")}`);
  const inMonth = perMonth.filter((r) => r.BillingMonth === month);
  const amounts = amountsOf(inMonth, rate, amount.other);
  const providerSplit = new Map<string, { method: string; rows: number; cost: Decimal }>();
  for (const r of await queryCharges(
    db,
    `SELECT AllocatedMethodId, BillingCurrency, SUM(row_count) AS row_count, CAST(SUM(cost) AS VARCHAR) AS cost FROM charge_groups
     WHERE BillingMonth = $month AND AllocatedMethodId IS NOT NULL AND row_count > 0 GROUP BY ALL ORDER BY ALL`,
    { month },
  )) {
    const method = String(r.AllocatedMethodId);
    const entry = providerSplit.get(method) ?? { method, rows: 0, cost: new Decimal(0) };
    entry.rows += Number(r.row_count);
    entry.cost = entry.cost.plus(new Decimal(r.cost === null ? 0 : String(r.cost)).times(rate(r.BillingCurrency as string | null)));
    providerSplit.set(method, entry);
  }
  return {
    ...info,
    month,
    monthChoice: { ...choice, warnings: [...choice.warnings, ...amountWarnings(amounts, model)] },
    providerSplit: [...providerSplit.values()],
    months: sorted,
    skipped,
    undated,
    nullCostRows: amounts.empty,
    amounts,
    byResource: Boolean(options.byResource),
    resources: Boolean(options.byResource || options.resources),
    rate,
  };
}

/** The columns charge groups are summed by, besides the month (and the resource, when asked). */
const GROUP_DIMS = "BillingCurrency, ProviderName, SubAccountId, ServiceName, ServiceCategory, RegionId, ChargeCategory, ResourceType, Tags, TagsFormat, AllocatedMethodId, ResourceMatch";
/** What a resource's figures need: its tag set, exemption, usage, currency and the service it is shown with. */
const RESOURCE_DIMS = "ResourceId, TagsFormat, Tags, ProviderName, ResourceType, SubAccountId, ServiceName, ChargeCategory, BillingCurrency";
/** The sums a charge group carries, summed again when groups are merged. */
const SUMS = ["cost", "bad_date_cost", "row_count", "bad_cost_rows", "bad_date_rows", "null_cost", "fallback_rows", "fallback_cost", "cut_rows", "cut"] as const;

/** How many of the bill's first rows tell whether its tag texts are many (see reduceTagsFirst). */
const SAMPLE_ROWS = 100_000;
/**
 * Tag texts are many when the sample has more distinct ones than this share of its rows. Grouped raw, each
 * text makes its own groups (a day's, a resource's); reduced in the scan, every row pays a JSON parse
 * (about 0.2 µs). The sample's first 100k rows were seen to undercount: a month with 264k texts in 1M rows
 * showed 6.7k in its first 100k, so the bar is low; a month of hourly rows with a Name per resource stays
 * under it (about 1 text per 720 rows), and grouped raw makes no more groups than its resources.
 */
const MANY_TAG_TEXTS = 0.01;

/**
 * Whether the scan reduces tag texts before grouping: when the bill's first rows have many distinct tag
 * texts (a Name tag per resource), the groups by raw text would be as many as the rows, so the texts are
 * reduced row by row in the scan; when they are few, the scan groups by raw text and the few groups are
 * reduced after, sparing a JSON parse per row. Either way the figures are the same. Leaves the first rows'
 * tags in `tag_sample`.
 */
export async function reduceTagsFirst(db: DuckDBConnection): Promise<boolean> {
  await queryCharges(db, `CREATE OR REPLACE TEMP TABLE tag_sample AS SELECT TagsFormat, Tags FROM charges LIMIT ${SAMPLE_ROWS}`);
  const [sample] = await queryCharges(db, "SELECT COUNT(*) AS n, COUNT(DISTINCT Tags) AS texts FROM tag_sample");
  return Number(sample?.texts ?? 0) > Number(sample?.n ?? 0) * MANY_TAG_TEXTS;
}

/**
 * The scan of the bill. DuckDB groups the charges by every column reports group on (by day too when
 * `usageDays`; no resource ids: they multiply the groups, so which of the rules' resourceId globs each id
 * matches is a column instead, ResourceMatch) and, in the same pass when asked, by resource, as two grouping
 * sets of `charge_scan`; rows that do not parse are grouped apart by two flags. Tag texts are reduced to the
 * keys allot reads (tag-projection.ts), before grouping or after (reduceTagsFirst), so a bill where every
 * resource has its own Name tag groups into as many tag sets as the standard tells apart. From the scan:
 * - `charge_groups`: a table by month and every column (and by resource when `byResource`);
 * - `resource_groups` (when `resources` or `byResource`): a view of the charges per resource and tag set;
 * - `usage_days` (when `usageDays`): a view of usage cost per day, service and tag set.
 */
async function scanChargeGroups(db: DuckDBConnection, model: CostModel, options: LoadOptions, files: readonly string[]): Promise<void> {
  const amount = basisAmount(model.costBasis);
  const resourceSet = options.byResource ? `${GROUP_DIMS}, ResourceId` : options.resources ? RESOURCE_DIMS : null;
  // By day only for the report's daily series: days multiply the groups too.
  const sets = [`(BillingPeriod, ${options.usageDays ? "ChargeDate, " : ""}${GROUP_DIMS}, bad_cost, bad_date)`, ...(resourceSet ? [`(BillingPeriod, ${resourceSet}, bad_cost, bad_date)`] : [])];
  // Many texts are reduced row by row in the scan, by the keys of the first rows (a key they lack is kept
  // whole, so no other pass is needed); few are grouped raw and reduced after.
  const reduced = (await reduceTagsFirst(db)) ? await tagProjection(db, model, "tag_sample") : null;
  await db.run("DROP TABLE tag_sample");
  await withProgress(db, options.onProgress, async () => {
    // Rows that do not parse are grouped apart by two flags; rows whose basis was empty (their other cost
    // column taken) and amounts cut to 18 places are counted per group. The month is formatted after
    // grouping: strftime on every row costs more than the GROUP BY.
    const scan = queryCharges(
      db,
      `CREATE OR REPLACE TEMP TABLE charge_scan AS
       SELECT by_resource, strftime(BillingPeriod, '%Y-%m') AS BillingMonth, ChargeDate, ${GROUP_DIMS}, ResourceId,
         CASE WHEN NOT bad_date THEN cost END AS cost,
         CASE WHEN bad_date THEN cost END AS bad_date_cost,
         CASE WHEN bad_cost OR bad_date THEN 0 ELSE rows_all END AS row_count,
         CASE WHEN bad_cost THEN rows_all ELSE 0 END AS bad_cost_rows,
         CASE WHEN bad_date THEN rows_all ELSE 0 END AS bad_date_rows,
         CASE WHEN bad_cost THEN 0 ELSE rows_all - rows_with_cost END AS null_cost,
         CASE WHEN bad_cost OR bad_date THEN 0 ELSE fallback_rows END AS fallback_rows,
         CASE WHEN NOT (bad_cost OR bad_date) THEN fallback_cost END AS fallback_cost,
         CASE WHEN bad_cost OR bad_date THEN 0 ELSE cut_rows END AS cut_rows,
         CASE WHEN NOT (bad_cost OR bad_date) THEN cut END AS cut
       FROM (
         SELECT ${resourceSet ? "GROUPING(ResourceId) = 0" : "false"} AS by_resource, BillingPeriod, ${options.usageDays ? "ChargeDate" : "CAST(NULL AS DATE) AS ChargeDate"},
           ${GROUP_DIMS}, ${resourceSet ? "ResourceId" : "CAST(NULL AS VARCHAR) AS ResourceId"}, bad_cost, bad_date,
           SUM(amount) AS cost, COUNT(*) AS rows_all, COUNT(amount) AS rows_with_cost,
           COUNT(*) FILTER (fell_back) AS fallback_rows, SUM(amount) FILTER (fell_back) AS fallback_cost, COUNT(amount_cut) AS cut_rows, SUM(amount_cut) AS cut
         FROM (SELECT *${reduced ? ` REPLACE (${reduced} AS Tags)` : ""}, ${amount.unreadable} AS bad_cost, (BillingPeriod IS NULL AND HasBillingPeriod) AS bad_date,
                 ${amount.cost} AS amount, ${amount.fellBack} AS fell_back, ${amount.cut} AS amount_cut, ${resourceMatchSql(resourceGlobs(model))} AS ResourceMatch
               FROM charges)
         GROUP BY GROUPING SETS (${sets.join(", ")})
       )`,
    );
    try {
      options.whileScanning?.(files);
    } finally {
      await scan;
    }
  });
  // The scan with reduced texts: as it is, or, for few texts grouped raw, through the table of their
  // reductions (a join over the groups, not a copy of them).
  let scan = "charge_scan";
  if (!reduced) {
    await projectTagSets(db, model, "charge_scan");
    await db.run(`
      CREATE OR REPLACE TEMP VIEW charge_scan_reduced AS
      SELECT g.* REPLACE (COALESCE(p.Projected, g.Tags) AS Tags) FROM charge_scan g LEFT JOIN tag_projection p ON p.TagsFormat = g.TagsFormat AND p.Tags = g.Tags`);
    scan = "charge_scan_reduced";
  }
  const summed = SUMS.map((c) => `SUM(${c}) AS ${c}`).join(", ");
  await db.run(`
    CREATE OR REPLACE TEMP TABLE charge_groups AS
    SELECT BillingMonth, ${GROUP_DIMS}${options.byResource ? ", ResourceId" : ""}, ${summed}
    FROM ${scan} WHERE ${options.byResource ? "" : "NOT "}by_resource
    GROUP BY ALL`);
  // A resource is one row of the scan per raw tag text (its readable charges); a view, not a copy.
  if (resourceSet) {
    await db.run(`
      CREATE OR REPLACE TEMP VIEW resource_groups AS
      SELECT BillingMonth, ${RESOURCE_DIMS}, cost FROM ${scan}
      WHERE by_resource AND row_count > 0 AND ResourceId IS NOT NULL AND BillingMonth IS NOT NULL`);
  }
  if (options.usageDays) {
    await db.run(`
      CREATE OR REPLACE TEMP VIEW usage_days AS
      SELECT BillingMonth, ChargeDate, ServiceName, TagsFormat, Tags, ProviderName, BillingCurrency, cost FROM ${scan}
      WHERE NOT by_resource AND row_count > 0 AND cost IS NOT NULL AND ChargeDate IS NOT NULL AND lower(ChargeCategory) = 'usage'`);
  }
}

/** The month's amounts that were not read as written: empty in the basis, empty in both columns, cut to 18 places. */
export interface AmountNotes {
  /** Rows whose cost basis was empty and whose other column (`column`) was taken instead, and its total. */
  fellBack: { rows: number; cost: Decimal; column: CostBasis };
  /** Rows with neither cost column: counted as 0. */
  empty: number;
  /** Amounts written with more than 18 decimal places, and what rounding to 18 took off them in total. */
  cut: { rows: number; amount: Decimal };
}

function amountsOf(perCurrency: Record<string, unknown>[], rate: (currency: string | null) => Decimal, other: CostBasis): AmountNotes {
  const notes: AmountNotes = { fellBack: { rows: 0, cost: new Decimal(0), column: other }, empty: 0, cut: { rows: 0, amount: new Decimal(0) } };
  for (const r of perCurrency) {
    const toModel = rate(r.BillingCurrency as string | null);
    notes.fellBack.rows += Number(r.fallback_rows);
    if (r.fallback_cost !== null) notes.fellBack.cost = notes.fellBack.cost.plus(new Decimal(String(r.fallback_cost)).times(toModel));
    notes.empty += Number(r.null_cost);
    notes.cut.rows += Number(r.cut_rows);
    if (r.cut !== null) notes.cut.amount = notes.cut.amount.plus(new Decimal(String(r.cut)).times(toModel));
  }
  return notes;
}

/** What the month's amounts need said, on stderr and in the report's notes. */
function amountWarnings(a: AmountNotes, model: CostModel): string[] {
  const rows = (n: number) => `${n} row${n === 1 ? "" : "s"}`;
  return [
    ...(a.fellBack.rows > 0 ? [`${rows(a.fellBack.rows)} had no ${model.costBasis}; their ${a.fellBack.column}, ${a.fellBack.cost.toFixed()} ${model.currency}, was used instead`] : []),
    ...(a.empty > 0 ? [`${rows(a.empty)} had neither EffectiveCost nor BilledCost and count as 0`] : []),
    ...(a.cut.rows > 0 ? [`${rows(a.cut.rows)} had amounts with more than 18 decimal places, read rounded to 18: ${a.cut.amount.toFixed()} ${model.currency} in total was cut off`] : []),
  ];
}

/** The charge groups in JS, re-summed without resource ids unless asked: few rows, for allocation and reports. */
export async function readChargeRows(db: DuckDBConnection, groups: ChargeGroups, byResource = false): Promise<Omit<LoadedCharges, keyof ChargesInfo | "month" | "months" | "skipped" | "undated" | "nullCostRows">> {
  const dims = `BillingMonth, ${GROUP_DIMS}${byResource ? ", ResourceId" : ""}`;
  const rows = await queryCharges(
    db,
    `SELECT ${dims}, CAST(SUM(cost) AS VARCHAR) AS cost, SUM(row_count) AS row_count FROM charge_groups WHERE BillingMonth IS NOT NULL AND row_count > 0 GROUP BY ALL ORDER BY ALL`,
  );
  const allMonths = rows.map((r) => toRow(r, new Decimal(r.cost === null ? 0 : String(r.cost)).times(groups.rate(r.BillingCurrency as string | null))));
  return { allMonths, rows: allMonths.filter((r) => r.month === groups.month) };
}

/** loadChargeGroups, with the groups read into JS: for reports whose groups are few (no resources). */
export async function loadCharges(db: DuckDBConnection, model: CostModel, inputs: readonly string[], options: LoadOptions = {}): Promise<LoadedCharges> {
  const groups = await loadChargeGroups(db, model, inputs, options);
  const { rate: _rate, byResource: _byResource, resources: _resources, amounts: _amounts, ...rest } = groups;
  return { ...rest, ...(await readChargeRows(db, groups, Boolean(options.byResource))) };
}

function toRow(r: Record<string, unknown>, cost: Decimal): ChargeRow {
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    month: String(r.BillingMonth),
    provider: str(r.ProviderName) ?? "(none)",
    account: str(r.SubAccountId),
    service: str(r.ServiceName),
    serviceCategory: str(r.ServiceCategory),
    region: str(r.RegionId),
    chargeCategory: str(r.ChargeCategory) ?? "(none)",
    resourceType: str(r.ResourceType),
    resourceId: str(r.ResourceId),
    resourceMatch: str(r.ResourceMatch),
    tags: str(r.Tags),
    tagsFormat: String(r.TagsFormat) as TagsFormat,
    allocatedMethod: str(r.AllocatedMethodId),
    cost,
    rows: Number(r.row_count),
  };
}

/** A BillingCurrency that is not an ISO 4217 code stops the run, naming the first file that has it. */
async function checkCurrencies(db: DuckDBConnection, perCurrency: Record<string, unknown>[]): Promise<void> {
  const bad = [...new Set(perCurrency.map((r) => r.BillingCurrency).filter((c): c is string => typeof c === "string" && !isCurrencyCode(c)))].sort();
  if (bad.length === 0) return;
  const [first] = await queryCharges(db, "SELECT SourceFile FROM charges WHERE BillingCurrency = $code LIMIT 1", { code: bad[0]! });
  const show = (code: string) => JSON.stringify(code.length > 40 ? `${code.slice(0, 37)}...` : code);
  const others = bad.length > 1 ? ` (nor are ${bad.slice(1, 6).map(show).join(", ")}${bad.length > 6 ? ` and ${bad.length - 6} more` : ""})` : "";
  throw new UserError(`${String(first?.SourceFile ?? "an input file")}: BillingCurrency ${show(bad[0]!)} is not an ISO 4217 currency code${suggestCurrency(bad[0]!)}${others}; fix the export's currency column, or check that the file is the export you meant`);
}

/** The factor from each billing currency to the model's; a currency without a rate stops the run. */
function rateLookup(model: CostModel, perCurrency: Record<string, unknown>[]): (currency: string | null) => Decimal {
  const missing = new Map<string, Decimal>();
  for (const r of perCurrency) {
    const code = (r.BillingCurrency as string | null) ?? model.currency;
    if (code !== model.currency && !model.exchangeRates.has(code) && r.cost !== null) {
      missing.set(code, (missing.get(code) ?? new Decimal(0)).plus(String(r.cost)));
    }
  }
  if (missing.size > 0) {
    const list = [...missing].sort(([a], [b]) => a.localeCompare(b)).map(([code, total]) => `${code} ${total.toFixed()}`).join(", ");
    throw new UserError(`the input has charges in ${list}, but ${model.file} reports in ${model.currency} with no exchange rate for ${[...missing.keys()].sort().join(", ")}; add exchangeRates: { ${[...missing.keys()].sort().map((c) => `${c}: <${model.currency} per ${c}>`).join(", ")} } to ${model.file}, or report those exports with a model in their currency`);
  }
  const one = new Decimal(1);
  return (currency) => (currency === null || currency === model.currency ? one : model.exchangeRates.get(currency)!);
}
