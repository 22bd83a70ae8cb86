// What every billing source module provides: how to recognise its files from their columns, and the
// SELECT that maps one file group into the FOCUS-shaped columns of the `charges` view.
import { sqlString } from "../duckdb";

export type FileFormat = "csv" | "parquet" | "json";

/** How a source writes tags, so one normaliser can read them all (see tags.ts). */
export type TagsFormat = "json" | "azure" | "gcp" | "cur";

/** The columns of a file as DuckDB reads it: name to DuckDB type. */
export type Columns = ReadonlyMap<string, string>;

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
}

/**
 * The columns every source maps to, in order. Raw* are the amounts as written, for finding rows that do
 * not parse; the view turns them into DECIMAL(38,18).
 */
export const CHARGE_COLUMNS = [
  "SourceFile", "RawBilledCost", "RawEffectiveCost", "BillingCurrency", "RawBillingPeriod", "BillingMonth",
  "ChargeDate", "ProviderName", "SubAccountId", "ServiceName", "ChargeCategory", "ChargeClass", "ResourceId",
  "ResourceType", "Tags", "TagsFormat",
] as const;

/** A quoted identifier: column names such as `lineItem/UnblendedCost` need it. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The column as text, or NULL when the file does not have it. */
export function text(columns: Columns, ...candidates: string[]): string {
  const found = candidates.find((c) => columns.has(c));
  return found ? `CAST(${ident(found)} AS VARCHAR)` : "NULL";
}

/**
 * An amount as exact text: DOUBLE columns (GCP's FLOAT64, some Parquet writers) go through their
 * shortest round-trip text, so 0.1 stays 0.1 instead of 0.1000000000000000055511151231257827.
 */
export function amount(columns: Columns, name: string): string {
  const type = columns.get(name);
  if (type === undefined) return "NULL";
  return `CAST(${ident(name)} AS VARCHAR)`;
}

export function literal(value: string): string {
  return sqlString(value);
}

/** YYYY-MM of a date or timestamp column, whatever its text form (ISO, with T and Z, or M/D/YYYY). */
export function monthOf(expression: string): string {
  return `strftime(COALESCE(TRY_CAST(${expression} AS TIMESTAMP), TRY_STRPTIME(CAST(${expression} AS VARCHAR), '%m/%d/%Y')), '%Y-%m')`;
}

export function dateOf(expression: string): string {
  return `CAST(COALESCE(TRY_CAST(${expression} AS TIMESTAMP), TRY_STRPTIME(CAST(${expression} AS VARCHAR), '%m/%d/%Y')) AS DATE)`;
}
