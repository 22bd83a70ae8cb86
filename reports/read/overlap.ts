// Inputs that hold the same charges in other bytes (another format, column order or quoting, a re-export):
// found by content, from a fingerprint of each charge row hashed and matched in DuckDB, one scan. Parts of
// one export (same source, account and month, other rows) are read together; Azure actual and amortized
// exports of the same charges are told apart by their commitment rows, and the one costBasis needs is read.
import { UserError, type CostModel } from "../../model";
import { sqlString } from "./duckdb";

/** Two inputs overlap when at least this share of the smaller one's rows is also in the other. */
export const OVERLAP_SHARE = 0.5;

/** What one input holds, as far as overlap goes. */
export interface InputCharges {
  file: string;
  /** The source's id (TagsFormat of its rows). */
  source: string;
  rows: number;
  /** Rows that only an actual, or only an amortized, cost export has (see the Azure source's CostKind). */
  actualRows: number;
  amortizedRows: number;
  /** `account month` of its charges. */
  periods: string[];
}

/** Charges two inputs both hold. */
export interface SharedCharges {
  a: string;
  b: string;
  rows: number;
  accounts: string[];
  months: string[];
}

/** An input not read because another holds the same charges as the cost basis needs them. */
export interface SetAside {
  file: string;
  instead: string;
  /** One sentence, for stderr and the report's notes. */
  note: string;
}

type ExportKind = "actual" | "amortized";

/** The kind an input's rows prove it to be; null when they do not tell or contradict each other. */
export function exportKind(input: InputCharges): ExportKind | null {
  if (input.actualRows > 0 && input.amortizedRows === 0) return "actual";
  if (input.amortizedRows > 0 && input.actualRows === 0) return "amortized";
  return null;
}

const list = (values: readonly string[], most = 3) => values.slice(0, most).join(", ") + (values.length > most ? ` and ${values.length - most} more` : "");

/**
 * Which inputs to set aside, or the UserError that refuses them: where an actual and an amortized export
 * cover the same account and month, the one that does not match costBasis is set aside; any other two
 * inputs whose rows overlap by OVERLAP_SHARE of the smaller are refused, naming both and what they share.
 */
export function decideOverlaps(inputs: readonly InputCharges[], shared: readonly SharedCharges[], costBasis: CostModel["costBasis"]): SetAside[] {
  const wanted: ExportKind = costBasis === "BilledCost" ? "actual" : "amortized";
  const setAside: SetAside[] = [];
  for (const input of inputs) {
    const kind = exportKind(input);
    if (kind === null || kind === wanted) continue;
    const periods = new Set(input.periods);
    const instead = inputs.find((other) => other.source === input.source && exportKind(other) === wanted && other.periods.some((p) => periods.has(p)));
    if (!instead) continue;
    const common = instead.periods.filter((p) => periods.has(p)).map((p) => p.split(" "));
    const accounts = [...new Set(common.map(([account]) => account!))];
    const months = [...new Set(common.map(([, month]) => month!))].sort();
    setAside.push({
      file: input.file,
      instead: instead.file,
      note: `${input.file} is the ${kind} cost export and ${instead.file} the ${wanted} one of the same charges (${input.source}, account ${list(accounts)}, ${list(months)}); costBasis ${costBasis} reads the ${wanted} one, so ${input.file} was set aside`,
    });
  }
  const aside = new Set(setAside.map((s) => s.file));
  const size = new Map(inputs.map((i) => [i.file, i]));
  for (const pair of shared) {
    if (aside.has(pair.a) || aside.has(pair.b)) continue;
    const [a, b] = [size.get(pair.a)!, size.get(pair.b)!];
    const smaller = a.rows <= b.rows ? a : b;
    if (smaller.rows === 0 || pair.rows < smaller.rows * OVERLAP_SHARE) continue;
    const kinds = [exportKind(a), exportKind(b)];
    const hint = a.source === "azure-cost-details" && kinds[0] !== kinds[1] ? " (an actual and an amortized cost export cannot be told apart without commitment rows)" : "";
    throw new UserError(
      `${pair.a} and ${pair.b} hold the same charges: ${pair.rows} of the ${smaller.rows} rows of ${smaller.file} are also in the other (${a.source}, account ${list(pair.accounts)}, ${list(pair.months)})${hint}; pass only one of them`,
    );
  }
  return setAside;
}

