// Builds the catalog of taggable resource types from the installed provider SDKs, so the policy pack
// never relies on a hand-kept list: every resource class whose Args declare its cloud's cost tag
// property (AWS and Azure `tags`; GCP `userLabels`, `labels` or GKE's `resourceLabels`) as a string map
// or a list of key/value objects is taggable.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export type TagShape = "map" | "list";

export interface TaggableType {
  /** The property that holds the tags; for a nested map, its dotted path (spec.template.metadata.labels). */
  property: string;
  shape: TagShape;
  /** The path to a nested map, property by property; absent when the tags are a top-level property. */
  path?: readonly string[];
  /** Kubernetes objects: a namespace's own labels, or a workload's pod template labels. */
  kubernetes?: "namespace" | "workload";
}

export interface Catalog {
  /** The SDK versions the catalog was read from; a test regenerates it when they change. */
  sdks: Record<string, string>;
  types: Record<string, TaggableType>;
}

export const CATALOG_SDKS = ["@pulumi/aws", "@pulumi/gcp", "@pulumi/azure-native"] as const;
/**
 * The properties that hold cost tags, per SDK, in order of preference. On GCP a string map named `tags`
 * is Resource Manager tags (keys `tagKeys/{id}` or `{org}/{short name}`, values `tagValues/...`), not
 * labels, so cost tags never go there; and where a type has `userLabels` (monitoring NotificationChannel,
 * AlertPolicy, Slo...) its `labels` is the channel's configuration (`email_address`), not user labels.
 * See the gcp provider's docs for pubsub.Topic `tags` and monitoring.NotificationChannel `labels`.
 */
export const TAG_PROPERTIES: Record<(typeof CATALOG_SDKS)[number], readonly string[]> = {
  "@pulumi/aws": ["tags"],
  "@pulumi/gcp": ["userLabels", "labels", "resourceLabels"],
  "@pulumi/azure-native": ["tags"],
};

function* jsFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "types") yield* jsFiles(join(dir, entry.name));
    } else if (entry.name.endsWith(".js")) {
      yield join(dir, entry.name);
    }
  }
}

/** The tag property of a resource's Args interface, from its declaration file: the first of `properties` it declares as tags. */
export function tagPropertyOf(declarations: string, className: string, properties: readonly string[]): TaggableType | undefined {
  const start = declarations.indexOf(`export interface ${className}Args {`);
  if (start < 0) return undefined;
  const end = declarations.indexOf("\n}", start);
  const body = declarations.slice(start, end < 0 ? undefined : end);
  for (const property of properties) {
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
      const tag = tagPropertyOf(declarations, className, TAG_PROPERTIES[sdk]);
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
