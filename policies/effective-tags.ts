// The "effective tag set" of a resource as the engine sends it: its own tags (or labels), `tagsAll`
// where the provider computed it, and the provider's defaultTags / defaultLabels, with preview unknowns,
// secrets and odd shapes turned into explicit states instead of exceptions.
import { cloudOfType, judgeKubernetesLabels, judgeTags, taggableType, tagPath, type Cloud, type NamespaceLabels, type TaggableType, type TagCase, type TagStandard, type TagValue as ModelTagValue, type TagVerdict } from "../model";

/** A tag value with where it came from: the resource itself, or the provider's defaults. */
export type TagValue = ModelTagValue & { fromProvider: boolean };

export interface EffectiveTags {
  cloud: Cloud;
  /** The resource's tag property (`tags`, `labels`, `resourceLabels`) and its shape. */
  taggable: TaggableType;
  tags: Map<string, TagValue>;
  /** The tag property as a whole is unknown during preview: its keys cannot be listed. */
  unknownMap: boolean;
  /** Entries that are not tags at all (a list item without a key, a map where an object was expected). */
  malformed: string[];
}

// Sentinels the engine uses for values unknown during preview (pulumi/pulumi sdk/nodejs/runtime/rpc.ts;
// @pulumi/policy proxy.ts keeps the same list). We read them off the raw value so that asking whether a
// key exists never reads an unknown through the SDK's proxy, which would turn the whole check advisory.
const UNKNOWNS = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", "3eeb2bf0-c639-47a8-9e75-3b44932eb421", "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", "030794c1-ac77-496b-92df-f27374a8bd58", "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export const isUnknown = (value: unknown): boolean => typeof value === "string" && UNKNOWNS.has(value);

/** The object behind @pulumi/policy's unknown-checking proxy (its internal `__getSpecialProxyTarget` hook). */
export function unwrap<T>(value: T): T {
  if (value !== null && typeof value === "object" && (value as Record<string, unknown>).__isSpecialProxy === true) {
    return (value as Record<string, unknown>).__getSpecialProxyTarget as T;
  }
  return value;
}

/** Strips a secret wrapper (the SDK's Secret class or the wire signature), saying whether there was one. */
function revealSecret(value: unknown): { value: unknown; secret: boolean } {
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG] === SECRET_VALUE) return { value: record.value, secret: true };
    if (value.constructor?.name === "Secret" && "value" in record) return { value: record.value, secret: true };
  }
  return { value, secret: false };
}

export const tagPropertyWords: Record<Cloud, { tags: string; defaults: string }> = {
  aws: { tags: "tags", defaults: "the aws provider's defaultTags" },
  gcp: { tags: "labels", defaults: "the gcp provider's defaultLabels" },
  azure: { tags: "tags", defaults: "" },
  // The Kubernetes provider has no default labels.
  kubernetes: { tags: "labels", defaults: "" },
};

function toValue(raw: unknown, fromProvider: boolean, withinSecret: boolean): TagValue | undefined {
  if (isUnknown(raw)) return { state: "unknown", fromProvider };
  const revealed = revealSecret(unwrap(raw));
  const value = unwrap(revealed.value);
  const secret = withinSecret || revealed.secret;
  if (isUnknown(value)) return { state: "unknown", fromProvider };
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return { state: "known", value, secret, fromProvider };
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return { state: "known", value: text, secret, fromProvider, nonString: typeof value === "object" ? (Array.isArray(value) ? "a list" : "an object") : `a ${typeof value}` };
}

/**
 * Adds a map or key/value list of tags; returns false when the whole collection is unknown. A value inside
 * a secret (the whole map, or a list item) is secret too; messages never show a value, only keys and shapes.
 */
function addTags(into: EffectiveTags, raw: unknown, shape: TaggableType["shape"], fromProvider: boolean, withinSecret = false): boolean {
  const revealed = revealSecret(unwrap(raw));
  const outer = { value: revealed.value, secret: withinSecret || revealed.secret };
  const collection = unwrap(outer.value);
  if (collection === null || collection === undefined) return true;
  if (isUnknown(collection)) return false;
  if (shape === "list" || Array.isArray(collection)) {
    if (!Array.isArray(collection)) {
      into.malformed.push(`expected a list of {key, value}, got ${typeof collection}`);
      return true;
    }
    for (const item of collection) {
      const revealed = revealSecret(unwrap(item));
      const entry = unwrap(revealed.value) as Record<string, unknown> | null;
      if (isUnknown(entry)) return false;
      const key = entry && typeof entry === "object" ? unwrap(revealSecret(unwrap(entry.key ?? entry.name)).value) : undefined;
      if (typeof key !== "string") {
        const shape = entry && typeof entry === "object" ? `an item with fields ${Object.keys(entry).join(", ") || "none"}` : `a ${entry === null ? "null" : typeof entry}`;
        into.malformed.push(`a list item without a string key (${shape})`);
        continue;
      }
      const value = toValue(entry!.value, fromProvider, outer.secret || revealed.secret);
      if (value) into.tags.set(key, value);
    }
    return true;
  }
  if (typeof collection !== "object") {
    into.malformed.push(`expected a map of tags, got ${typeof collection}`);
    return true;
  }
  for (const key of Object.keys(collection)) {
    const value = toValue((collection as Record<string, unknown>)[key], fromProvider, outer.secret);
    if (value) into.tags.set(key, value);
  }
  return true;
}

