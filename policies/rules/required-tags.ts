// Rule: every required key is present with a non-empty value. Keys are exact at deploy time (aliases
// are for reading old bills), so a near miss such as `Team` is named with the key it should be.
import { distance } from "fastest-levenshtein";
import type { EffectiveTags } from "../effective-tags";

export interface RequiredTagsResult {
  missing: string[];
  empty: string[];
  /** Keys on the resource that look like a missing key: different case, separators, an alias or a typo. */
  nearMisses: { found: string; key: string }[];
  /** The tag map is unknown during preview and the provider does not cover every key. */
  undecidable: boolean;
}

const fold = (key: string) => key.toLowerCase().replace(/[\s_.:-]/g, "");

export function checkRequiredTags(tags: EffectiveTags, required: readonly { key: string; aliases?: readonly string[] }[]): RequiredTagsResult {
  const missing: string[] = [];
  const empty: string[] = [];
  for (const { key } of required) {
    const value = tags.tags.get(key);
    if (value === undefined) missing.push(key);
    else if (value.state === "known" && value.value.trim() === "") empty.push(key);
  }
  const nearMisses: RequiredTagsResult["nearMisses"] = [];
  const present = [...tags.tags.keys()];
  for (const key of missing) {
    const spec = required.find((r) => r.key === key);
    const found = present.find((p) => spec?.aliases?.includes(p.trim()) || fold(p) === fold(key) || (key.length > 3 && distance(p.toLowerCase(), key) <= 2));
    if (found !== undefined) nearMisses.push({ found, key });
  }
  return { missing: tags.unknownMap ? [] : missing, empty, nearMisses, undecidable: tags.unknownMap && missing.length > 0 };
}
