// Provenance: a manifest with the SHA-256 of every input, the config and every file of the report
// directory, the allot version, and the hash of the previous month's manifest (a hash chain across
// months). `allot verify` recomputes it; an Ed25519 signature beside it makes a consistent edit (a file
// changed and its new hash written into the manifest) detectable too.
import { createHash, createPrivateKey, createPublicKey, sign, verify as verifySignature, type KeyObject } from "node:crypto";
import { closeSync, constants, createReadStream, existsSync, fstatSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { z } from "zod";
import { UserError } from "../../model";
import { allotVersion } from "../paths";

export const MANIFEST = "manifest.json";
/** The detached Ed25519 signature of manifest.json, base64; outside the listing, since it signs it. */
export const SIGNATURE = "manifest.sig";

const Entry = z.strictObject({ path: z.string().min(1).refine((p) => !p.includes("\0"), "a path without NUL bytes"), sha256: z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 as 64 hex digits") });
const ManifestSchema = z.strictObject({
  allot: z.string(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month as YYYY-MM"),
  generatedAt: z.string().nullable(),
  config: Entry,
  inputs: z.array(Entry),
  /** Every file of the report directory but the manifest and its signature. */
  outputs: z.array(Entry),
  /** The previous month's manifest (../YYYY-MM/manifest.json beside this report), when there is one. */
  previous: Entry.nullable(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** Not a regular file: a directory, a device such as /dev/zero, a FIFO or a socket, which must never be read to the end. */
export class NotRegularFile extends Error {}

/**
 * SHA-256 of a regular file. It is opened without blocking and checked on the open descriptor, so a FIFO
 * or a device can neither hang the read nor be swapped in between a check and the read.
 */
export async function sha256File(file: string): Promise<string> {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new NotRegularFile(`${file} is not a regular file`);
  }
  const hash = createHash("sha256");
  for await (const chunk of createReadStream("", { fd })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The bytes of a regular file, opened without blocking so a FIFO or device cannot hang the read. */
export function readRegularFile(file: string): Buffer {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw new NotRegularFile(`${file} is not a regular file`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every entry under `dir` that is not a directory, as relative paths with `/`, sorted; the manifest and its signature left out. */
export function listReportDir(dir: string): string[] {
  const found: string[] = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const path = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (path !== MANIFEST && path !== SIGNATURE) found.push(path);
    }
  };
  walk("");
  return found.sort();
}

function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

function readKey(file: string, flag: string, kind: "private" | "public"): KeyObject {
  const hint = kind === "private" ? "create one with: openssl genpkey -algorithm ed25519 -out allot-sign.pem" : "derive it with: openssl pkey -in allot-sign.pem -pubout -out allot-sign.pub.pem";
  let key: KeyObject;
  try {
    const pem = readFileSync(file);
    key = kind === "private" ? createPrivateKey(pem) : createPublicKey(pem);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`${flag} ${file}: ${code === "ENOENT" ? "not found" : `not a PEM ${kind} key (${code ?? "unreadable"})`}; ${hint}`);
  }
  if (key.asymmetricKeyType !== "ed25519") throw new UserError(`${flag} ${file}: is a ${key.asymmetricKeyType ?? "symmetric"} key, allot signs with Ed25519; ${hint}`);
  return key;
}

/** The Ed25519 private key of `allot report --sign-key`, read before any work so a bad key fails first. */
export const readSigningKey = (file: string) => readKey(file, "--sign-key", "private");

/**
 * Writes DIR/manifest.json over every file in DIR, and DIR/manifest.sig when a key is given. Paths are
 * relative to DIR, so a committed report verifies wherever it is checked out.
 */
/**
 * Writes manifest.json (and manifest.sig with a key). `hashes` may hold the inputs' SHA-256 already under
 * way (started while DuckDB read them); an input without one, or whose hashing failed, is hashed now.
 */
export async function writeManifest(dir: string, c: { month: string; generatedAt: string | null; config: string; inputs: string[]; signingKey?: KeyObject; hashes?: ReadonlyMap<string, Promise<string>> }): Promise<string[]> {
  const sha256 = async (file: string) => (await c.hashes?.get(file)?.catch(() => undefined)) ?? (await sha256File(file));
  const entry = async (file: string) => ({ path: relative(dir, resolve(file)).split(sep).join("/"), sha256: await sha256(file) });
  const previousFile = join(dirname(resolve(dir)), previousMonth(c.month), MANIFEST);
  const manifest: Manifest = {
    allot: allotVersion(),
    month: c.month,
    generatedAt: c.generatedAt,
    config: await entry(c.config),
    inputs: await Promise.all([...c.inputs].sort().map(entry)),
    outputs: await Promise.all(listReportDir(dir).map((f) => entry(join(dir, f)))),
    previous: existsSync(previousFile) ? await entry(previousFile) : null,
  };
  const file = join(dir, MANIFEST);
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(file, text);
  if (!c.signingKey) return [file];
  const signature = join(dir, SIGNATURE);
  writeFileSync(signature, `${sign(null, Buffer.from(text), c.signingKey).toString("base64")}\n`);
  return [file, signature];
}

function readManifest(file: string): { manifest: Manifest; text: Buffer } {
  const fix = "pass the directory allot report wrote, or run allot report again";
  let text: Buffer;
  try {
    text = readRegularFile(file);
  } catch (error) {
    if (error instanceof NotRegularFile) throw new UserError(`${file}: not a regular file; ${fix}`);
    throw new UserError(`${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : `cannot be read (${(error as NodeJS.ErrnoException).code})`}; ${fix}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.toString("utf8"));
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message}); ${fix}`);
  }
  const parsed = ManifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length > 0 ? issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") : "(top level)";
    throw new UserError(`${file}: ${at}: ${issue.message}; it is not a manifest allot wrote, so ${fix}`);
  }
  return { manifest: parsed.data, text };
}

/** Where an entry points: outputs strictly inside DIR, other entries relative to it; never absolute. */
function located(dir: string, file: string, e: { path: string }, field: string, inside: boolean): string {
  const within = !isAbsolute(e.path) && !normalize(e.path).split(/[\\/]/).includes("..") && normalize(e.path) !== ".";
  if (isAbsolute(e.path) || (inside && !within) || (inside && [MANIFEST, SIGNATURE].includes(normalize(e.path)))) {
    throw new UserError(`${file}: ${field} path ${JSON.stringify(e.path)} is ${isAbsolute(e.path) ? "absolute" : "outside the report directory"}; allot writes only relative paths${inside ? " inside it" : ""}, so run allot report again`);
  }
  return resolve(dir, e.path);
}

export interface Verification {
  checked: number;
  /** Each problem as `path (missing | changed | added | not a regular file)` or a signature problem. */
  problems: string[];
  signed: boolean;
}

/**
 * Recomputes every hash in DIR/manifest.json and lists DIR: a file missing, changed or added fails. With
 * a public key, DIR/manifest.sig must be a valid Ed25519 signature of the manifest.
 */
export async function verify(dir: string, publicKeyFile?: string): Promise<Verification> {
  const publicKey = publicKeyFile === undefined ? undefined : readKey(publicKeyFile, "--public-key", "public");
  const file = join(dir, MANIFEST);
  const { manifest, text } = readManifest(file);
  const entries = [
    ...[manifest.config, ...manifest.inputs, ...(manifest.previous ? [manifest.previous] : [])].map((e, i) => ({ e, path: located(dir, file, e, i === 0 ? "config" : "input", false) })),
    ...manifest.outputs.map((e) => ({ e, path: located(dir, file, e, "output", true) })),
  ];
  const problems: string[] = [];
  for (const { e, path } of entries) {
    try {
      if ((await sha256File(path)) !== e.sha256) problems.push(`${e.path} (changed)`);
    } catch (error) {
      if (error instanceof NotRegularFile) problems.push(`${e.path} (not a regular file)`);
      else problems.push(`${e.path} (${(error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : `unreadable: ${(error as NodeJS.ErrnoException).code}`})`);
    }
  }
  const listed = new Set(manifest.outputs.map((o) => normalize(o.path)));
  for (const present of listReportDir(dir)) if (!listed.has(normalize(present))) problems.push(`${present} (added)`);
  if (publicKey) {
    let signature: Buffer | undefined;
    try {
      signature = Buffer.from(readRegularFile(join(dir, SIGNATURE)).toString("utf8").trim(), "base64");
    } catch {
      problems.push(`${SIGNATURE} (missing: the report was not signed with --sign-key)`);
    }
    if (signature && !verifySignature(null, text, publicKey, signature)) problems.push(`${SIGNATURE} (does not match ${MANIFEST}: the manifest was changed after signing, or signed with another key)`);
  }
  return { checked: entries.length, problems, signed: publicKey !== undefined };
}
