// Opens billing exports of any known source as one DuckDB view, `charges`: each file's schema is detected
// from its columns, each source maps its files into the same FOCUS-shaped columns, and money is cast from
// exact text or numbers to DECIMAL(38,18). openCharges decides which inputs are read: files with the same
// content once (duplicates.ts), files holding the same charges in other bytes refused or, for Azure actual
// and amortized exports, the one costBasis needs (overlap.ts).
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError, type CostBasis, type CostModel } from "../../model";
import { FOCUS_REQUIRED_COLUMNS } from "../../model/focus";
import { diagnoseCsv } from "./diagnose";
import { withoutDuplicates } from "./duplicates";
import { literalPath, outOfMemory, sqlString } from "./duckdb";
import { findOverlaps, type SetAside } from "./overlap";
import { CHARGE_COLUMN_TYPES, CHARGE_COLUMNS, FILE_COLUMN, SOURCES, type BillingSource, type Columns, type FileFormat } from "./sources";

export interface OpenedFile {
  path: string;
  source: BillingSource;
  format: FileFormat;
}

export interface ChargesInfo {
  files: OpenedFile[];
  /** Inputs skipped because another input has the same content: [skipped, kept]. */
  duplicates: [string, string][];
  /** Inputs not read because another holds the same charges on the cost basis the model needs. */
  setAside: SetAside[];
}

export function formatOf(file: string): FileFormat {
  if (/\.parquet$/i.test(file)) return "parquet";
  if (/\.(csv|tsv|txt)(\.gz)?$/i.test(file)) return "csv";
  if (/\.(json|jsonl|ndjson)(\.gz)?$/i.test(file)) return "json";
  throw new UserError(`${file}: unknown file type; allot reads billing exports as .csv, .csv.gz, .parquet or .jsonl (.json, .ndjson)`);
}

/**
 * A CSV file's dialect as DuckDB's sniffer found it, once per file: each later read of the file passes it,
 * since a read_csv left to detect it sniffs the file again at every query (70 to 120 ms each on a 1M-row file).
 */
export interface CsvDialect {
  delim: string;
  quote: string;
  escape: string;
}

const CSV_OPTIONS = "header = true, all_varchar = true";
const CSV_NULLS = "nullstr = ['', 'NULL']";

function scan(format: FileFormat, files: readonly string[], dialect?: CsvDialect, forDescribe = false): string {
  const list = `[${files.map(literalPath).join(", ")}]`;
  switch (format) {
    case "parquet":
      return `read_parquet(${list}, union_by_name = true, filename = ${sqlString(FILE_COLUMN)})`;
    case "csv": {
      const pinned = dialect ? `, delim = ${sqlString(dialect.delim)}, quote = ${sqlString(dialect.quote)}, escape = ${sqlString(dialect.escape)}` : "";
      return `read_csv(${list}, ${CSV_OPTIONS}${pinned}, union_by_name = true, filename = ${sqlString(FILE_COLUMN)}, ${CSV_NULLS})`;
    }
    case "json":
      // Raw objects, so amounts are read from their text; the typed reader only serves detection.
      return forDescribe ? `read_json_auto(${list}, format = 'newline_delimited')` : `read_ndjson_objects(${list}, filename = ${sqlString(FILE_COLUMN)})`;
  }
}

/** DuckDB's own words for a read failure, reduced to one line. */
const firstLine = (error: unknown) => (error as Error).message.split("\n")[0]!.replace(/^[A-Za-z ]+Error: /, "");

/** A file's columns (name to type) and, for CSV, its dialect, from one detection. */
async function describeFile(db: DuckDBConnection, format: FileFormat, file: string): Promise<{ columns: Map<string, string>; dialect?: CsvDialect }> {
  try {
    if (format === "csv") {
      // The sniffer's findings are what read_csv would detect with the same options: its columns, and the
      // dialect later reads pass. It writes a dialect character it did not find as "(empty)".
      const [found] = (await db.runAndReadAll(`SELECT Delimiter, Quote, Escape, Columns FROM sniff_csv(${literalPath(file)}, ${CSV_OPTIONS}, ${CSV_NULLS})`)).getRowObjectsJS();
      const char = (value: unknown) => (value === "(empty)" ? "" : String(value));
      const columns = new Map((found!.Columns as { name: string; type: string }[]).map((c) => [String(c.name), String(c.type)]));
      columns.set(FILE_COLUMN, "VARCHAR");
      return { columns, dialect: { delim: char(found!.Delimiter), quote: char(found!.Quote), escape: char(found!.Escape) } };
    }
    const result = await db.runAndReadAll(`DESCRIBE SELECT * FROM ${scan(format, [file], undefined, true)}`);
    return { columns: new Map(result.getRowObjectsJS().map((r) => [String(r.column_name), String(r.column_type)])) };
  } catch (error) {
    if (error instanceof UserError) throw error;
    const memory = outOfMemory(error);
    if (memory) throw memory;
    const problem = format === "csv" ? await diagnoseCsv(file) : null;
    if (problem) throw new UserError(`${file}${problem}`);
    throw new UserError(`${file}: cannot be read as ${format === "csv" ? "CSV" : format === "json" ? "JSON lines" : "Parquet"} (${firstLine(error)}); check that the file is a complete, uncorrupted export`);
  }
}

