// Inputs that hold the same charges in other bytes (another format, column order or quoting, a re-export):
// found by content, from a fingerprint of each charge row hashed and matched in DuckDB, one scan. Parts of
// one export (same source, account and month, other rows) are read together; Azure actual and amortized
// exports of the same charges are told apart by their commitment rows, and the one costBasis needs is read.
import { cloudOfProvider, UserError, type CostModel } from "../../model";
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
  /** The input read instead; when several cover it together (one per month), the first (the note names them all). */
  instead: string;
  /** One sentence, for stderr and the report's notes. */
  note: string;
  /**
   * Months (YYYY-MM) of the charges only this input holds, not read because --month named another: read
   * only in part, so trends leave them out (trendMonths).
   */
  unreadMonths: string[];
}

/**
 * The last month before `month` read only in part because an input was set aside (its unreadMonths):
 * history starts after it, since a trend over it, or a baseline or forecast reaching back past it, would show
 * charges that are only unread as a drop.
 */
export function historyCut(month: string, setAside: readonly Pick<SetAside, "unreadMonths">[]): string | undefined {
  return setAside.flatMap((s) => s.unreadMonths).filter((m) => m < month).sort().at(-1);
}

/**
 * Whether a trend shows month `m`: one rule for the report's window and compliance by month. Not a month
 * read only in part, nor one before the history cut.
 */
export function shownInTrends(month: string, setAside: readonly Pick<SetAside, "unreadMonths">[]): (m: string) => boolean {
  const cut = historyCut(month, setAside);
  const partial = new Set(setAside.flatMap((s) => s.unreadMonths));
  return (m) => !partial.has(m) && (cut === undefined || m > cut);
}

