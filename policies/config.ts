// Policy config (`pulumi preview --policy-pack-config`): which allot.yaml to read and per-key overrides
// of its tag standard. Validated with zod; the JSON Schemas the engine checks come from the same schema.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { compileTagStandard, loadCostModel, type CostModel, type TagStandard, type TagStandardInput } from "../model";

export const PolicyConfig = z.strictObject({
  configFile: z.string().min(1).optional().describe("Path of the allot.yaml to read; default: the nearest allot.yaml above the working directory."),
  requiredTags: z.array(z.string().min(1)).optional().describe("Required tag keys, replacing tags.required of allot.yaml (their rules are kept for keys it names)."),
  allowedValues: z.record(z.string(), z.array(z.string())).optional().describe("Allowed values per tag key, replacing the standard's."),
  patterns: z.record(z.string(), z.string()).optional().describe("A regular expression per tag key that the whole value must match."),
  defaults: z.record(z.string(), z.string()).optional().describe("Values added for missing keys when the enforcement level is remediate."),
  threshold: z.number().min(0).max(100).optional().describe("Percent of a stack's taggable resources that must comply."),
});
export type PolicyConfig = z.infer<typeof PolicyConfig>;

/** The engine's configSchema for a policy: the named properties of PolicyConfig, as JSON Schema. */
export function configSchema(...keys: (keyof PolicyConfig)[]) {
  const json = z.toJSONSchema(PolicyConfig.pick(Object.fromEntries(keys.map((k) => [k, true])) as Record<keyof PolicyConfig, true>), { target: "draft-7" }) as {
    properties: Record<string, object>;
  };
  return { properties: json.properties } as { properties: Record<string, never> };
}

export interface ResolvedStandard {
  model: CostModel;
  standard: TagStandard;
  defaults: Record<string, string>;
  threshold: number;
}

function findModelFile(): string {
  for (const start of [process.cwd(), __dirname]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      if (existsSync(join(dir, "allot.yaml"))) return join(dir, "allot.yaml");
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error("allot-cost-tags: no allot.yaml found above the working directory; set the policy config configFile to your cost model's path");
}

const cache = new Map<string, ResolvedStandard>();

/** The tag standard for a policy's config: allot.yaml with the config's overrides applied. Cached per config. */
export function resolveStandard(rawConfig: unknown): ResolvedStandard {
  const key = JSON.stringify(rawConfig ?? {});
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = PolicyConfig.safeParse(rawConfig ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`allot-cost-tags config: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  const config = parsed.data;
  const model = loadCostModel(config.configFile ?? findModelFile());
  const base = model.input.tags;
  const byKey = new Map(base.required.map((t) => [t.key, t]));
  const keys = config.requiredTags ?? base.required.map((t) => t.key);
  const required = keys.map((key): TagStandardInput["required"][number] => {
    const { values, pattern, ...rest } = byKey.get(key) ?? { key };
    const allowed = config.allowedValues?.[key];
    const regex = config.patterns?.[key];
    if (regex !== undefined) {
      try {
        new RegExp(regex, "u");
      } catch (error) {
        throw new Error(`allot-cost-tags config: patterns.${key}: not a regular expression (${(error as Error).message})`);
      }
      return { ...rest, pattern: regex };
    }
    if (allowed !== undefined) return { ...rest, values: allowed };
    return { ...rest, ...(values !== undefined ? { values } : {}), ...(pattern !== undefined ? { pattern } : {}) };
  });
  const standard = compileTagStandard({ ...base, required }, model.orgValues);
  const defaults = Object.fromEntries(required.flatMap((t) => (t.default !== undefined ? [[t.key, t.default]] : [])));
  const resolved: ResolvedStandard = { model, standard, defaults: { ...defaults, ...config.defaults }, threshold: config.threshold ?? model.stackThreshold };
  cache.set(key, resolved);
  return resolved;
}
