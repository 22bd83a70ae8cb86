// The example stacks as the Pulumi engine hands them to the program: the stack file's config, with the
// defaults Pulumi.yaml declares applied and a missing key without a default refused, as the engine does
// (ValidateStackConfigAndApplyProjectConfig, pulumi/pulumi sdk/go/common/workspace/project.go).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { vi } from "vitest";
import { parse } from "yaml";
import { runUnderMocks } from "../components/mocks";
import { root } from "../helpers";

export const EXAMPLE_STACKS = ["example", "example-aws", "example-gcp", "example-azure"] as const;

interface Declared {
  type: string;
  default?: unknown;
}

export const declaredConfig = (): Record<string, Declared> => (parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { config: Record<string, Declared> }).config;

/** The stack's own config file, every value a string (objects as JSON), as `pulumi config` stores it. */
export function stackFileConfig(stack: string): Record<string, string> {
  const file = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** What the program sees: the stack's config plus Pulumi.yaml's defaults; throws the engine's error for a missing key. */
export function engineConfig(stack: string, stackConfig = stackFileConfig(stack)): Record<string, string> {
  const config = { ...stackConfig };
  const missing: string[] = [];
  for (const [key, spec] of Object.entries(declaredConfig())) {
    const full = `allot:${key}`;
    if (config[full] !== undefined) continue;
    if (spec.default === undefined) missing.push(full);
    else config[full] = typeof spec.default === "string" ? spec.default : JSON.stringify(spec.default);
  }
  if (missing.length > 0) throw new Error(`Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.map((k) => `'${k}'`).join(", ")}`);
  return config;
}

/** Runs stacks/budget afresh (a new module instance) under mocks with the engine's view of a stack's config. */
export async function runExampleStack(stack: string, overrides: Record<string, string> = {}) {
  vi.resetModules();
  return runUnderMocks(() => import("../../stacks/budget/index.js"), { ...engineConfig(stack), ...overrides });
}
