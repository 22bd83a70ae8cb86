import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { taggableType } from "../../model";
import { StackConfig } from "../../stacks/budget/config";
import type { Registered } from "../components/mocks";
import { declaredConfig, engineConfig, EXAMPLE_STACKS, runExampleStack, stackFileConfig } from "./example-stacks";

/** The deployment's clock: mid-October 2026, before the example's budgetStartDate of 2026-11-01. */
const NOW = new Date("2026-10-15T09:30:00Z");

/** A stable text form of the resource graph: one line per resource, inputs with sorted keys. */
function graph(resources: Registered[]): string {
  const sortKeys = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sortKeys) : value && typeof value === "object" ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])])) : value;
  return `${resources.map((r) => JSON.stringify({ type: r.type, name: r.name, parent: r.parent ?? null, provider: r.provider ?? null, inputs: sortKeys(r.inputs), ...(r.ignoreChanges ? { ignoreChanges: r.ignoreChanges } : {}) })).join("\n")}\n`;
}


const cloudOf = (type: string) => (type.startsWith("aws:") || type === "pulumi:providers:aws" ? "aws" : type.startsWith("gcp:") ? "gcp" : type.startsWith("azure-native:") ? "azure" : undefined);
const COST_KEYS = ["team", "cost-center", "environment"];

/** What the real APIs take, checked on the inputs the stack sends. Returns each problem found. */
function apiProblems(resources: Registered[], now: Date): string[] {
  const problems: string[] = [];
  const thisMonth = `${now.toISOString().slice(0, 7)}-01T00:00:00Z`;
  const inAYear = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 12, 1)).toISOString().replace(".000", "");
  for (const r of resources) {
    const at = `${r.type} ${r.name}`;
    const inputs = r.inputs as Record<string, any>;
    if (r.type.startsWith("gcp:")) {
      // GCP: cost tags are user labels; `tags` is Resource Manager tags (tagKeys/{id}) and a channel's `labels` its configuration.
      if (inputs.tags !== undefined) problems.push(`${at}: sets tags (Resource Manager tags) ${JSON.stringify(inputs.tags)}`);
      const taggable = taggableType(r.type);
      if (taggable) {
        if (!["labels", "userLabels", "resourceLabels"].includes(taggable.property)) problems.push(`${at}: cost tags in ${taggable.property}`);
        const labels = (inputs[taggable.property] ?? {}) as Record<string, string>;
        for (const key of COST_KEYS) if (labels[key] === undefined) problems.push(`${at}: no ${key} in ${taggable.property}`);
        for (const [k, v] of Object.entries(labels)) if (!/^[a-z][a-z0-9_-]{0,62}$/.test(k) || !/^[a-z0-9_-]{0,63}$/.test(v)) problems.push(`${at}: label ${k}=${v} is not a GCP label`);
      }
      if (r.type === "gcp:monitoring/notificationChannel:NotificationChannel" && Object.keys(inputs.labels ?? {}).join() !== "email_address") problems.push(`${at}: channel labels ${JSON.stringify(inputs.labels)} are not its email configuration`);
    }
    if (r.type === "azure-native:storage:StorageAccount" && !/^[a-z0-9]{3,24}$/.test(inputs.accountName ?? "")) problems.push(`${at}: accountName ${JSON.stringify(inputs.accountName)} is not 3-24 lower-case letters and digits`);
    if (r.type === "azure-native:costmanagement:Export") {
      const period = inputs.schedule?.recurrencePeriod as { from?: string; to?: string } | undefined;
      if (!period?.from || !(Date.parse(period.from) > now.getTime())) problems.push(`${at}: schedule starts ${period?.from}, not in the future`);
      if (!period?.to || !(Date.parse(period.to) > Date.parse(period.from ?? ""))) problems.push(`${at}: schedule has no end after its start`);
      if (!r.ignoreChanges?.includes("schedule.recurrencePeriod")) problems.push(`${at}: schedule start is not kept`);
    }
    if (r.type === "azure-native:costmanagement:Budget") {
      const start = inputs.timePeriod?.startDate as string | undefined;
      if (!start || !/^\d{4}-\d{2}-01T00:00:00Z$/.test(start) || start < thisMonth || start > inAYear) problems.push(`${at}: start ${start} is not a first of the month from ${thisMonth} to ${inAYear}`);
      if (!r.ignoreChanges?.includes("timePeriod.startDate")) problems.push(`${at}: start date is not kept`);
    }
    if (r.type === "aws:bcmdata/export:Export") {
      // The Data Exports table dictionary: every property of the queried table, so the API fills in nothing.
      const complete: Record<string, string[]> = {
        FOCUS_1_2_AWS: ["BILLING_VIEW_ARN", "TIME_GRANULARITY"],
        COST_AND_USAGE_REPORT: ["BILLING_VIEW_ARN", "INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY", "INCLUDE_RESOURCES", "INCLUDE_SPLIT_COST_ALLOCATION_DATA", "TIME_GRANULARITY"],
      };
      for (const query of inputs.export.dataQueries as { queryStatement: string; tableConfigurations: Record<string, Record<string, string>> }[]) {
        const table = /FROM (\w+)$/.exec(query.queryStatement)?.[1] ?? "";
        expect(Object.keys(query.tableConfigurations)).toEqual([table]);
        const sent = Object.keys(query.tableConfigurations[table] ?? {}).sort();
        if (sent.join() !== complete[table]?.join()) problems.push(`${at}: ${table} configured with ${sent.join(", ")}, expected ${complete[table]?.join(", ")}`);
      }
    }
  }
  return problems;
}