/** A CSV that DuckDB misread (ragged rows, a stray CR, a cut-off gzip) is named for what is wrong with it, not as an unknown schema. */
async function unreadableOrUnknown(file: string, format: FileFormat, columns: Columns): Promise<UserError> {
  const problem = format === "csv" ? await diagnoseCsv(file) : null;
  return problem ? new UserError(`${file}${problem}`) : unknownSchema(file, columns);
}

function unknownSchema(file: string, columns: Columns): UserError {
  if (columns.has("ContractCommitmentId")) {
    return new UserError(`${file}: is a FOCUS 1.3 contract commitment dataset: it lists commitments, not charges; pass the cost and usage dataset`);
  }
  if (columns.has("BilledCost") && columns.has("ChargeCategory")) {
    const missing = FOCUS_REQUIRED_COLUMNS.filter((c) => !columns.has(c));
    return new UserError(`${file}: looks like FOCUS but lacks ${missing.join(", ")}; export the full cost and usage dataset`);
  }
  const found = [...columns.keys()].filter((c) => c !== FILE_COLUMN);
  const shown = found.slice(0, 12).join(", ") + (found.length > 12 ? `, and ${found.length - 12} more` : "");
  return new UserError(`${file}: unknown billing export schema (columns: ${shown}); allot reads ${SOURCES.map((s) => s.name).join("; ")}`);
}

/** SQL over `charges`: how a row's amount in the cost basis is read. */
export interface BasisAmount {
  /** The column the basis falls back to (BilledCost for EffectiveCost, and the other way round). */
  other: CostBasis;
  /** The row's amount: the basis, or the other column when the basis is empty (FOCUS makes both mandatory). */
  cost: string;
  /** Whether the row's basis was empty and the other column's amount was taken instead. */
  fellBack: string;
  /** What rounding to 18 decimal places cut off the amount taken (NULL when nothing). */
  cut: string;
  /**
   * Whether the row's amount is there but cannot be read: the basis's text does not parse, the basis is
   * empty and the other column's text (the one it would fall back on) does not parse, or a source's AmountProblem.
   */
  unreadable: string;
  /** Whether the row is unreadable because of the other column: the basis empty, the other's text not a number. */
  otherUnreadable: string;
}

/**
 * The one rule for a row's amount, for every query that sums charges: an empty EffectiveCost next to a
 * BilledCost (or the other way round) takes the other column's amount, and the reader counts and reports
 * such rows (loadChargeGroups), so they are neither silently 0 nor silently substituted. An empty basis
 * next to other text that does not parse ("abc", "1,2") is unreadable like the basis's own bad text: the
 * row's amount is there, only not readable, so it is never a silent 0.
 */
export function basisAmount(basis: CostBasis): BasisAmount {
  const other: CostBasis = basis === "EffectiveCost" ? "BilledCost" : "EffectiveCost";
  const fellBack = `(${basis} IS NULL AND NOT Has${basis} AND AmountProblem IS NULL AND ${other} IS NOT NULL)`;
  const otherUnreadable = `(${basis} IS NULL AND NOT Has${basis} AND ${other} IS NULL AND Has${other})`;
  return {
    other,
    cost: `CASE WHEN ${fellBack} THEN ${other} ELSE ${basis} END`,
    fellBack,
    cut: `CASE WHEN ${fellBack} THEN Cut${other} ELSE Cut${basis} END`,
    unreadable: `((${basis} IS NULL AND Has${basis}) OR ${otherUnreadable} OR AmountProblem IS NOT NULL)`,
    otherUnreadable,
  };
}

interface FileGroup {
  source: BillingSource;
  format: FileFormat;
  dialect?: CsvDialect;
  files: string[];
  columns: Map<string, string>;
}

type DescribedFile = OpenedFile & { columns: Map<string, string>; dialect?: CsvDialect };

