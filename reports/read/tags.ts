// Tag sets of the bill, judged: each source reads its own tag text (sources/*.parseTags) and the model's
// one verdict judges the entries for the charge's cloud. Each distinct (cloud, source, tags) is parsed and
// judged once, never once per row.
import { cloudOfProvider, judgeBillTags, type TagStandard, type TagVerdict } from "../../model";
import { SOURCES, type TagEntries, type TagsFormat } from "./sources";
import { readTagSet } from "./sources/source";

const byId = new Map(SOURCES.map((s) => [s.id, s]));

/** A row's tags as key/value pairs, read by the source named in its TagsFormat. */
export function parseTagSet(format: TagsFormat, text: string | null): TagEntries | "unreadable" {
  const source = byId.get(format);
  if (!source) throw new Error(`no billing source "${format}" reads tags`);
  return readTagSet(source, text);
}

/** Judges each distinct tag set once against the model's standard; later lookups are a map hit. */
export class TagSetJudge {
  private readonly cache = new Map<string, TagVerdict | "unreadable">();

  constructor(private readonly standard: TagStandard) {}

  judge(format: TagsFormat, tags: string | null, provider: string | null): TagVerdict | "unreadable" {
    const cloud = cloudOfProvider(provider);
    const key = JSON.stringify([cloud ?? null, format, tags]);
    let verdict = this.cache.get(key);
    if (verdict === undefined) {
      const entries = parseTagSet(format, tags);
      verdict = entries === "unreadable" ? "unreadable" : judgeBillTags(this.standard, cloud, entries);
      this.cache.set(key, verdict);
    }
    return verdict;
  }
}
