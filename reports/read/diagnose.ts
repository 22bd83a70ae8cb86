// Why a text export could not be read or recognised, when DuckDB only says it cannot sniff it: a gzip
// file cut short, a row with more or fewer fields than the header, a carriage return inside a quoted
// value. Runs only after a read failed, so the full scan costs nothing on good input.
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/** The problem as `:LINE: what; fix` (or `: what; fix`), to follow the file name, or null when the file reads as well-formed CSV. */
export async function diagnoseCsv(file: string): Promise<string | null> {
  const raw = createReadStream(file);
  const gzip = /\.gz$/i.test(file);
  const stream: Readable = gzip ? raw.pipe(createGunzip()) : raw;
  const delimiter = /\.tsv(\.gz)?$/i.test(file) ? "\t" : ",";
  let line = 1;
  let recordLine = 1;
  let fields = 1;
  let header: number | undefined;
  let quoted = false;
  let pendingCr = false;
  let empty = true;
  /** Whether the file has anything but a byte order mark and blank space: an empty export is said as such. */
  let content = false;
  let first = true;
  const ragged = () => `:${recordLine}: the row has ${fields} fields where the header has ${header}; fix the row (a missing or extra comma, or an unquoted comma in a value) or export the file again`;
  try {
    for await (const chunk of stream) {
      const text = (chunk as Buffer).toString("latin1");
      // A UTF-8 byte order mark, read as Latin-1, is these three characters.
      const start = first && text.startsWith("\u00ef\u00bb\u00bf") ? 3 : 0;
      first = false;
      if (!content && /[^\s]/.test(text.slice(start))) content = true;
      for (let i = 0; i < text.length; i++) {
        const c = text[i]!;
        if (pendingCr) {
          pendingCr = false;
          if (c !== "\n") return `:${line}: a quoted value holds a carriage return (CR) without a line feed; allot cannot tell rows apart there, so export the file again or remove the CR`;
        }
        if (quoted) {
          if (c === '"') quoted = false;
          else if (c === "\r") pendingCr = true;
          else if (c === "\n") line++;
          continue;
        }
        if (c === "\n") {
          header ??= fields;
          if (!empty && fields !== header) return ragged();
          line++;
          recordLine = line;
          fields = 1;
          empty = true;
          continue;
        }
        if (c !== "\r") empty = false;
        if (c === '"') quoted = true;
        else if (c === delimiter) fields++;
      }
    }
  } catch (error) {
    if (gzip) return `: the gzip file is truncated or corrupt (${(error as Error).message}); download or export it again`;
    throw error;
  }
  if (!content) return ": the file is empty (no header and no rows); export it again";
  if (quoted) return `:${recordLine}: a quoted value is never closed; fix the quote or export the file again`;
  if (!empty && header !== undefined && fields !== header) return ragged();
  return null;
}
