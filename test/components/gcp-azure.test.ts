import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AzureBillingExport, AzureTeamBudgets, GcpBillingExport, GcpTeamBudgets, notificationKey, registerAutoTagging, teamBudgetSpecs } from "../../components";
import { defaultStorageAccountName } from "../../components/azure/billing-export";
import { budgetStartDate, exportSchedulePeriod } from "../../components/azure/schedule";
import { loadCostModel } from "../../model";
import { root } from "../helpers";
import { named, ofType, runUnderMocks } from "./mocks";

const model = loadCostModel(join(root, "allot.yaml"));
const budgets = teamBudgetSpecs(model);
const gcpArgs = { billingAccount: "01A2B3-C4D5E6-F7A8B9", project: "nw-billing-admin" };
const subscriptionId = "6f1d2c3b-8a7e-4d5c-9b0a-1e2f3a4b5c6d";

// Azure's date rules depend on the day of the deployment: the tests deploy on 15 October 2026.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-10-15T09:30:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("GcpTeamBudgets", () => {
  it("creates a budget per team on one label, current and forecasted rules, a topic the budget service may publish to", async () => {
    const { resources } = await runUnderMocks(() => new GcpTeamBudgets("budgets", { ...gcpArgs, budgets }));
    const payments = named(resources, "budgets-payments").inputs;
    expect(payments).toMatchObject({
      billingAccount: gcpArgs.billingAccount,
      displayName: "allot-payments",
      budgetFilter: { labels: { team: "payments" }, creditTypesTreatment: "INCLUDE_ALL_CREDITS" },
      amount: { specifiedAmount: { currencyCode: "USD", units: "32000" } },
      thresholdRules: [
        { thresholdPercent: 0.5, spendBasis: "CURRENT_SPEND" },
        { thresholdPercent: 0.8, spendBasis: "CURRENT_SPEND" },
        { thresholdPercent: 1, spendBasis: "CURRENT_SPEND" },
        { thresholdPercent: 1, spendBasis: "FORECASTED_SPEND" },
      ],
      allUpdatesRule: { pubsubTopic: "budgets-alerts-id", schemaVersion: "1.0", monitoringNotificationChannels: ["budgets-payments-lead-northwind-example-id", "budgets-finops-northwind-example-id"] },
    });
    expect(ofType(resources, "gcp:pubsub/topicIAMMember:TopicIAMMember")[0]!.inputs).toMatchObject({ role: "roles/pubsub.publisher", member: "serviceAccount:billing-budget-alert@system.gserviceaccount.com" });
    // One channel per distinct e-mail, shared across budgets.
    expect(ofType(resources, "gcp:monitoring/notificationChannel:NotificationChannel")).toHaveLength(model.teams.size + 1);
  });

  it("rejects a budget with two labels, bad label syntax and a bad billing account", () => {
    expect(() => new GcpTeamBudgets("x", { ...gcpArgs, budgets: [{ ...budgets[0]!, tags: { team: "checkout", env: "prod" } }] })).toThrow("allot:index:GcpTeamBudgets: budgets[0].tags: a GCP budget filters on exactly one tag (one key, one value), got 2");
    expect(() => new GcpTeamBudgets("x", { ...gcpArgs, budgets: [{ ...budgets[0]!, tags: { Team: "checkout" } }] })).toThrow("budgets[0].tags: GCP labels are lowercase");
    expect(() => new GcpTeamBudgets("x", { ...gcpArgs, billingAccount: "123", budgets })).toThrow("billingAccount: expected a billing account id");
  });
});

describe("GcpBillingExport", () => {
  it("creates a multi-region dataset the billing export may write, and says the manual step", async () => {
    let step: pulumi.Output<string> | undefined;
    const { resources } = await runUnderMocks(() => {
      step = new GcpBillingExport("billing", gcpArgs).manualStep;
    });
    expect(named(resources, "billing-dataset").inputs).toMatchObject({ project: gcpArgs.project, datasetId: "allot_billing_export", location: "US" });
    expect(named(resources, "billing-export-writer").inputs).toMatchObject({ role: "roles/bigquery.dataEditor", member: "serviceAccount:billing-export-bigquery@system.gserviceaccount.com" });
    expect(named(resources, "billing-bigquery-data-transfer").inputs).toMatchObject({ service: "bigquerydatatransfer.googleapis.com" });
    const text = await (step as unknown as { promise(): Promise<string> }).promise();
    expect(text).toBe(`In the Google Cloud console, open Billing > ${gcpArgs.billingAccount} > Billing export > BigQuery export, and under "Detailed usage cost" choose Edit settings: project ${gcpArgs.project}, dataset allot_billing_export; save. Data arrives within a day.`);
  });

  it("rejects a single-region location", () => {
    expect(() => new GcpBillingExport("x", { ...gcpArgs, location: "us-central1" as "US" })).toThrow("location: expected the multi-region US or EU");
  });
});

