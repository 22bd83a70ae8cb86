// Turns --input arguments (files or globs) into a sorted list of readable files, or a UserError that
// names the argument and the fix.
import { accessSync, constants, statSync } from "node:fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../../model";
import { sqlString } from "./duckdb";

const isGlob = (pattern: string) => /[*?[{]/.test(pattern);

export async function resolveInputs(db: DuckDBConnection, patterns: readonly string[]): Promise<string[]> {
  if (patterns.length === 0) throw new UserError("no --input given: pass billing export files or globs, e.g. --input 'exports/*.parquet'");
  const files = new Set<string>();
  for (const pattern of patterns) {
    if (isGlob(pattern)) {
      const result = await db.runAndReadAll(`SELECT file FROM glob(${sqlString(pattern)}) ORDER BY file`);
      const matches = result.getRowObjectsJS().map((r) => String(r.file));
      if (matches.length === 0) throw new UserError(`--input ${pattern}: the glob matches no files; check the path and quote the glob so your shell does not expand it`);
      matches.forEach((f) => files.add(checkReadable(f, pattern)));
    } else {
      files.add(checkReadable(pattern, pattern));
    }
  }
  return [...files].sort();
}

function checkReadable(file: string, given: string): string {
  try {
    if (!statSync(file).isFile()) throw new UserError(`--input ${given}: ${file} is not a file; pass export files or a glob such as '${file.replace(/\/$/, "")}/*.parquet'`);
    accessSync(file, constants.R_OK);
    return file;
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`--input ${given}: file not found; check the path`);
    throw new UserError(`--input ${given}: ${file} cannot be read (${code}); check its permissions`);
  }
}
