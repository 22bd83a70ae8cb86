// Side inputs beside the bill: usage metrics, the AI metering log, reviewed adjustments. One loader opens
// any of them: the file as one literal path, as CSV (every cell text), Parquet or JSON lines; its columns
// checked; each record numbered by its line; and any read failure one error naming the file and what was
// expected. The loaders in metrics.ts, metering.ts and adjustments.ts only say what their records mean.
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../../model";
import { literalPath, sqlString } from "./duckdb";

export type SideInputFormat = "csv" | "parquet" | "jsonl";

export interface SideInputSpec {
  /** What the file is, for messages: "metrics file", "metering log". */
  what: string;
  /** The columns read, each as text; one the file lacks reads as NULL. */
  columns: readonly string[];
  /** Columns the file must have; a missing one is an error naming it. */
  required: readonly string[];
  formats: readonly SideInputFormat[];
}

export interface SideInput {
  file: string;
  spec: SideInputSpec;
  /** The columns the file has. */
  present: ReadonlySet<string>;
  /** A SELECT of every record: `line` (the file's line, or record number) and each spec column as text. */
  records: string;
}

export function sideInputFormat(file: string): SideInputFormat {
  if (/\.parquet$/i.test(file)) return "parquet";
  if (/\.(jsonl|ndjson|json)(\.gz)?$/i.test(file)) return "jsonl";
  return "csv";
}

const expectedText = (spec: SideInputSpec) => `${spec.formats.map((f) => ({ csv: "CSV", parquet: "Parquet", jsonl: "JSON lines" })[f]).join(", ")} with ${spec.columns.join(", ")}`;

function readError(file: string, spec: SideInputSpec, error: unknown): UserError {
  if (error instanceof UserError) return error;
  return new UserError(`${file}: cannot read the ${spec.what} (${(error as Error).message.split("\n")[0]}); expected ${expectedText(spec)}`);
}

/** Runs a query over a side input; a failure is one error naming the file. */
export async function querySideInput(db: DuckDBConnection, input: Pick<SideInput, "file" | "spec">, sql: string): Promise<Record<string, unknown>[]> {
  try {
    return (await db.runAndReadAll(sql)).getRowObjectsJS();
  } catch (error) {
    throw readError(input.file, input.spec, error);
  }
}

/** Side inputs opened so far in this process: each text one gets a table of its own. */
let opened = 0;

export async function openSideInput(db: DuckDBConnection, file: string, spec: SideInputSpec): Promise<SideInput> {
  const format = sideInputFormat(file);
  if (!spec.formats.includes(format)) throw new UserError(`${file}: a ${spec.what} is ${expectedText(spec)}`);
  const scan =
    format === "parquet" ? `read_parquet(${literalPath(file)})`
    : format === "jsonl" ? `read_ndjson_objects(${literalPath(file)})`
    : `read_csv(${literalPath(file)}, header = true, all_varchar = true)`;
  // Text files are read (and their dialect sniffed) once, into a table every later query reads; Parquet
  // is read where it is.
  const source = format === "parquet" ? scan : `side_input_${++opened}`;
  let present: string[];
  try {
    if (format !== "parquet") await db.run(`CREATE OR REPLACE TEMP TABLE ${source} AS SELECT * FROM ${scan}`);
    present =
      format === "jsonl"
        ? Object.keys(JSON.parse(String((await db.runAndReadAll(`SELECT json FROM ${source} LIMIT 1`)).getRowObjectsJS()[0]?.json ?? "{}")) as object)
        : (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjectsJS().map((r) => String(r.column_name));
  } catch (error) {
    throw readError(file, spec, error);
  }
  const missing = spec.required.filter((c) => !present.includes(c));
  if (missing.length > 0) throw new UserError(`${file}${format === "csv" ? ":1" : ""}: the ${spec.what} needs the columns ${missing.join(", ")} (found ${present.join(", ") || "none"}); expected ${expectedText(spec)}`);
  const text = (name: string) => (!present.includes(name) ? "NULL" : format === "jsonl" ? `json_extract_string(json, ${sqlString(`$.${name}`)})` : `CAST("${name.replace(/"/g, '""')}" AS VARCHAR)`);
  const records = `SELECT row_number() OVER () + ${format === "csv" ? 1 : 0} AS line, ${spec.columns.map((c) => `${text(c)} AS "${c}"`).join(", ")} FROM ${source}`;
  return { file, spec, present: new Set(present), records };
}

/** The first record for which any of the SQL conditions holds, with its line; undefined when none does. */
export async function firstBadRecord(db: DuckDBConnection, input: SideInput, conditions: readonly string[]): Promise<Record<string, unknown> | undefined> {
  if (conditions.length === 0) return undefined;
  const [bad] = await querySideInput(db, input, `SELECT * FROM (${input.records}) WHERE ${conditions.map((c) => `(${c})`).join(" OR ")} ORDER BY line LIMIT 1`);
  return bad;
}