/** The months a trend over the window shows, up to `month` (shownInTrends). */
export function trendMonths(months: readonly string[], month: string, setAside: readonly Pick<SetAside, "unreadMonths">[]): string[] {
  const shown = shownInTrends(month, setAside);
  return months.filter((m) => m <= month && shown(m));
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
 * A period as people read it: its account ("(none)" for none) and month (YYYY-MM, or "(no month)"). A period
 * is the JSON text of [account, month] as DuckDB writes it, so an account named "(none)" is not none.
 */
function splitPeriod(period: string): { account: string; month: string } {
  const [account, month] = JSON.parse(period) as [string | null, string | null];
  return { account: account ?? "(none)", month: month ?? "(no month)" };
}

/** Periods as people read them: `2026-01 of account sub-1`, by month then account. */
const describePeriods = (periods: readonly string[]) =>
  list(periods.map(splitPeriod).sort((a, b) => a.month.localeCompare(b.month) || a.account.localeCompare(b.account)).map((p) => `${p.month} of account ${p.account}`));

/**
 * Which inputs to set aside, or the UserError that refuses them. Where an actual and an amortized export
 * of the same source share an account and month, the one that does not match costBasis is set aside, but
 * only when the exports costBasis needs cover every (account, month) it holds: else setting it aside would
 * drop the charges only it has, so the run is refused naming both, the periods the wanted export lacks and
 * the fix. With `month` (--month), only that month's periods must be covered: the set-aside input's other
 * months are not read, and its note says which. Any other two inputs whose rows overlap by OVERLAP_SHARE of
 * the smaller are refused, naming both and what they share.
 */
export function decideOverlaps(inputs: readonly InputCharges[], shared: readonly SharedCharges[], costBasis: CostModel["costBasis"], month?: string): SetAside[] {
  const wanted: ExportKind = costBasis === "BilledCost" ? "actual" : "amortized";
  const setAside: SetAside[] = [];
  for (const input of inputs) {
    const kind = exportKind(input);
    if (kind === null || kind === wanted) continue;
    const held = new Set(input.periods);
    const instead = inputs.filter((other) => other.source === input.source && exportKind(other) === wanted && other.periods.some((p) => held.has(p)));
    if (instead.length === 0) continue;
    const covered = new Set(instead.flatMap((other) => other.periods));
    const common = input.periods.filter((p) => covered.has(p)).map(splitPeriod);
    const accounts = [...new Set(common.map((p) => p.account))].sort();
    const months = [...new Set(common.map((p) => p.month))].sort();
    const names = list(instead.map((other) => other.file));
    const lacking = input.periods.filter((p) => !covered.has(p));
    const needed = month === undefined ? lacking : lacking.filter((p) => splitPeriod(p).month === month);
    if (needed.length > 0) {
      const [they, s] = instead.length > 1 ? ["they", ""] : ["it", "s"];
      // Months where every period of the input is covered: --month with one of them sets it aside.
      const uncovered = new Set(lacking.map((p) => splitPeriod(p).month));
      const whole = month === undefined ? [...new Set(common.map((p) => p.month))].filter((m) => !uncovered.has(m)).sort() : [];
      throw new UserError(
        `${input.file} is the ${kind} cost export and ${names} the ${wanted} one of the same charges (${input.source}, account ${list(accounts)}, ${list(months)}), but ${names} lack${s} ${describePeriods(needed)} that ${input.file} holds; costBasis ${costBasis} reads the ${wanted} export, so setting ${input.file} aside would drop those charges: export those as the ${wanted} cost too, or pass only the inputs of the accounts and months ${they} cover${s}${whole.length > 0 ? ` (or --month ${list(whole)})` : ""}`,
      );
    }
    const unreadMonths = [...new Set(lacking.map((p) => splitPeriod(p).month))].filter((m) => /^\d{4}-\d{2}$/.test(m)).sort();
    // As shownInTrends decides: months before --month cut history there, later ones are left out.
    const before = month === undefined ? undefined : historyCut(month, [{ unreadMonths }]);
    const after = unreadMonths.filter((m) => month !== undefined && m > month);
    const trends = [before === undefined ? null : `start after ${before}`, after.length === 0 ? null : `leave out ${list(after)}`].filter((t) => t !== null);
    const left = trends.length > 0 ? ` (so trends ${trends.join(" and ")})` : "";
    const unread = lacking.length > 0 ? `; its charges of ${describePeriods(lacking)}, outside --month ${month}, which no ${wanted} export holds, are not read${left}` : "";
    setAside.push({
      file: input.file,
      instead: instead[0]!.file,
      note: `${input.file} is the ${kind} cost export and ${names} the ${wanted} one of the same charges (${input.source}, account ${list(accounts)}, ${list(months)}); costBasis ${costBasis} reads the ${wanted} one, so ${input.file} was set aside${unread}`,
      unreadMonths,
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

/** One input's charges of one provider account in one month, as far as telling two exports apart goes. */
export interface InputPeriod {
  file: string;
  /** The source's id (TagsFormat). */
  source: string;
  provider: string | null;
  account: string | null;
  month: string | null;
}

/**
 * An account as its cloud bills it, whatever the export writes: Microsoft's FOCUS export names a subscription
 * `/subscriptions/<guid>` where cost details write the GUID (in either case); an AWS account id is 12
 * digits, which a CSV read as a number loses the leading zeros of.
 */
export function billedAccount(cloud: string, account: string): string {
  const id = account.trim();
  if (cloud === "azure") return id.replace(/^\/subscriptions\//i, "").toLowerCase();
  if (cloud === "aws" && /^\d{1,12}$/.test(id)) return id.padStart(12, "0");
  return id;
}

/**
 * Two exports of one bill in different formats (AWS's FOCUS export and its CUR 2.0, Azure's FOCUS and cost
 * details, GCP's FOCUS and BigQuery export): inputs of two sources that both hold charges of the same cloud,
 * account and month. Their rows cannot be matched one to one (the formats split and name charges
 * differently), but a cloud bills an account's month once, so reading both would count it twice: refused,
 * naming both and what they share. Charges without a known cloud or an account are not compared.
 */
export function twoExportsOfOneBill(periods: readonly InputPeriod[]): UserError | null {
  const byPeriod = new Map<string, Map<string, Set<string>>>();
  for (const p of periods) {
    const cloud = cloudOfProvider(p.provider);
    if (cloud === undefined || p.account === null || p.month === null) continue;
    const key = JSON.stringify([cloud, billedAccount(cloud, p.account), p.month]);
    const sources = byPeriod.get(key) ?? new Map<string, Set<string>>();
    sources.set(p.source, (sources.get(p.source) ?? new Set()).add(p.file));
    byPeriod.set(key, sources);
  }
  const shared = [...byPeriod].filter(([, sources]) => sources.size > 1).sort(([a], [b]) => a.localeCompare(b));
  if (shared.length === 0) return null;
  const [key, sources] = shared[0]!;
  const [cloud, account, month] = JSON.parse(key) as [string, string, string];
  const [a, b] = [...sources].sort(([x], [y]) => x.localeCompare(y)).map(([source, files]) => `${[...files].sort()[0]!} (${source})`);
  const more = shared.length > 1 ? ` and ${shared.length - 1} more account month${shared.length === 2 ? "" : "s"}` : "";
  return new UserError(
    `${a} and ${b} are two exports of the same bill: both hold ${cloud.toUpperCase()} charges of account ${account} in ${month}${more}, and reading both would count them twice; pass the inputs of one export`,
  );
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
 * their text differs between formats of the same export), which is then matched against itself. `month`
 * is --month, when given (see decideOverlaps).
 */
export async function findOverlaps(query: (sql: string) => Promise<Record<string, unknown>[]>, costBasis: CostModel["costBasis"], month?: string): Promise<SetAside[]> {
  const periods = await query(`SELECT DISTINCT SourceFile, TagsFormat, ProviderName, SubAccountId, BillingPeriod, strftime(BillingPeriod, '%Y-%m') AS month FROM charges`);
  const twice = twoExportsOfOneBill(
    periods.map((r) => ({ file: String(r.SourceFile), source: String(r.TagsFormat), provider: r.ProviderName === null ? null : String(r.ProviderName), account: r.SubAccountId === null ? null : String(r.SubAccountId), month: r.month === null ? null : String(r.month) })),
  );
  if (twice) throw twice;
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
          list_sort(list(CAST(to_json([SubAccountId, strftime(BillingPeriod, '%Y-%m')]) AS VARCHAR))) AS periods
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
    return decideOverlaps(inputs, shared, costBasis, month);
  } finally {
    await query("DROP TABLE IF EXISTS input_charges");
  }
}
