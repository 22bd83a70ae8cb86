// One place that opens DuckDB: an in-memory database, UTC session time, connection closed afterwards.
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

export async function withDuckDB<T>(work: (db: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  try {
    await db.run("SET TimeZone = 'UTC'");
    return await work(db);
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A file path as a SQL string literal that DuckDB reads as that one file: DuckDB expands `*`, `?` and `[`
 * in every path it is given, so each becomes a one-character class (`[*]`), which matches only itself.
 */
export function literalPath(file: string): string {
  return sqlString(file.replace(/[*?[]/g, (c) => `[${c}]`));
}
