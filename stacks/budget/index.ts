// The budget stack: for each cloud in `allot:clouds`, a budget with alerts per team of allot.yaml and
// the billing export the reports read; AWS also activates the cost allocation tags and anomaly alerts.
// Every taggable resource it creates carries the standard tags of the team that owns the stack.
import { resolve } from "node:path";
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import {
  AwsAnomalyAlerts, AwsBillingExport, AwsCostAllocationTags, AwsTeamBudgets, AzureBillingExport, AzureTeamBudgets,
  GcpBillingExport, GcpTeamBudgets, registerAutoTagging, teamBudgetSpecs,
} from "../../components";
import { loadCostModel } from "../../model";
import { readStackConfig } from "./config";

const config = readStackConfig();
const model = loadCostModel(resolve(process.cwd(), config.configFile));
const owner = model.teams.get(config.ownerTeam);
if (!owner) throw new pulumi.RunError(`allot:ownerTeam: "${config.ownerTeam}" is not a team in ${config.configFile}; set it to the team that runs this stack`);

// The stack's own resources carry the owner team's values for the keys that name org entities, the
// configured environment where the key's allowed values include it, and the key's default otherwise.
const ownerValues: Record<string, string> = { "org.teams": owner.id, "org.costCenters": owner.costCenter, "org.units": owner.unitId };
registerAutoTagging(
  Object.fromEntries(
    model.input.tags.required.flatMap((tag) => {
      const value = typeof tag.values === "string" ? ownerValues[tag.values] : tag.values?.includes(config.environment) ? config.environment : tag.default;
      return value === undefined ? [] : [[tag.key, value]];
    }),
  ),
  model.tags,
);

const budgets = teamBudgetSpecs(model).map((spec) => ({ ...spec, emails: [...new Set([...spec.emails, ...config.alertEmails])] }));
const outputs: Record<string, pulumi.Output<unknown> | string> = {};

if (config.clouds.includes("aws")) {
  const accountId = config.awsAccountId!;
  const awsBudgets = new AwsTeamBudgets("aws-budgets", { budgets, accountId });
  const awsExport = new AwsBillingExport("aws-billing", { accountId, bucketRegion: config.awsExportBucketRegion, table: config.awsExportTable });
  // Only the payer account may activate cost allocation tags; member accounts set this to false.
  if (config.awsActivateCostAllocationTags) new AwsCostAllocationTags("aws-cost-allocation-tags", { keys: model.tags.required.map((t) => t.key) });
  const anomalies = new AwsAnomalyAlerts("aws-anomalies", {
    emails: [...new Set([...model.alertEmails, ...config.alertEmails])],
    minimumImpact: config.awsAnomalyMinimumImpact,
    ...(config.awsAnomalyMonitorArn !== undefined ? { monitorArn: config.awsAnomalyMonitorArn } : {}),
  });
  outputs.awsBudgetAlertsTopic = awsBudgets.topicArn;
  outputs.awsExportLocation = awsExport.location;
  outputs.awsAnomalyMonitorArn = anomalies.monitorArn;
}

if (config.clouds.includes("gcp")) {
  const gcpArgs = { billingAccount: config.gcpBillingAccount!, project: config.gcpProject! };
  const gcpBudgets = new GcpTeamBudgets("gcp-budgets", { ...gcpArgs, budgets });
  const gcpExport = new GcpBillingExport("gcp-billing", gcpArgs);
  outputs.gcpBudgetAlertsTopic = gcpBudgets.topicId;
  outputs.gcpExportDataset = gcpExport.datasetId;
  outputs.gcpManualStep = gcpExport.manualStep;
}

if (config.clouds.includes("azure")) {
  const subscriptionId = config.azureSubscriptionId!;
  const group = new azure.resources.ResourceGroup("allot-billing", { location: config.azureLocation });
  const startDate = config.budgetStartDate !== undefined ? { startDate: config.budgetStartDate } : {};
  new AzureTeamBudgets("azure-budgets", { budgets, subscriptionId, ...startDate });
  const azureExport = new AzureBillingExport("azure-billing", { subscriptionId, resourceGroupName: group.name, location: config.azureLocation, ...startDate });
  outputs.azureExportContainer = pulumi.interpolate`${azureExport.storageAccountName}/${azureExport.containerName}`;
}

export const teams = budgets.map((b) => b.team);
export const stack = outputs;
