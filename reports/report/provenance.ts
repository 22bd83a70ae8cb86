// Provenance: a manifest with the SHA-256 of every input, the config and each output, the allot version,
// and the hash of the previous month's manifest (a hash chain across months). `allot verify` recomputes it.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { UserError } from "../../model";
import { packageRoot } from "../paths";

export interface Manifest {
  allot: string;
  month: string;
  generatedAt: string | null;
  config: { path: string; sha256: string };
  inputs: { path: string; sha256: string }[];
  outputs: { path: string; sha256: string }[];
  /** The previous month's manifest (../YYYY-MM/manifest.json beside this report), when there is one. */
  previous: { path: string; sha256: string } | null;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const version = () => (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version;

function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

/** Paths are stored relative to the report directory, so a committed report verifies wherever it is checked out. */
export async function writeManifest(dir: string, c: { month: string; generatedAt: string | null; config: string; inputs: string[]; outputs: string[] }): Promise<string> {
  const entry = async (file: string) => ({ path: relative(dir, resolve(file)), sha256: await sha256File(file) });
  const previousFile = join(dirname(resolve(dir)), previousMonth(c.month), "manifest.json");
  const manifest: Manifest = {
    allot: version(),
    month: c.month,
    generatedAt: c.generatedAt,
    config: await entry(c.config),
    inputs: await Promise.all([...c.inputs].sort().map(entry)),
    outputs: await Promise.all([...c.outputs].sort().map(entry)),
    previous: existsSync(previousFile) ? await entry(previousFile) : null,
  };
  const file = join(dir, "manifest.json");
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

/** Recomputes every hash in DIR/manifest.json; returns the files that are missing or changed. */
export async function verify(dir: string): Promise<{ checked: number; changed: string[] }> {
  const file = join(dir, "manifest.json");
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
  } catch (error) {
    throw new UserError(`${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : "not a readable manifest"}; pass the directory allot report wrote`);
  }
  const entries = [manifest.config, ...manifest.inputs, ...manifest.outputs, ...(manifest.previous ? [manifest.previous] : [])];
  const changed: string[] = [];
  for (const e of entries) {
    const path = resolve(dir, e.path);
    if (!existsSync(path)) changed.push(`${e.path} (missing)`);
    else if ((await sha256File(path)) !== e.sha256) changed.push(`${e.path} (changed)`);
  }
  return { checked: entries.length, changed };
}
