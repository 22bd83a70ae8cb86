// Builds the catalog of taggable resource types from the installed provider SDKs, so the policy pack
// never relies on a hand-kept list: every resource class whose Args declare a tag property (`tags`,
// `labels`, GKE's `resourceLabels`) as a string map or a list of key/value objects is taggable.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export type TagShape = "map" | "list";

export interface TaggableType {
  property: string;
  shape: TagShape;
}

export interface Catalog {
  /** The SDK versions the catalog was read from; a test regenerates it when they change. */
  sdks: Record<string, string>;
  types: Record<string, TaggableType>;
}

export const CATALOG_SDKS = ["@pulumi/aws", "@pulumi/gcp", "@pulumi/azure-native"] as const;
const TAG_PROPERTIES = ["tags", "labels", "resourceLabels"];

function* jsFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "types") yield* jsFiles(join(dir, entry.name));
    } else if (entry.name.endsWith(".js")) {
      yield join(dir, entry.name);
    }
  }
}

/** The tag property of a resource's Args interface, from its declaration file. */
export function tagPropertyOf(declarations: string, className: string): TaggableType | undefined {
  const start = declarations.indexOf(`export interface ${className}Args {`);
  if (start < 0) return undefined;
  const end = declarations.indexOf("\n}", start);
  const body = declarations.slice(start, end < 0 ? undefined : end);
  for (const property of TAG_PROPERTIES) {
    const match = new RegExp(`\\n    ${property}\\?: pulumi\\.Input<([^\\n]*)\\n?([^\\n]*)`).exec(body);
    if (!match) continue;
    const [, first = "", second = ""] = match;
    if (first.trim() === "{" && /^\s*\[key: string\]: pulumi\.Input<string>;$/.test(second)) return { property, shape: "map" };
    if (/^pulumi\.Input<inputs\.[\w.]*Tag(Info)?(Args)?>\[\]/.test(first)) return { property, shape: "list" };
  }
  return undefined;
}

export function installedVersion(root: string, sdk: string): string {
  return (JSON.parse(readFileSync(join(root, "node_modules", sdk, "package.json"), "utf8")) as { version: string }).version;
}

export function buildCatalog(root: string): Catalog {
  const types: Record<string, TaggableType> = {};
  const sdks: Record<string, string> = {};
  for (const sdk of CATALOG_SDKS) {
    const dir = join(root, "node_modules", sdk);
    sdks[sdk] = installedVersion(root, sdk);
    for (const file of jsFiles(dir)) {
      const source = readFileSync(file, "utf8");
      const token = /static __pulumiType = '([^']+)'/.exec(source)?.[1];
      const className = /^class (\w+) extends pulumi\.CustomResource/m.exec(source)?.[1];
      if (!token || !className) continue;
      let declarations: string;
      try {
        declarations = readFileSync(join(dirname(file), `${file.slice(dirname(file).length + 1, -3)}.d.ts`), "utf8");
      } catch {
        continue;
      }
      const tag = tagPropertyOf(declarations, className);
      if (tag) types[token] = tag;
    }
  }
  const sorted = Object.fromEntries(Object.keys(types).sort().map((k) => [k, types[k]!]));
  return { sdks, types: sorted };
}

export function serializeCatalog(catalog: Catalog): string {
  const lines = Object.entries(catalog.types).map(([token, t]) => `    ${JSON.stringify(token)}: ${JSON.stringify(t)}`);
  return `{\n  "sdks": ${JSON.stringify(catalog.sdks)},\n  "types": {\n${lines.join(",\n")}\n  }\n}\n`;
}