describe("AzureTeamBudgets", () => {
  it("keys notifications by their content and filters on the team tag from the first of the month", async () => {
    const { resources } = await runUnderMocks(() => new AzureTeamBudgets("budgets", { budgets, subscriptionId, startDate: "2026-11-01" }));
    const payments = named(resources, "budgets-payments").inputs;
    expect(payments).toMatchObject({
      scope: `/subscriptions/${subscriptionId}`,
      budgetName: "allot-payments",
      amount: 32000,
      category: "Cost",
      timeGrain: "Monthly",
      timePeriod: { startDate: "2026-11-01T00:00:00Z" },
      filter: { tags: { name: "team", operator: "In", values: ["payments"] } },
    });
    expect(Object.keys(payments.notifications as object).sort()).toEqual(["Actual_GreaterThan_100_Percent", "Actual_GreaterThan_50_Percent", "Actual_GreaterThan_80_Percent", "Forecasted_GreaterThan_100_Percent"]);
    expect((payments.notifications as Record<string, unknown>).Forecasted_GreaterThan_100_Percent).toMatchObject({ enabled: true, operator: "GreaterThan", threshold: 100, thresholdType: "Forecasted" });
  });

  it("gives the same keys whatever the order of the alerts", () => {
    expect(notificationKey({ threshold: 80, type: "actual" })).toBe("Actual_GreaterThan_80_Percent");
    expect(notificationKey({ threshold: 12.5, type: "forecast" })).toBe("Forecasted_GreaterThan_12_5_Percent");
  });

  it("starts each budget no earlier than the month it is created in, and keeps that start", async () => {
    const { resources } = await runUnderMocks(() => {
      new AzureTeamBudgets("past", { budgets: budgets.slice(0, 1), subscriptionId, startDate: "2025-01-01" });
      new AzureTeamBudgets("unset", { budgets: budgets.slice(0, 1), subscriptionId });
      new AzureTeamBudgets("ahead", { budgets: budgets.slice(0, 1), subscriptionId, startDate: "2027-10-01" });
    });
    expect(named(resources, "ahead-checkout").inputs.timePeriod).toEqual({ startDate: "2027-10-01T00:00:00Z" });
    for (const budget of ofType(resources, "azure-native:costmanagement:Budget").filter((b) => b.name !== "ahead-checkout")) {
      expect(budget.inputs.timePeriod, budget.name).toEqual({ startDate: "2026-10-01T00:00:00Z" });
      expect(budget.ignoreChanges, budget.name).toEqual(["timePeriod.startDate"]);
    }
    expect(budgetStartDate("2027-03-01", new Date("2026-10-15T00:00:00Z"))).toBe("2027-03-01T00:00:00Z");
    expect(budgetStartDate(undefined, new Date("2026-12-31T23:59:59Z"))).toBe("2026-12-01T00:00:00Z");
  });

  it("rejects a start date that is not the first of a month or more than twelve months ahead, and six actual alerts", () => {
    expect(() => new AzureTeamBudgets("x", { budgets, subscriptionId, startDate: "2026-11-15" })).toThrow("startDate: expected the first day of a month as YYYY-MM-01");
    expect(() => new AzureTeamBudgets("x", { budgets, subscriptionId, startDate: "2027-11-01" })).toThrow("allot:index:AzureTeamBudgets: startDate: Azure takes a budget start at most twelve months ahead (2027-10-01), got 2027-11-01");
    const six = [50, 60, 70, 80, 90, 100].map((threshold) => ({ threshold, type: "actual" as const }));
    expect(() => new AzureTeamBudgets("x", { budgets: [{ ...budgets[0]!, alerts: six }], subscriptionId, startDate: "2026-11-01" })).toThrow("Azure allows at most 5 actual notifications per budget, got 6");
  });
});

