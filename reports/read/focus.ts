// Reads FOCUS exports (CSV, gzip CSV, Parquet) into one DuckDB view, `focus`, with costs as exact
// DECIMAL(38,18): CSV cells are read as text and cast, so DuckDB never infers a DOUBLE for money.
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../../model";
import { FOCUS_REQUIRED_COLUMNS } from "../../model/focus";
import { sqlString } from "./duckdb";

export const MONEY = "DECIMAL(38,18)";

type Format = "csv" | "parquet";

function formatOf(file: string): Format {
  if (/\.parquet$/i.test(file)) return "parquet";
  if (/\.(csv|csv\.gz|txt|tsv)$/i.test(file)) return "csv";
  throw new UserError(`${file}: unknown file type; allot reads FOCUS exports as .csv, .csv.gz or .parquet`);
}

function scan(format: Format, files: readonly string[]): string {
  const list = `[${files.map(sqlString).join(", ")}]`;
  return format === "parquet"
    ? `read_parquet(${list}, union_by_name = true, filename = true)`
    : `read_csv(${list}, header = true, all_varchar = true, union_by_name = true, filename = true, nullstr = ['', 'NULL'])`;
}

async function columnsOf(db: DuckDBConnection, format: Format, file: string): Promise<Map<string, string>> {
  try {
    const result = await db.runAndReadAll(`DESCRIBE SELECT * FROM ${scan(format, [file])}`);
    return new Map(result.getRowObjectsJS().map((r) => [String(r.column_name), String(r.column_type)]));
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new UserError(`${file}: cannot be read as ${format === "csv" ? "CSV" : "Parquet"} (${reason}); check that it is a complete, uncorrupted export`);
  }
}

/** Creates the `focus` view over the files: one row per charge, BillingMonth as YYYY-MM. */
export async function openFocus(db: DuckDBConnection, files: readonly string[]): Promise<void> {
  const byFormat = new Map<Format, string[]>();
  const tagsTypes = new Set<string>();
  const present = new Set<string>();
  for (const file of files) {
    const format = formatOf(file);
    const columns = await columnsOf(db, format, file);
    const missing = FOCUS_REQUIRED_COLUMNS.filter((c) => !columns.has(c));
    if (missing.length > 0) {
      throw new UserError(`${file}: not a FOCUS export (missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}); export cost data in FOCUS 1.0 or later`);
    }
    tagsTypes.add(columns.get("Tags") ?? "absent");
    columns.forEach((_, name) => present.add(name));
    byFormat.set(format, [...(byFormat.get(format) ?? []), file]);
  }
  // AWS's FOCUS export stores Tags as a MAP; everything else writes a JSON object as text.
  const tags = [...tagsTypes].some((t) => t.startsWith("MAP")) ? "CAST(to_json(Tags) AS VARCHAR)" : [...tagsTypes].every((t) => t === "absent") ? "NULL" : "CAST(Tags AS VARCHAR)";
  const optional = (column: string) => (present.has(column) ? `CAST(${column} AS VARCHAR)` : "NULL");
  const selects = [...byFormat].map(([format, group]) => `SELECT * FROM ${scan(format, group)}`);
  await db.run(`
    CREATE OR REPLACE VIEW focus AS
    SELECT
      filename AS SourceFile,
      BilledCost AS RawBilledCost,
      EffectiveCost AS RawEffectiveCost,
      TRY_CAST(BilledCost AS ${MONEY}) AS BilledCost,
      TRY_CAST(EffectiveCost AS ${MONEY}) AS EffectiveCost,
      CAST(BillingCurrency AS VARCHAR) AS BillingCurrency,
      left(CAST(BillingPeriodStart AS VARCHAR), 7) AS BillingMonth,
      CAST(ProviderName AS VARCHAR) AS ProviderName,
      CAST(ServiceName AS VARCHAR) AS ServiceName,
      CAST(ChargeCategory AS VARCHAR) AS ChargeCategory,
      ${optional("SubAccountId")} AS SubAccountId,
      ${optional("ResourceType")} AS ResourceType,
      ${tags} AS Tags
    FROM (${selects.join(" UNION ALL BY NAME ")})
  `);
}