/** (Re)creates the `charges` view over the files, one SELECT per source and format. */
async function createChargesView(db: DuckDBConnection, opened: readonly DescribedFile[]): Promise<void> {
  const groups = new Map<string, FileGroup>();
  for (const { path, source, format, columns, dialect } of opened) {
    // Files are read together only when their columns (and, for CSV, dialects) agree: a source picks its
    // columns from what a group has (Azure's CostInBillingCurrency over Cost), which must be every file's.
    const key = JSON.stringify([source.id, format, dialect ?? null, [...columns].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
    const group = groups.get(key) ?? { source, format, ...(dialect ? { dialect } : {}), files: [] as string[], columns: new Map<string, string>() };
    group.files.push(path);
    columns.forEach((type, name) => group.columns.set(name, type));
    groups.set(key, group);
  }
  const projection = CHARGE_COLUMNS.map((c) => (CHARGE_COLUMN_TYPES[c] ? `CAST(${c} AS ${CHARGE_COLUMN_TYPES[c]}) AS ${c}` : c)).join(", ");
  const selects = [...groups.values()].map((g) => `SELECT ${projection} FROM (${g.source.select(scan(g.format, g.files, g.dialect), g.columns as Columns, g.format)})`);
  // DuckDB reads the files' headers to bind the view: a failure names the file, as a query's would.
  await queryCharges(db, `
    CREATE OR REPLACE VIEW charges AS
    ${selects.join("\nUNION ALL\n")}
  `);
}

/**
 * Decides which inputs are read and creates the `charges` view over them: byte-level duplicates are read
 * once; with more than one input left, inputs holding the same charges are refused, or the actual or
 * amortized export that `costBasis` does not need is set aside (one extra scan, overlap.ts) when the one it
 * needs covers its accounts and months (those of `month` alone, when --month names one).
 */
export async function openCharges(db: DuckDBConnection, inputs: readonly string[], costBasis: CostModel["costBasis"] = "EffectiveCost", month?: string): Promise<ChargesInfo> {
  const { kept, duplicates } = await withoutDuplicates(inputs);
  const opened: DescribedFile[] = [];
  for (const file of kept) {
    const format = formatOf(file);
    const { columns, dialect } = await describeFile(db, format, file);
    const source = SOURCES.find((s) => s.formats.includes(format) && s.detect(columns));
    if (!source) throw await unreadableOrUnknown(file, format, columns);
    opened.push({ path: file, source, format, columns, ...(dialect ? { dialect } : {}) });
  }
  await createChargesView(db, opened);
  const setAside = opened.length > 1 ? await findOverlaps((sql) => queryCharges(db, sql), costBasis, month) : [];
  const read = opened.filter((f) => !setAside.some((s) => s.file === f.path));
  if (read.length < opened.length) await createChargesView(db, read);
  return { files: read.map(({ path, source, format }) => ({ path, source, format })), duplicates, setAside };
}

/**
 * Runs a query over the files; a read that fails half-way (a truncated gzip or Parquet file) becomes a
 * UserError that says so, instead of a stack trace.
 */
export async function queryCharges(db: DuckDBConnection, sql: string, values?: Record<string, string> | string[]) {
  try {
    return (await db.runAndReadAll(sql, values as never)).getRowObjectsJS();
  } catch (error) {
    const message = firstLine(error);
    const memory = outOfMemory(error);
    if (memory) throw memory;
    if (/overflow/i.test(message)) throw await overflowError(db, message);
    const file = /"([^"]+\.(?:parquet|csv|gz|jsonl?|ndjson))"/.exec(message)?.[1] ?? /'([^']+\.(?:parquet|csv|gz|jsonl?|ndjson))'/.exec(message)?.[1];
    throw new UserError(`${file ?? "an input file"}: the file cannot be read to the end (${message}); it may be truncated or corrupt, so export it again`);
  }
}

/**
 * A sum past what exact decimals hold (DECIMAL(38,18): 20 digits before the point) is no truncated file:
 * names the file whose own amounts overflow, else every file whose amounts together do.
 */
async function overflowError(db: DuckDBConnection, message: string): Promise<UserError> {
  const why = `amounts add up past what exact decimals hold (20 digits before the point; ${message}); check the file's cost columns for corrupt values`;
  let files: string[];
  try {
    files = (await db.runAndReadAll("SELECT DISTINCT SourceFile FROM charges ORDER BY 1")).getRowObjectsJS().map((r) => String(r.SourceFile));
  } catch {
    return new UserError(`an input file: ${why}`);
  }
  for (const file of files) {
    try {
      await db.runAndReadAll("SELECT SUM(BilledCost), SUM(EffectiveCost) FROM charges WHERE SourceFile = $file", { file });
    } catch {
      return new UserError(`${file}: ${why}`);
    }
  }
  return new UserError(`${files.join(", ")}: together, ${why}`);
}
