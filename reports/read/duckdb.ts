// One place that opens DuckDB: an in-memory database, UTC session time, a stated memory limit and thread
// count, connection closed afterwards.
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../../model";

/**
 * DuckDB's memory limit (ALLOT_MEMORY_LIMIT, e.g. 1GB) and threads (ALLOT_THREADS). Above the limit DuckDB
 * spills what it can to the system temp folder; what it cannot (grouping a million distinct resources with
 * their text columns) fails, and outOfMemory says so. JS holds only the groups.
 */
export function duckdbSettings(env: NodeJS.ProcessEnv = process.env): { memoryLimit: string; threads: number } {
  const memoryLimit = env.ALLOT_MEMORY_LIMIT ?? "1GB";
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(memoryLimit)) throw new UserError(`ALLOT_MEMORY_LIMIT=${memoryLimit}: expected a size such as 1GB or 512MB`);
  const threads = env.ALLOT_THREADS === undefined ? availableParallelism() : Number(env.ALLOT_THREADS);
  if (!Number.isInteger(threads) || threads < 1) throw new UserError(`ALLOT_THREADS=${env.ALLOT_THREADS}: expected a whole number of threads, 1 or more`);
  return { memoryLimit, threads };
}

export async function withDuckDB<T>(work: (db: DuckDBConnection) => Promise<T>): Promise<T> {
  const { memoryLimit, threads } = duckdbSettings();
  const instance = await DuckDBInstance.create(":memory:", {
    memory_limit: memoryLimit,
    threads: String(threads),
    temp_directory: join(tmpdir(), `allot-duckdb-${process.pid}`),
  });
  const db = await instance.connect();
  try {
    await db.run("SET TimeZone = 'UTC'");
    return await work(db);
  } catch (error) {
    throw outOfMemory(error) ?? error;
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** DuckDB running out of its memory limit, as a UserError that says what to raise; null for any other error. */
export function outOfMemory(error: unknown): UserError | null {
  if (error instanceof UserError || !(error instanceof Error) || !/out of memory|could not allocate block/i.test(error.message)) return null;
  const { memoryLimit } = duckdbSettings();
  const detail = /\(([^()]*used)\)/.exec(error.message)?.[1];
  return new UserError(`DuckDB needs more than its memory limit of ${memoryLimit}${detail ? ` (${detail})` : ""} for these inputs; raise ALLOT_MEMORY_LIMIT (e.g. ALLOT_MEMORY_LIMIT=2GB) or pass fewer months of input`);
}

/**
 * A SQL string: a literal, or, for text with NUL characters (a tag key may have them), literals joined with
 * chr(0), since DuckDB's parser reads a query as C text, which ends at the first NUL.
 */
export function sqlString(value: string): string {
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  return value.includes("\0") ? `(${value.split("\0").map(literal).join(" || chr(0) || ")})` : literal(value);
}

/**
 * A file path as a SQL string literal that DuckDB reads as that one file: DuckDB expands `*`, `?` and `[`
 * in every path it is given, so each becomes a one-character class (`[*]`), which matches only itself.
 */
export function literalPath(file: string): string {
  return sqlString(file.replace(/[*?[]/g, (c) => `[${c}]`));
}