/**
 * SQL: a charge row's fingerprint over the view's normalized columns, so the bytes of the file do not
 * matter. The amounts have one type in the view (its UNION unifies them), so equal amounts hash alike.
 */
const FINGERPRINT = `hash(TagsFormat, ProviderName, SubAccountId, BillingCurrency, BillingPeriod, ChargeDate, ServiceName, RegionId, ChargeCategory, ChargeClass, ResourceId,
  BilledCost, EffectiveCost, ChargeDetail)`;

/**
 * Reads what the inputs of the `charges` view hold and decides with decideOverlaps. A light scan first
 * (source, account and month of each file, a few columns); only files that share one of those with another
 * file are fingerprinted: each file's charge fingerprints counted into a temp table (tags are left out:
 * their text differs between formats of the same export), which is then matched against itself.
 */
export async function findOverlaps(query: (sql: string) => Promise<Record<string, unknown>[]>, costBasis: CostModel["costBasis"]): Promise<SetAside[]> {
  const periods = await query(`SELECT DISTINCT SourceFile, TagsFormat, SubAccountId, BillingPeriod FROM charges`);
  const filesOf = new Map<string, Set<string>>();
  for (const r of periods) {
    const key = JSON.stringify([r.TagsFormat, r.SubAccountId, String(r.BillingPeriod)]);
    filesOf.set(key, (filesOf.get(key) ?? new Set()).add(String(r.SourceFile)));
  }
  const suspects = [...new Set([...filesOf.values()].filter((files) => files.size > 1).flatMap((files) => [...files]))].sort();
  if (suspects.length === 0) return [];
  await query(`
    CREATE OR REPLACE TEMP TABLE input_charges AS
    SELECT SourceFile, ${FINGERPRINT} AS charge, TagsFormat, SubAccountId, BillingPeriod,
      COUNT(*) AS n, COUNT(*) FILTER (CostKind = 'actual') AS actual, COUNT(*) FILTER (CostKind = 'amortized') AS amortized
    FROM charges WHERE SourceFile IN (${suspects.map(sqlString).join(", ")}) GROUP BY ALL`);
  try {
    const inputs = (
      await query(`
        SELECT SourceFile, min(TagsFormat) AS source, SUM(n) AS n, SUM(actual) AS actual, SUM(amortized) AS amortized,
          list_sort(list(COALESCE(SubAccountId, '(none)') || ' ' || COALESCE(strftime(BillingPeriod, '%Y-%m'), '(no month)'))) AS periods
        FROM (SELECT SourceFile, TagsFormat, SubAccountId, BillingPeriod, SUM(n) AS n, SUM(actual) AS actual, SUM(amortized) AS amortized FROM input_charges GROUP BY ALL)
        GROUP BY ALL ORDER BY SourceFile`)
    ).map((r) => ({
      file: String(r.SourceFile), source: String(r.source), rows: Number(r.n), actualRows: Number(r.actual), amortizedRows: Number(r.amortized),
      periods: (r.periods as string[]).map(String),
    }));
    const shared = (
      await query(`
        SELECT a.SourceFile AS a, b.SourceFile AS b, SUM(LEAST(a.n, b.n)) AS n,
          list_sort(list(DISTINCT COALESCE(a.SubAccountId, '(none)'))) AS accounts, list_sort(list(DISTINCT COALESCE(strftime(a.BillingPeriod, '%Y-%m'), '(no month)'))) AS months
        FROM input_charges a JOIN input_charges b ON a.charge = b.charge AND a.SourceFile < b.SourceFile AND a.TagsFormat = b.TagsFormat
          AND a.SubAccountId IS NOT DISTINCT FROM b.SubAccountId AND a.BillingPeriod IS NOT DISTINCT FROM b.BillingPeriod
        GROUP BY ALL ORDER BY n DESC, a, b`)
    ).map((r) => ({ a: String(r.a), b: String(r.b), rows: Number(r.n), accounts: (r.accounts as string[]).map(String), months: (r.months as string[]).map(String) }));
    return decideOverlaps(inputs, shared, costBasis);
  } finally {
    await query("DROP TABLE IF EXISTS input_charges");
  }
}
