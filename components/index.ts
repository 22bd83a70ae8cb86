// allot's Pulumi components: team budgets and billing exports per cloud from cloud-neutral specs,
// AWS cost allocation tags and anomaly alerts, OpenCost on a Kubernetes cluster, and stack-wide auto-tagging.
export { teamBudgetSpecs, validateBudgetSpecs, singleTag, ComponentInputError } from "./spec";
export type { BudgetAlertSpec, TeamBudgetSpec } from "./spec";
export { AwsTeamBudgets } from "./aws/team-budgets";
export type { AwsTeamBudgetsArgs } from "./aws/team-budgets";
export { AwsBillingExport, assertDataExportsRegion } from "./aws/billing-export";
export type { AwsBillingExportArgs, AwsExportTable } from "./aws/billing-export";
export { AwsCostAllocationTags } from "./aws/cost-allocation-tags";
export { AwsAnomalyAlerts } from "./aws/anomaly-alerts";
export { GcpTeamBudgets } from "./gcp/team-budgets";
export { GcpBillingExport } from "./gcp/billing-export";
export { AzureTeamBudgets, notificationKey } from "./azure/team-budgets";
export { AzureBillingExport } from "./azure/billing-export";
export { CREDENTIALS_ANNOTATION, OpenCost, OPENCOST_CHART, DEFAULT_RESOURCES } from "./kubernetes/opencost";
export type { OpenCostArgs, ContainerResources, ExternalPrometheus, InClusterPrometheus } from "./kubernetes/opencost";
export type { OpenCostCloud, AwsPricing, GcpPricing, AzurePricing, Credential } from "./kubernetes/opencost-cloud";
export { asGcpLabel, autoTagTransform, registerAutoTagging } from "./auto-tagging";
