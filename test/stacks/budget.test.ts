import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { StackConfig } from "../../stacks/budget/config";
import { runUnderMocks, type Registered } from "../components/mocks";
import { root } from "../helpers";

/** Pulumi.example.yaml's config as the engine hands it to a program: every value a string, objects as JSON. */
function exampleConfig(): Record<string, string> {
  const file = parse(readFileSync(join(root, "Pulumi.example.yaml"), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** A stable text form of the resource graph: one line per resource, inputs with sorted keys. */
function graph(resources: Registered[]): string {
  const sortKeys = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sortKeys) : value && typeof value === "object" ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])])) : value;
  return `${resources.map((r) => JSON.stringify({ type: r.type, name: r.name, parent: r.parent ?? null, provider: r.provider ?? null, inputs: sortKeys(r.inputs) })).join("\n")}\n`;
}

describe("the example budget stack (Pulumi.example.yaml) under mocks", () => {
  it("matches the golden resource graph (UPDATE_GOLDEN=1 rewrites it)", async () => {
    const { resources } = await runUnderMocks(() => import("../../stacks/budget/index.js"), exampleConfig());
    const text = graph(resources);
    const golden = join(__dirname, "golden", "example-stack.jsonl");
    if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, "utf8"));

    const count = (type: string) => resources.filter((r) => r.type === type).length;
    expect(count("aws:budgets/budget:Budget")).toBe(8);
    expect(count("gcp:billing/budget:Budget")).toBe(8);
    expect(count("azure-native:costmanagement:Budget")).toBe(8);
    expect(count("aws:bcmdata/export:Export")).toBe(1);
    expect(count("azure-native:costmanagement:Export")).toBe(2);
    // The stack's own taggable resources carry the owner team's standard tags.
    const bucket = resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
    expect(bucket.inputs.tags).toEqual({ team: "platform", "cost-center": "CC-2100", environment: "prod" });
    // Only the components and the resource group sit at the top level; everything else is a component's child.
    const topLevel = resources.filter((r) => r.parent === undefined).map((r) => r.type).sort();
    expect(topLevel).toEqual([
      "allot:index:AwsAnomalyAlerts", "allot:index:AwsBillingExport", "allot:index:AwsCostAllocationTags", "allot:index:AwsTeamBudgets",
      "allot:index:AzureBillingExport", "allot:index:AzureTeamBudgets", "allot:index:GcpBillingExport", "allot:index:GcpTeamBudgets",
      "azure-native:resources:ResourceGroup",
    ]);
  });
});

describe("stack config", () => {
  const declared = (parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { config: Record<string, { type: string; default?: unknown }> }).config;

  it("Pulumi.yaml declares every key the stack reads, with the same defaults", () => {
    expect(Object.keys(declared).sort()).toEqual(Object.keys(StackConfig.shape).sort());
    const defaults = StackConfig.parse({ clouds: ["aws"], awsAccountId: "111111111111" });
    for (const [key, spec] of Object.entries(declared)) {
      if (spec.default !== undefined) expect(defaults[key as keyof typeof defaults], key).toEqual(spec.default);
    }
  });

  it("names the missing key for a cloud and a malformed value", () => {
    const errors = (input: object) => {
      const parsed = StackConfig.safeParse(input);
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(errors({ clouds: ["gcp"] })).toEqual(["gcpBillingAccount: required when clouds includes gcp", "gcpProject: required when clouds includes gcp"]);
    expect(errors({ clouds: ["azure"], azureSubscriptionId: "x", budgetStartDate: "2026-11-15" })).toEqual(["budgetStartDate: expected the first day of a month, YYYY-MM-01"]);
    expect(errors({ clouds: ["aws"], awsAccountId: "111111111111" })).toEqual([]);
  });
});
