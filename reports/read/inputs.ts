// Turns --input arguments (files or globs) into a sorted list of readable files, or a UserError that
// names the argument and the fix. allot expands globs itself; DuckDB only ever sees literal paths.
import { accessSync, constants, statSync } from "node:fs";
import { isAbsolute } from "node:path";
import { globSync, isDynamicPattern } from "tinyglobby";
import { UserError } from "../../model";

/**
 * A glob is expanded here, and each match is handed on as a literal path, so a file named `*.csv` or
 * `[ab].csv` is read as itself, once. A glob that matches nothing but names an existing file is that
 * file; a backslash escapes a glob character (`'exports/\[ab\].csv'`).
 */
export function resolveInputs(patterns: readonly string[], flag = "--input"): string[] {
  if (patterns.length === 0) throw new UserError(`no ${flag} given: pass files or globs, e.g. ${flag} 'exports/*.parquet'`);
  const files = new Set<string>();
  for (const pattern of patterns) {
    const glob = isDynamicPattern(pattern) || (pattern.includes("\\") && !exists(pattern));
    const matches = glob ? globSync(pattern, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(pattern) }).sort() : [];
    if (matches.length > 0) matches.forEach((f) => files.add(checkReadable(f, pattern, flag)));
    else if (glob && !exists(pattern)) throw new UserError(`${flag} ${pattern}: the glob matches no files; check the path and quote the glob so your shell does not expand it`);
    else files.add(checkReadable(pattern, pattern, flag));
  }
  return [...files].sort();
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function checkReadable(file: string, given: string, flag: string): string {
  try {
    if (!statSync(file).isFile()) throw new UserError(`${flag} ${given}: ${file} is not a file; pass files or a glob such as '${file.replace(/\/$/, "")}/*.parquet'`);
    accessSync(file, constants.R_OK);
    return file;
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`${flag} ${given}: file not found; check the path`);
    throw new UserError(`${flag} ${given}: ${file} cannot be read (${code}); check its permissions`);
  }
}
