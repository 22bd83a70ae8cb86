// Inputs that hold the same export twice are read once. Text exports are compared as text: a CSV re-saved
// with CRLF line endings, or gzipped, has other bytes but the same rows, and must not be counted twice.
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

const HEAD_BYTES = 64 * 1024;

const isText = (file: string) => /\.(csv|tsv|txt|json|jsonl|ndjson)(\.gz)?$/i.test(file);

/** The file's content: gunzipped, CRLF read as LF for text; the bytes as they are for Parquet. */
async function* contentOf(file: string): AsyncGenerator<Buffer> {
  const raw = createReadStream(file);
  const stream: Readable = /\.gz$/i.test(file) ? raw.pipe(createGunzip()) : raw;
  if (!isText(file)) {
    for await (const chunk of stream) yield chunk as Buffer;
    return;
  }
  let carry = "";
  for await (const chunk of stream) {
    // latin1 maps each byte to one char and back, so only the CR of a CRLF pair is dropped.
    const text = carry + (chunk as Buffer).toString("latin1");
    carry = text.endsWith("\r") ? "\r" : "";
    yield Buffer.from((carry ? text.slice(0, -1) : text).replace(/\r\n/g, "\n"), "latin1");
  }
  if (carry) yield Buffer.from(carry, "latin1");
}

/** SHA-256 of the content, or of its first `limit` bytes; null when it cannot be read (the reader says why later). */
async function digest(file: string, limit = Infinity): Promise<string | null> {
  const hash = createHash("sha256");
  let seen = 0;
  try {
    for await (const chunk of contentOf(file)) {
      const part = seen + chunk.length > limit ? chunk.subarray(0, limit - seen) : chunk;
      hash.update(part);
      seen += part.length;
      if (seen >= limit) break;
    }
  } catch {
    return null;
  }
  return hash.digest("hex");
}

/**
 * Drops inputs whose content another input already has. Only candidates are hashed in full: Parquet files
 * of equal size, text files whose first 64 KiB read the same.
 */
export async function withoutDuplicates(files: readonly string[]): Promise<{ kept: string[]; duplicates: [string, string][] }> {
  const candidates = new Map<string, string[]>();
  for (const file of files) {
    const key = isText(file) ? `text:${await digest(file, HEAD_BYTES)}` : `bytes:${statSync(file).size}`;
    if (key === "text:null") continue;
    candidates.set(key, [...(candidates.get(key) ?? []), file]);
  }
  const drop = new Map<string, string>();
  for (const group of candidates.values()) {
    if (group.length < 2) continue;
    const seen = new Map<string, string>();
    for (const file of group) {
      const full = await digest(file);
      if (full === null) continue;
      const first = seen.get(full);
      if (first) drop.set(file, first);
      else seen.set(full, file);
    }
  }
  return { kept: files.filter((f) => !drop.has(f)), duplicates: [...drop] };
}
