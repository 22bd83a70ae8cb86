// Which resource types take tags, and under which property: the catalog generated from the installed
// provider SDKs (`npm run catalog`). The policy pack and auto-tagging both read it from here.
import catalogJson from "./taggable.json";
import type { Catalog, TaggableType } from "./generate";

export type { TagShape, TaggableType } from "./generate";

const catalog = catalogJson as Catalog;

/** The tag property and its shape for a Pulumi type token, or undefined when the type takes no tags. */
export function taggableType(type: string): TaggableType | undefined {
  return Object.prototype.hasOwnProperty.call(catalog.types, type) ? catalog.types[type] : undefined;
}