/** A provider property, its secret wrapper stripped (noting it), parsed when the engine passed it through config as JSON. */
function providerProperty(value: unknown, withinSecret: boolean): { value: unknown; secret: boolean } {
  const revealed = revealSecret(unwrap(value));
  const raw = unwrap(revealed.value);
  const secret = withinSecret || revealed.secret;
  if (typeof raw !== "string" || isUnknown(raw)) return { value: raw, secret };
  try {
    // A secret provider config reaches the pack as a secret JSON string; its content is as secret.
    return providerProperty(JSON.parse(raw), secret);
  } catch {
    return { value: undefined, secret };
  }
}

/**
 * The provider's default tags (AWS `defaultTags.tags`, GCP `defaultLabels`), whether sent as objects, JSON
 * strings or secrets at any level (a secret `defaultTags` is still counted, its values kept secret).
 */
function providerDefaults(cloud: Cloud, provider: { type: string; props: Record<string, unknown> } | undefined): { value: unknown; secret: boolean } | undefined {
  if (!provider) return undefined;
  const props = unwrap(provider.props) ?? {};
  if (cloud === "aws" && provider.type === "pulumi:providers:aws") {
    const defaultTags = providerProperty(props.defaultTags, false);
    const object = defaultTags.value;
    return object !== null && typeof object === "object" && !Array.isArray(object) ? providerProperty(Object.hasOwn(object, "tags") ? (object as Record<string, unknown>).tags : undefined, defaultTags.secret) : defaultTags;
  }
  if (cloud === "gcp" && provider.type === "pulumi:providers:gcp") return providerProperty(props.defaultLabels, false);
  return undefined;
}

const UNKNOWN_ON_PATH = Symbol("unknown on the path");

/** The value at a path of properties (a Kubernetes pod template's labels); an unknown on the way makes it unknown. */
function valueAt(root: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    value = unwrap(revealSecret(unwrap(value)).value);
    if (isUnknown(value)) return UNKNOWN_ON_PATH;
    if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return isUnknown(value) ? UNKNOWN_ON_PATH : value;
}

/**
 * The effective tags of a resource, or undefined when its type takes no tags (untaggable types,
 * components, providers, `pulumi:` types). Resource tags override provider defaults key by key.
 */
export function effectiveTags(type: string, props: Record<string, unknown>, provider?: { type: string; props: Record<string, unknown> }): EffectiveTags | undefined {
  const taggable = taggableType(type);
  const cloud = cloudOfType(type);
  if (!taggable || !cloud) return undefined;
  const raw = unwrap(props) ?? {};
  const result: EffectiveTags = { cloud, taggable, tags: new Map(), unknownMap: false, malformed: [] };
  const defaults = providerDefaults(cloud, provider);
  if (defaults !== undefined && !isUnknown(defaults.value)) addTags(result, defaults.value, "map", true, defaults.secret);
  const own = valueAt(raw, tagPath(taggable));
  const ownKnown = own !== UNKNOWN_ON_PATH && addTags(result, own, taggable.shape, false);
  if (cloud === "aws" && raw.tagsAll !== undefined) addTags(result, raw.tagsAll, "map", false);
  result.unknownMap = !ownKnown;
  return result;
}

/** The resource's tags as the verdict takes them, at deploy time. */
export function deployCase(type: string, tags: EffectiveTags): TagCase {
  return { mode: "deploy", cloud: tags.cloud, entries: tags.tags, unknownCollection: tags.unknownMap, resourceType: type };
}

/**
 * The verdict on a resource's effective tags at deploy time. Kubernetes objects go through the model's
 * `judgeKubernetesLabels`, as the bill's pods do; a workload's `namespace` is what the caller knows of its
 * namespace (a resource policy sees one object: `unknown`).
 */
export function deployVerdict(standard: TagStandard, type: string, tags: EffectiveTags, namespace: NamespaceLabels = "unknown"): TagVerdict {
  const object = tags.taggable.kubernetes;
  if (object === undefined) return judgeTags(standard, deployCase(type, tags));
  return judgeKubernetesLabels(standard, { mode: "deploy", object, labels: tags.tags, unknownLabels: tags.unknownMap, resourceType: type, ...(object === "workload" ? { namespace } : {}) });
}

/** A Kubernetes object's `metadata.<field>`: its text, null when unknown during preview, undefined when unset. */
export function kubernetesMetadata(props: Record<string, unknown>, field: "name" | "namespace"): string | null | undefined {
  const value = valueAt(unwrap(props) ?? {}, ["metadata", field]);
  if (value === UNKNOWN_ON_PATH) return null;
  const text = unwrap(revealSecret(unwrap(value)).value);
  return typeof text === "string" ? text : undefined;
}
