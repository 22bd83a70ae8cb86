// One tag normaliser for every source: turns each source's way of writing tags into key/value pairs,
// which the model's tag standard then trims and resolves (aliases, case variants). Called once per
// distinct tag set, never once per row.
import { evaluateTags, type TagEvaluation, type TagStandard } from "../../model";
import type { TagsFormat } from "./sources";

export type TagEntries = [string, unknown][];

/** The text some exports write for "no value". */
const NULL_TEXT = new Set(["NULL", "null"]);

function entriesOfObject(value: unknown): TagEntries | "unreadable" {
  if (value === null || value === undefined) return [];
  if (typeof value !== "object" || Array.isArray(value)) return "unreadable";
  return Object.entries(value as Record<string, unknown>);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return "unreadable";
  }
}

/** GCP labels: lists of {key, value}; project labels first, so a resource's own label overrides them. */
function gcpEntries(value: unknown): TagEntries | "unreadable" {
  if (value === null || typeof value !== "object") return "unreadable";
  const { project, resource } = value as { project?: unknown; resource?: unknown };
  const merged = new Map<string, unknown>();
  for (const list of [project, resource]) {
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list)) return "unreadable";
    for (const item of list) {
      if (item && typeof item === "object" && typeof (item as { key?: unknown }).key === "string") merged.set((item as { key: string }).key, (item as { value?: unknown }).value);
    }
  }
  return [...merged];
}

/** Parses a tag set as its source wrote it; "unreadable" when it is not what the format promises. */
export function parseTagSet(format: TagsFormat, text: string | null): TagEntries | "unreadable" {
  if (text === null || text.trim() === "" || NULL_TEXT.has(text.trim())) return [];
  let entries: TagEntries | "unreadable";
  switch (format) {
    case "json":
      entries = entriesOfObject(parseJson(text));
      break;
    case "azure": {
      // Azure cost details write "k": "v","k2": "v2" without the braces.
      const trimmed = text.trim();
      entries = entriesOfObject(parseJson(trimmed.startsWith("{") ? trimmed : `{${trimmed}}`));
      break;
    }
    case "gcp":
      entries = gcpEntries(parseJson(text));
      break;
    case "cur": {
      // CUR writes user-defined tags as user:<key> (legacy) or user_<key> (CUR 2.0).
      const parsed = entriesOfObject(parseJson(text));
      entries = parsed === "unreadable" ? parsed : parsed.map(([k, v]) => [k.replace(/^user[:_]/, ""), v]);
      break;
    }
  }
  if (entries === "unreadable") return entries;
  return entries.filter(([, value]) => !(typeof value === "string" && NULL_TEXT.has(value.trim())));
}

/** Judges each distinct tag set once against the model's standard; later lookups are a map hit. */
export class TagSetJudge {
  private readonly cache = new Map<string, TagEvaluation | "unreadable">();

  constructor(private readonly standard: TagStandard) {}

  judge(format: TagsFormat, tags: string | null): TagEvaluation | "unreadable" {
    const key = `${format}\u0000${tags ?? ""}`;
    let evaluation = this.cache.get(key);
    if (evaluation === undefined) {
      const entries = parseTagSet(format, tags);
      evaluation = entries === "unreadable" ? "unreadable" : evaluateTags(this.standard, entries);
      this.cache.set(key, evaluation);
    }
    return evaluation;
  }
}
