import { join } from "node:path";
import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { assertDataExportsRegion, AwsAnomalyAlerts, AwsBillingExport, AwsCostAllocationTags, AwsTeamBudgets, teamBudgetSpecs } from "../../components";
import { loadCostModel } from "../../model";
import { root } from "../helpers";
import { named, ofType, runUnderMocks } from "./mocks";

const model = loadCostModel(join(root, "allot.yaml"));
const budgets = teamBudgetSpecs(model);
const accountId = "111111111111";

describe("AwsTeamBudgets", () => {
  it("creates one budget per team, filtered by its cost allocation tag, with actual and forecasted alerts", async () => {
    const { resources } = await runUnderMocks(() => new AwsTeamBudgets("budgets", { budgets, accountId }));
    const all = ofType(resources, "aws:budgets/budget:Budget");
    expect(all.map((b) => b.name).sort()).toEqual([...model.teams.keys()].map((t) => `budgets-${t}`).sort());
    const payments = named(resources, "budgets-payments").inputs;
    expect(payments).toMatchObject({ name: "allot-payments", budgetType: "COST", limitAmount: "32000", limitUnit: "USD", timeUnit: "MONTHLY", costFilters: [{ name: "TagKeyValue", values: ["user:team$payments"] }] });
    const notifications = payments.notifications as { notificationType: string; threshold: number; subscriberEmailAddresses: string[]; subscriberSnsTopicArns: string[] }[];
    expect(notifications.map((n) => `${n.notificationType}@${n.threshold}`)).toEqual(["ACTUAL@50", "ACTUAL@80", "ACTUAL@100", "FORECASTED@100"]);
    expect(notifications[0]!.subscriberEmailAddresses).toEqual(["payments-lead@northwind.example", "finops@northwind.example"]);
    expect(notifications[0]!.subscriberSnsTopicArns).toEqual(["arn:mock:topic:budgets-alerts"]);
    expect(all.every((b) => b.parent === "allot:index:AwsTeamBudgets::budgets")).toBe(true);
  });

  it("lets only AWS Budgets in this account publish to the topic", async () => {
    const { resources } = await runUnderMocks(() => new AwsTeamBudgets("budgets", { budgets, accountId }));
    const policy = JSON.parse(ofType(resources, "aws:sns/topicPolicy:TopicPolicy")[0]!.inputs.policy as string) as { statements: { principals: unknown; actions: string[]; conditions: unknown[] }[] };
    expect(policy.statements[0]).toMatchObject({
      principals: [{ type: "Service", identifiers: ["budgets.amazonaws.com"] }],
      actions: ["SNS:Publish"],
      conditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:budgets::${accountId}:*`] },
      ],
    });
  });

  it("rejects six notifications, forecasts on DAILY budgets, two tags and a team with no budget", () => {
    const six = [...budgets[0]!.alerts, { threshold: 120, type: "actual" as const }, { threshold: 150, type: "actual" as const }];
    expect(() => new AwsTeamBudgets("x", { budgets: [{ ...budgets[0]!, alerts: six }], accountId })).toThrow("allot:index:AwsTeamBudgets: budgets[0].alerts: AWS allows at most 5 notifications per budget, got 6");
    expect(() => new AwsTeamBudgets("x", { budgets, accountId, timeUnit: "DAILY" })).toThrow("budgets[0].alerts: AWS does not forecast DAILY budgets");
    expect(() => new AwsTeamBudgets("x", { budgets: [{ ...budgets[0]!, tags: { team: "checkout", env: "prod" } }], accountId })).toThrow("budgets[0].tags: a AWS budget filters on exactly one tag");
    expect(() => new AwsTeamBudgets("x", { budgets: [{ ...budgets[0]!, amount: "0" }], accountId })).toThrow("budgets[0].amount: expected a positive amount");
    expect(() => new AwsTeamBudgets("x", { budgets, accountId: "1234" })).toThrow("accountId: expected a 12-digit AWS account id");
  });
});

describe("AwsBillingExport", () => {
  it("makes a private, encrypted bucket that only the billing services of this account may write", async () => {
    const { resources } = await runUnderMocks(() => new AwsBillingExport("billing", { accountId, bucketRegion: "eu-west-1" }));
    expect(named(resources, "billing-exports").type).toBe("aws:s3/bucket:Bucket");
    expect(ofType(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0]!.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(ofType(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")).toHaveLength(1);
    const policy = JSON.parse(ofType(resources, "aws:s3/bucketPolicy:BucketPolicy")[0]!.inputs.policy as string) as { statements: { principals: { identifiers: string[] }[]; conditions: { variable: string; values: string[] }[] }[] };
    expect(policy.statements[0]!.principals[0]!.identifiers).toEqual(["bcm-data-exports.amazonaws.com", "billingreports.amazonaws.com"]);
    expect(policy.statements[0]!.conditions).toEqual([
      { test: "StringLike", variable: "aws:SourceAccount", values: [accountId] },
      { test: "StringLike", variable: "aws:SourceArn", values: [`arn:aws:cur:us-east-1:${accountId}:definition/*`, `arn:aws:bcm-data-exports:us-east-1:${accountId}:export/*`] },
    ]);
    expect(policy.statements[1]).toMatchObject({ effect: "Deny", conditions: [{ variable: "aws:SecureTransport", values: ["false"] }] });
  });

  it("puts the bucket and each of its settings in bucketRegion, whatever the provider's region", async () => {
    const { resources } = await runUnderMocks(() => new AwsBillingExport("billing", { accountId, bucketRegion: "eu-west-1" }));
    const s3 = resources.filter((r) => r.type.startsWith("aws:s3/"));
    expect(s3.map((r) => r.type).sort()).toEqual([
      "aws:s3/bucket:Bucket", "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ]);
    for (const r of s3) expect(r.inputs.region, r.type).toBe("eu-west-1");
    expect(() => new AwsBillingExport("x", { accountId, bucketRegion: "Europe" })).toThrow("allot:index:AwsBillingExport: bucketRegion: expected an AWS region such as us-east-1");
  });

  it("exports FOCUS 1.2 as Parquet through a us-east-1 provider, with the table's complete configuration", async () => {
    const { resources } = await runUnderMocks(() => new AwsBillingExport("billing", { accountId, bucketRegion: "eu-west-1" }));
    expect(named(resources, "billing-us-east-1").inputs.region).toBe("us-east-1");
    const exp = named(resources, "billing-export");
    expect(exp.provider).toBe("billing-us-east-1");
    const spec = exp.inputs.export as { dataQueries: { queryStatement: string; tableConfigurations: unknown }[]; destinationConfigurations: { s3Destinations: { s3Region: string; s3OutputConfigurations: unknown[] }[] }[] };
    expect(spec.dataQueries[0]!.queryStatement).toMatch(/^SELECT AvailabilityZone, BilledCost, .* FROM FOCUS_1_2_AWS$/);
    // FOCUS_1_2_AWS takes BILLING_VIEW_ARN and TIME_GRANULARITY (Data Exports table dictionary); both are sent.
    expect(spec.dataQueries[0]!.tableConfigurations).toEqual({ FOCUS_1_2_AWS: { BILLING_VIEW_ARN: `arn:aws:billing::${accountId}:billingview/primary`, TIME_GRANULARITY: "DAILY" } });
    expect(spec.destinationConfigurations[0]!.s3Destinations[0]).toMatchObject({ s3Region: "eu-west-1", s3OutputConfigurations: [{ format: "PARQUET", compression: "PARQUET", outputType: "CUSTOM", overwrite: "OVERWRITE_REPORT" }] });
  });

  it("exports CUR 2.0 on request", async () => {
    const { resources } = await runUnderMocks(() => new AwsBillingExport("billing", { accountId, bucketRegion: "us-east-1", table: "CUR_2_0" }));
    const spec = named(resources, "billing-export").inputs.export as { dataQueries: { queryStatement: string; tableConfigurations: Record<string, Record<string, string>> }[] };
    expect(spec.dataQueries[0]!.queryStatement).toContain("FROM COST_AND_USAGE_REPORT");
    expect(spec.dataQueries[0]!.tableConfigurations).toEqual({
      COST_AND_USAGE_REPORT: { BILLING_VIEW_ARN: `arn:aws:billing::${accountId}:billingview/primary`, TIME_GRANULARITY: "DAILY", INCLUDE_RESOURCES: "TRUE", INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE", INCLUDE_SPLIT_COST_ALLOCATION_DATA: "FALSE" },
    });
  });

  it("checks the Data Exports provider's region: us-east-1 passes, any other fails the deployment", async () => {
    expect(() => assertDataExportsRegion("eu-west-1")).toThrow("allot:index:AwsBillingExport: dataExportsProvider: AWS Data Exports lives in us-east-1, but the provider given is for eu-west-1");
    expect(() => assertDataExportsRegion(undefined)).toThrow("the provider given is for no region");
    const { resources, exports } = await runUnderMocks(() => {
      const provider = new aws.Provider("east", { region: "us-east-1" });
      return new AwsBillingExport("billing", { accountId, bucketRegion: "eu-west-1", dataExportsProvider: provider }).exportArn;
    });
    expect(named(resources, "billing-export").provider).toBe("east");
    expect(resources.some((r) => r.name === "billing-us-east-1")).toBe(false);
    expect(exports).toBeDefined();
  });
});

describe("AwsCostAllocationTags and AwsAnomalyAlerts", () => {
  it("activates each required key and subscribes to anomalies above the threshold", async () => {
    const { resources } = await runUnderMocks(() => {
      new AwsCostAllocationTags("cat", { keys: model.tags.required.map((t) => t.key) });
      new AwsAnomalyAlerts("anomalies", { emails: ["finops@northwind.example"], minimumImpact: 250 });
    });
    expect(ofType(resources, "aws:costexplorer/costAllocationTag:CostAllocationTag").map((r) => r.inputs)).toEqual([
      { tagKey: "cost-center", status: "Active" },
      { tagKey: "environment", status: "Active" },
      { tagKey: "team", status: "Active" },
    ]);
    expect(named(resources, "anomalies-daily").inputs).toMatchObject({
      frequency: "DAILY",
      monitorArnLists: ["arn:mock:anomalymonitor:anomalies-services"],
      subscribers: [{ type: "EMAIL", address: "finops@northwind.example" }],
      thresholdExpression: { dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: ["250"] } },
    });
  });

  it("subscribes to the account's existing services monitor instead of creating a second", async () => {
    const monitorArn = "arn:aws:ce::111111111111:anomalymonitor/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    let output: unknown;
    const { resources } = await runUnderMocks(() => {
      output = new AwsAnomalyAlerts("anomalies", { emails: ["finops@northwind.example"], minimumImpact: 250, monitorArn }).monitorArn;
    });
    expect(ofType(resources, "aws:costexplorer/anomalyMonitor:AnomalyMonitor")).toEqual([]);
    expect(named(resources, "anomalies-daily").inputs.monitorArnLists).toEqual([monitorArn]);
    expect(await (output as { promise(): Promise<string> }).promise()).toBe(monitorArn);
  });

  it("rejects an aws: key, a non-positive threshold and a monitor ARN that is not one", () => {
    expect(() => new AwsCostAllocationTags("x", { keys: ["aws:createdBy"] })).toThrow("keys[0]: expected a user tag key");
    expect(() => new AwsAnomalyAlerts("x", { emails: ["a@b.co"], minimumImpact: 0 })).toThrow("minimumImpact: expected a positive dollar amount");
    expect(() => new AwsAnomalyAlerts("x", { emails: ["a@b.co"], minimumImpact: 100, monitorArn: "arn:aws:ce:us-east-1:111111111111:anomalysubscription/x" })).toThrow(
      "allot:index:AwsAnomalyAlerts: monitorArn: expected an anomaly monitor ARN like arn:aws:ce::111122223333:anomalymonitor/<uuid>",
    );
  });
});
