// Policy config (`pulumi preview --policy-pack-config`): which allot.yaml to read and per-key overrides
// of its tag standard. Every policy takes the same standard keys and resolves them through
// `resolveStandard`, so a config gives one standard whichever policy reads it. Validated with zod; the
// JSON Schemas the engine checks come from the same schema.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { compileTagPattern, compileTagStandard, loadCostModel, type CostModel, type TagStandard, type TagStandardInput } from "../model";

export const PolicyConfig = z.strictObject({
  configFile: z.string().min(1).optional().describe("Path of the allot.yaml to read, best absolute (a relative path resolves from the pack's folder, where the engine runs it); default: $ALLOT_CONFIG, else the nearest allot.yaml above the pack's folder."),
  requiredTags: z.array(z.string().min(1)).optional().describe("Required tag keys, replacing tags.required of allot.yaml (their rules are kept for keys it names)."),
  allowedValues: z.record(z.string(), z.array(z.string())).optional().describe("Allowed values per tag key, replacing the standard's."),
  patterns: z.record(z.string(), z.string()).optional().describe("A regular expression per tag key that the whole value must match."),
  defaults: z.record(z.string(), z.string()).optional().describe("Values added for missing keys when the enforcement level is remediate."),
  threshold: z.number().min(0).max(100).optional().describe("Percent of a stack's taggable resources that must comply."),
});
export type PolicyConfig = z.infer<typeof PolicyConfig>;

/** The keys that shape the tag standard: every policy takes them, so every policy judges by the same standard. */
export const STANDARD_KEYS = ["configFile", "requiredTags", "allowedValues", "patterns", "defaults"] as const satisfies readonly (keyof PolicyConfig)[];

/** The engine's configSchema for a policy: the standard's keys and the named extra properties, as JSON Schema. */
export function configSchema(...extra: (keyof PolicyConfig)[]) {
  const keys = [...STANDARD_KEYS, ...extra];
  const json = z.toJSONSchema(PolicyConfig.pick(Object.fromEntries(keys.map((k) => [k, true])) as Record<keyof PolicyConfig, true>), { target: "draft-7" }) as {
    properties: Record<string, object>;
  };
  return { properties: json.properties } as { properties: Record<string, never> };
}

export interface ResolvedStandard {
  model: CostModel;
  standard: TagStandard;
  /** Values remediation adds for missing keys, by tag key. */
  defaults: ReadonlyMap<string, string>;
  threshold: number;
}

/** The environment variable naming the allot.yaml when the policy config has no configFile. */
export const CONFIG_ENV = "ALLOT_CONFIG";

/** The allot.yaml a config names: configFile, else $ALLOT_CONFIG, else the nearest above the working directory. */
export function modelFileFor(configFile: string | undefined): string {
  const named = configFile ?? process.env[CONFIG_ENV];
  if (named !== undefined && named.trim() !== "") return resolve(named);
  for (const start of [process.cwd(), __dirname]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      if (existsSync(join(dir, "allot.yaml"))) return join(dir, "allot.yaml");
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`allot-cost-tags: no allot.yaml found; set the policy config configFile to your cost model's absolute path, or ${CONFIG_ENV}`);
}

const cache = new Map<string, ResolvedStandard>();

/**
 * The config maps keyed by tag key. A `__proto__` key in them is refused: zod's records drop it and
 * protobuf's Struct makes it the object's prototype, so it could never stand for the tag.
 */
const TAG_MAPS = ["allowedValues", "patterns", "defaults"] as const;

/** The tag standard for a policy's config: allot.yaml with the config's overrides applied. Cached per config. */
export function resolveStandard(rawConfig: unknown): ResolvedStandard {
  const key = JSON.stringify([rawConfig ?? {}, process.env[CONFIG_ENV] ?? null]);
  const hit = cache.get(key);
  if (hit) return hit;
  const protoKey = TAG_MAPS.find((field) => Object.hasOwn(rawConfig ?? {}, field) && Object.hasOwn(Object((rawConfig as Record<string, unknown>)[field]), "__proto__"));
  if (protoKey !== undefined) throw new Error(`allot-cost-tags config: ${protoKey}.__proto__: "__proto__" cannot be a tag key here; rename the tag`);
  const parsed = PolicyConfig.safeParse(rawConfig ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`allot-cost-tags config: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  const config = parsed.data;
  // Per-key overrides as Maps of their own entries: a required key named constructor or toString must not
  // find Object.prototype's member in a plain-object lookup.
  const allowedValues = new Map(Object.entries(config.allowedValues ?? {}));
  const patterns = new Map(Object.entries(config.patterns ?? {}));
  const model = loadCostModel(modelFileFor(config.configFile));
  const base = model.input.tags;
  const byKey = new Map(base.required.map((t) => [t.key, t]));
  const keys = config.requiredTags ?? base.required.map((t) => t.key);
  const required = keys.map((key): TagStandardInput["required"][number] => {
    const { values, pattern, ...rest } = byKey.get(key) ?? { key };
    const allowed = allowedValues.get(key);
    const regex = patterns.get(key);
    if (regex !== undefined) {
      const compiled = compileTagPattern(regex);
      if ("error" in compiled) throw new Error(`allot-cost-tags config: patterns.${key}: ${JSON.stringify(regex)} is not a pattern allot can run: ${compiled.error}`);
      return { ...rest, pattern: regex };
    }
    if (allowed !== undefined) return { ...rest, values: allowed };
    return { ...rest, ...(values !== undefined ? { values } : {}), ...(pattern !== undefined ? { pattern } : {}) };
  });
  const standard = compileTagStandard({ ...base, required }, model.orgValues, model.teamName);
  const defaults = new Map(required.flatMap((t) => (t.default !== undefined ? [[t.key, t.default] as const] : [])));
  for (const [key, value] of Object.entries(config.defaults ?? {})) defaults.set(key, value);
  const resolved: ResolvedStandard = { model, standard, defaults, threshold: config.threshold ?? model.stackThreshold };
  cache.set(key, resolved);
  return resolved;
}