beforeAll(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterAll(() => {
  vi.useRealTimers();
});

describe("the example budget stack (Pulumi.example.yaml) under mocks", () => {
  it("matches the golden resource graph (UPDATE_GOLDEN=1 rewrites it)", async () => {
    const { resources } = await runExampleStack("example");
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

  it("sends only what the real APIs take: GCP cost labels, Azure names and dates, complete AWS table configuration", async () => {
    const { resources } = await runExampleStack("example");
    expect(apiProblems(resources, NOW)).toEqual([]);
    // The Azure starts: budgets and exports from the configured 2026-11-01, which is still ahead.
    expect(resources.filter((r) => r.type === "azure-native:costmanagement:Budget").map((r) => (r.inputs.timePeriod as { startDate: string }).startDate)).toEqual(Array(8).fill("2026-11-01T00:00:00Z"));
  });

  it("finds each kind of input the real APIs refuse", () => {
    const r = (type: string, inputs: object, ignoreChanges?: string[]): Registered => ({ type, name: "x", parent: undefined, provider: undefined, inputs: inputs as Record<string, unknown>, ...(ignoreChanges ? { ignoreChanges } : {}) });
    const labels = { team: "platform", "cost-center": "cc-2100", environment: "prod" };
    expect(apiProblems([
      r("gcp:pubsub/topic:Topic", { tags: { team: "platform" }, labels }),
      r("gcp:monitoring/notificationChannel:NotificationChannel", { labels: { email_address: "a@b.example", ...labels } }),
      r("gcp:storage/bucket:Bucket", { labels: { ...labels, "cost-center": "CC-2100" } }),
      r("azure-native:storage:StorageAccount", { accountName: "azure-billing-exports1a2b3c" }),
      r("azure-native:costmanagement:Export", { schedule: { recurrencePeriod: { from: "2026-10-01T00:00:00Z" } } }),
      r("azure-native:costmanagement:Budget", { timePeriod: { startDate: "2026-09-01T00:00:00Z" } }, ["timePeriod.startDate"]),
      r("aws:bcmdata/export:Export", { export: { dataQueries: [{ queryStatement: "SELECT BilledCost FROM FOCUS_1_2_AWS", tableConfigurations: { FOCUS_1_2_AWS: { BILLING_VIEW_ARN: "arn" } } }] } }),
    ], NOW)).toEqual([
      'gcp:pubsub/topic:Topic x: sets tags (Resource Manager tags) {"team":"platform"}',
      "gcp:monitoring/notificationChannel:NotificationChannel x: no team in userLabels",
      "gcp:monitoring/notificationChannel:NotificationChannel x: no cost-center in userLabels",
      "gcp:monitoring/notificationChannel:NotificationChannel x: no environment in userLabels",
      'gcp:monitoring/notificationChannel:NotificationChannel x: channel labels {"email_address":"a@b.example","team":"platform","cost-center":"cc-2100","environment":"prod"} are not its email configuration',
      "gcp:storage/bucket:Bucket x: label cost-center=CC-2100 is not a GCP label",
      'azure-native:storage:StorageAccount x: accountName "azure-billing-exports1a2b3c" is not 3-24 lower-case letters and digits',
      "azure-native:costmanagement:Export x: schedule starts 2026-10-01T00:00:00Z, not in the future",
      "azure-native:costmanagement:Export x: schedule has no end after its start",
      "azure-native:costmanagement:Export x: schedule start is not kept",
      "azure-native:costmanagement:Budget x: start 2026-09-01T00:00:00Z is not a first of the month from 2026-10-01T00:00:00Z to 2027-10-01T00:00:00Z",
      "aws:bcmdata/export:Export x: FOCUS_1_2_AWS configured with BILLING_VIEW_ARN, expected BILLING_VIEW_ARN, TIME_GRANULARITY",
    ]);
  });
});

describe("one-cloud example stacks, each with only its own keys set", () => {
  for (const [stack, cloud] of [["example-aws", "aws"], ["example-gcp", "gcp"], ["example-azure", "azure"]] as const) {
    it(`${stack} sets only ${cloud} keys and deploys only to ${cloud}, within the APIs' limits`, async () => {
      const own = Object.keys(stackFileConfig(stack)).filter((k) => k.startsWith("allot:") && /^allot:(aws|gcp|azure)[A-Z]/.test(k));
      expect(own.every((k) => k.startsWith(`allot:${cloud}`)), own.join(", ")).toBe(true);
      const { resources } = await runExampleStack(stack);
      const clouds = new Set(resources.map((r) => cloudOf(r.type)).filter((c) => c !== undefined));
      expect([...clouds]).toEqual([cloud]);
      expect(resources.filter((r) => r.type.startsWith("allot:index:")).length).toBeGreaterThanOrEqual(2);
      expect(apiProblems(resources, NOW)).toEqual([]);
    });
  }

  it("example-aws puts the export bucket in awsExportBucketRegion, not the provider's default region", async () => {
    const { resources } = await runExampleStack("example-aws");
    const s3 = resources.filter((r) => r.type.startsWith("aws:s3/"));
    expect(s3.length).toBe(5);
    for (const r of s3) expect(r.inputs.region, r.type).toBe("eu-west-1");
  });

  it("example-azure starts its budgets this month and its exports tomorrow, and names its storage account within Azure's limits", async () => {
    const { resources } = await runExampleStack("example-azure");
    const starts = new Set(resources.filter((r) => r.type === "azure-native:costmanagement:Budget").map((r) => (r.inputs.timePeriod as { startDate: string }).startDate));
    expect([...starts]).toEqual(["2026-10-01T00:00:00Z"]);
    const schedules = resources.filter((r) => r.type === "azure-native:costmanagement:Export").map((r) => (r.inputs.schedule as { recurrencePeriod: unknown }).recurrencePeriod);
    expect(schedules).toEqual([{ from: "2026-10-16T00:00:00Z", to: "2050-02-01T00:00:00Z" }, { from: "2026-10-16T00:00:00Z", to: "2050-02-01T00:00:00Z" }]);
    expect(resources.find((r) => r.type === "azure-native:storage:StorageAccount")!.inputs.accountName).toMatch(/^allot[0-9a-f]{19}$/);
  });

  it("AWS: awsActivateCostAllocationTags false skips the activation; awsAnomalyMonitorArn subscribes to the existing monitor", async () => {
    const monitorArn = "arn:aws:ce::111111111111:anomalymonitor/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    const { resources } = await runExampleStack("example-aws", { "allot:awsActivateCostAllocationTags": "false", "allot:awsAnomalyMonitorArn": monitorArn });
    expect(resources.filter((r) => r.type === "aws:costexplorer/costAllocationTag:CostAllocationTag")).toEqual([]);
    expect(resources.filter((r) => r.type === "aws:costexplorer/anomalyMonitor:AnomalyMonitor")).toEqual([]);
    expect(resources.find((r) => r.type === "aws:costexplorer/anomalySubscription:AnomalySubscription")!.inputs.monitorArnLists).toEqual([monitorArn]);
    const { resources: defaults } = await runExampleStack("example-aws");
    expect(defaults.filter((r) => r.type === "aws:costexplorer/costAllocationTag:CostAllocationTag")).toHaveLength(3);
    expect(defaults.filter((r) => r.type === "aws:costexplorer/anomalyMonitor:AnomalyMonitor")).toHaveLength(1);
  });

  it("GCP example stacks set the provider's quota project for user credentials", () => {
    for (const stack of EXAMPLE_STACKS) {
      const config = stackFileConfig(stack);
      if (!JSON.parse(config["allot:clouds"]!).includes("gcp")) continue;
      expect(config["gcp:billingProject"], stack).toBe(config["allot:gcpProject"]);
      expect(config["gcp:userProjectOverride"], stack).toBe("true");
    }
  });
});

describe("stack config", () => {
  const declared = declaredConfig();

  it("Pulumi.yaml declares every key the stack reads, with the same defaults; only clouds is required of every stack", () => {
    expect(Object.keys(declared).sort()).toEqual(Object.keys(StackConfig.shape).sort());
    const given = { clouds: ["aws"], awsAccountId: "111111111111" };
    const defaults = StackConfig.parse(given);
    for (const [key, spec] of Object.entries(declared).filter(([key]) => !(key in given))) {
      // "" is how Pulumi.yaml declares a key as optional: the program reads it as not set.
      if (spec.default !== undefined) expect(defaults[key as keyof typeof defaults], key).toEqual(spec.default === "" ? undefined : spec.default);
    }
    expect(Object.entries(declared).filter(([, spec]) => spec.default === undefined).map(([key]) => key)).toEqual(["clouds"]);
  });

  it("the engine accepts each example stack and refuses one without clouds", () => {
    for (const stack of EXAMPLE_STACKS) expect(() => engineConfig(stack), stack).not.toThrow();
    expect(engineConfig("example-gcp")["allot:awsAccountId"]).toBe("");
    expect(() => engineConfig("bare", { "aws:region": "us-east-1" })).toThrow("Stack 'bare' is missing configuration value 'allot:clouds'");
  });

  it("names the missing key for a cloud and a malformed value", () => {
    const errors = (input: object) => {
      const parsed = StackConfig.safeParse(input);
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(errors({ clouds: ["gcp"] })).toEqual(["gcpBillingAccount: required when clouds includes gcp", "gcpProject: required when clouds includes gcp"]);
    expect(errors({ clouds: ["gcp"], gcpBillingAccount: "", gcpProject: "" })).toEqual(["gcpBillingAccount: required when clouds includes gcp", "gcpProject: required when clouds includes gcp"]);
    expect(errors({ clouds: ["azure"], azureSubscriptionId: "x", budgetStartDate: "2026-11-15" })).toEqual(["budgetStartDate: expected the first day of a month, YYYY-MM-01"]);
    expect(errors({ clouds: ["azure"], azureSubscriptionId: "x", budgetStartDate: "" })).toEqual([]);
    expect(errors({ clouds: ["aws"], awsAccountId: "111111111111", awsAnomalyMonitorArn: "monitor-1" })).toEqual(["awsAnomalyMonitorArn: expected an anomaly monitor ARN, arn:aws:ce::<account>:anomalymonitor/<id>"]);
    expect(errors({ clouds: ["aws"], awsAccountId: "111111111111" })).toEqual([]);
  });
});
