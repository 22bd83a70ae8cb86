// The Azure billing export allot reads: a private storage account and container, and daily Cost
// Management exports of amortized and actual cost as CSV. azure-native 3.x manages exports with API
// version 2024-08-01, whose export types are Usage, ActualCost and AmortizedCost; the FocusCost type
// needs API 2025-03-01, which this SDK version does not expose, so the exports are the two cost CSVs.
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { ComponentInputError } from "../spec";

const TYPE = "allot:index:AzureBillingExport";
const DATASETS = [
  { type: "AmortizedCost", folder: "amortized" },
  { type: "ActualCost", folder: "actual" },
] as const;

export interface AzureBillingExportArgs {
  subscriptionId: string;
  resourceGroupName: pulumi.Input<string>;
  location: string;
  /** When the daily schedule starts, YYYY-MM-DD. */
  startDate: string;
}

export class AzureBillingExport extends pulumi.ComponentResource {
  readonly storageAccountName: pulumi.Output<string>;
  readonly containerName: pulumi.Output<string>;

  constructor(name: string, args: AzureBillingExportArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(args.subscriptionId ?? "")) throw new ComponentInputError(TYPE, "subscriptionId", `expected a subscription GUID, got ${JSON.stringify(args.subscriptionId)}`);
    if (!/^[a-z0-9]+$/.test(args.location ?? "")) throw new ComponentInputError(TYPE, "location", `expected an Azure region such as eastus, got ${JSON.stringify(args.location)}`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(args.startDate ?? "")) throw new ComponentInputError(TYPE, "startDate", `expected a date as YYYY-MM-DD, got ${JSON.stringify(args.startDate)}`);
    super(TYPE, name, {}, opts);
    const parent = { parent: this };
    const account = new azure.storage.StorageAccount(`${name}-exports`, {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      allowBlobPublicAccess: false,
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      encryption: { keySource: "Microsoft.Storage", services: { blob: { enabled: true, keyType: "Account" } } },
    }, parent);
    const container = new azure.storage.BlobContainer(`${name}-exports`, { resourceGroupName: args.resourceGroupName, accountName: account.name, containerName: "allot-exports", publicAccess: "None" }, parent);
    for (const dataset of DATASETS) {
      new azure.costmanagement.Export(`${name}-${dataset.folder}`, {
        scope: `/subscriptions/${args.subscriptionId}`,
        exportName: `allot-${dataset.folder}`,
        definition: { type: dataset.type, timeframe: "MonthToDate", dataSet: { granularity: "Daily" } },
        deliveryInfo: { destination: { resourceId: account.id, container: container.name, rootFolderPath: dataset.folder } },
        format: "Csv",
        schedule: { status: "Active", recurrence: "Daily", recurrencePeriod: { from: `${args.startDate}T00:00:00Z` } },
      }, parent);
    }
    this.storageAccountName = account.name;
    this.containerName = container.name;
    this.registerOutputs({ storageAccountName: this.storageAccountName, containerName: this.containerName });
  }
}