describe("AzureBillingExport", () => {
  it("creates a private storage account and daily amortized and actual cost exports", async () => {
    const { resources } = await runUnderMocks(() => new AzureBillingExport("billing", { subscriptionId, resourceGroupName: "rg", location: "eastus", startDate: "2026-11-01" }));
    expect(ofType(resources, "azure-native:storage:StorageAccount")[0]!.inputs).toMatchObject({ allowBlobPublicAccess: false, minimumTlsVersion: "TLS1_2", enableHttpsTrafficOnly: true });
    expect(ofType(resources, "azure-native:costmanagement:Export").map((e) => (e.inputs.definition as { type: string }).type)).toEqual(["ActualCost", "AmortizedCost"]);
    expect(named(resources, "billing-amortized").inputs).toMatchObject({ format: "Csv", schedule: { status: "Active", recurrence: "Daily" }, deliveryInfo: { destination: { container: "allot-exports", rootFolderPath: "amortized" } } });
  });

  it("names the storage account within Azure's limits (3-24 lower-case letters and digits), stable per subscription and component", async () => {
    const { resources } = await runUnderMocks(() => new AzureBillingExport("azure-billing", { subscriptionId, resourceGroupName: "rg", location: "eastus" }));
    const name = ofType(resources, "azure-native:storage:StorageAccount")[0]!.inputs.accountName as string;
    expect(name).toMatch(/^[a-z0-9]{3,24}$/);
    expect(name).toBe(defaultStorageAccountName(subscriptionId, "azure-billing"));
    expect(name).toHaveLength(24);
    expect(defaultStorageAccountName(subscriptionId.toUpperCase(), "azure-billing")).toBe(name);
    expect(defaultStorageAccountName(subscriptionId, "other")).not.toBe(name);
    expect(ofType(resources, "azure-native:storage:BlobContainer")[0]!.inputs.accountName).toBe(name);
    const own = await runUnderMocks(() => new AzureBillingExport("b", { subscriptionId, resourceGroupName: "rg", location: "eastus", storageAccountName: "nwbillingexports" }));
    expect(ofType(own.resources, "azure-native:storage:StorageAccount")[0]!.inputs.accountName).toBe("nwbillingexports");
    expect(() => new AzureBillingExport("x", { subscriptionId, resourceGroupName: "rg", location: "eastus", storageAccountName: "azure-billing-exports1a2b3" })).toThrow(
      "allot:index:AzureBillingExport: storageAccountName: Azure storage account names are 3 to 24 lower-case letters and digits",
    );
  });

  it("schedules the exports from a day in the future with an end, and keeps that schedule", async () => {
    const { resources } = await runUnderMocks(() => new AzureBillingExport("billing", { subscriptionId, resourceGroupName: "rg", location: "eastus", startDate: "2026-10-01" }));
    for (const exp of ofType(resources, "azure-native:costmanagement:Export")) {
      expect((exp.inputs.schedule as { recurrencePeriod: unknown }).recurrencePeriod).toEqual({ from: "2026-10-16T00:00:00Z", to: "2050-02-01T00:00:00Z" });
      expect(exp.ignoreChanges).toEqual(["schedule.recurrencePeriod"]);
    }
    expect(exportSchedulePeriod("2026-12-01", new Date("2026-10-15T09:30:00Z"))).toEqual({ from: "2026-12-01T00:00:00Z", to: "2050-02-01T00:00:00Z" });
    expect(exportSchedulePeriod(undefined, new Date("2026-12-31T23:00:00Z")).from).toBe("2027-01-01T00:00:00Z");
    expect(() => new AzureBillingExport("x", { subscriptionId, resourceGroupName: "rg", location: "eastus", startDate: "2026-13-01" })).toThrow("allot:index:AzureBillingExport: startDate: expected a date as YYYY-MM-DD");
  });
});

describe("auto-tagging", () => {
  it("adds the standard tags to taggable resources, components' children included, without overriding their own", async () => {
    const { resources } = await runUnderMocks(() => {
      registerAutoTagging({ team: "platform", "cost-center": "CC-2100", environment: "prod" });
      new aws.s3.Bucket("own", { tags: { team: "data" } });
      new aws.s3.BucketPolicy("untaggable", { bucket: "b", policy: "{}" });
      new AzureTeamBudgets("budgets", { budgets: budgets.slice(0, 1), subscriptionId, startDate: "2026-11-01" });
      new GcpBillingExport("billing", gcpArgs);
      new aws.autoscaling.Group("asg", { maxSize: 1, minSize: 1, tags: [{ key: "team", value: "data", propagateAtLaunch: true }] });
    });
    expect(named(resources, "own").inputs.tags).toEqual({ team: "data", "cost-center": "CC-2100", environment: "prod" });
    expect(named(resources, "untaggable").inputs.tags).toBeUndefined();
    // GCP labels are lowercase: the standard's CC-2100 is written as cc-2100 instead of failing the deployment.
    expect(named(resources, "billing-dataset").inputs.labels).toEqual({ team: "platform", "cost-center": "cc-2100", environment: "prod" });
    expect((named(resources, "asg").inputs.tags as { key: string }[]).map((t) => t.key)).toEqual(["team", "cost-center", "environment"]);
    // Budgets are not taggable in the catalog, so they are left as they are.
    expect(named(resources, "budgets-checkout").inputs.tags).toBeUndefined();
  });

  it("writes GCP cost tags to user labels only: never a topic's Resource Manager tags, never a channel's configuration", async () => {
    const { resources } = await runUnderMocks(() => {
      registerAutoTagging({ team: "platform", "cost-center": "CC-2100", environment: "prod" });
      new GcpTeamBudgets("budgets", { ...gcpArgs, budgets: budgets.slice(0, 1) });
    });
    const labels = { team: "platform", "cost-center": "cc-2100", environment: "prod" };
    const topic = named(resources, "budgets-alerts").inputs;
    expect(topic.tags).toBeUndefined();
    expect(topic.labels).toEqual(labels);
    for (const channel of ofType(resources, "gcp:monitoring/notificationChannel:NotificationChannel")) {
      expect(Object.keys(channel.inputs.labels as object), channel.name).toEqual(["email_address"]);
      expect(channel.inputs.userLabels, channel.name).toEqual(labels);
    }
    expect(resources.filter((r) => r.type.startsWith("gcp:") && r.inputs.tags !== undefined)).toEqual([]);
  });
});
