// The report directory belongs to allot: a directory holding files allot did not write is refused (unless
// --force), and the files of allot's own previous run there are cleared, so the new manifest lists exactly
// what this run wrote and nothing is left over from an earlier one.
import { readdirSync, rmdirSync, rmSync, statSync } from "node:fs";
import { join, parse, resolve } from "node:path";
import { UserError } from "../../model";
import { listReportDir, MANIFEST, readRegularFile, SIGNATURE } from "./provenance";

/** The outputs the previous manifest in `dir` lists, or null when there is none allot could have written. */
function previousOutputs(dir: string): Set<string> | null {
  try {
    const manifest = JSON.parse(readRegularFile(join(dir, MANIFEST)).toString("utf8")) as { outputs?: { path?: unknown }[] };
    if (!Array.isArray(manifest.outputs)) return null;
    return new Set(manifest.outputs.map((o) => o?.path).filter((p): p is string => typeof p === "string"));
  } catch {
    return null;
  }
}

function removeEmptyDirs(dir: string, top: boolean): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeEmptyDirs(join(dir, entry.name), false);
  if (!top && readdirSync(dir).length === 0) rmdirSync(dir);
}

/**
 * Checks that `out` (the flag's value) can take a report, before any work; the function it returns
 * clears allot's previous outputs there, right before the new ones are written.
 */
export function prepareReportDir(out: string, force: boolean): () => void {
  const dir = resolve(out);
  if (dir === parse(dir).root) throw new UserError(`--out ${out}: is the filesystem root; pass a directory of the report's own, e.g. reports/2026-10`);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return () => undefined;
  }
  if (!isDir) throw new UserError(`--out ${out}: is a file, not a directory; pass a directory for the report`);
  const present = listReportDir(dir);
  const previous = previousOutputs(dir);
  const own = (path: string) => previous !== null && previous.has(path);
  const foreign = present.filter((f) => !own(f));
  if (foreign.length > 0 && !force) {
    const shown = foreign.slice(0, 3).join(", ") + (foreign.length > 3 ? ` and ${foreign.length - 3} more` : "");
    throw new UserError(`--out ${out}: holds files allot did not write (${shown}); choose an empty or new directory, or pass --force to write beside them (they are then listed in the manifest)`);
  }
  return () => {
    for (const path of present.filter(own)) rmSync(join(dir, path), { force: true });
    if (previous !== null) for (const path of [MANIFEST, SIGNATURE]) rmSync(join(dir, path), { force: true });
    removeEmptyDirs(dir, true);
  };
}
