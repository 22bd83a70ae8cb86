// The Azure billing export allot reads: a private storage account and container, and daily Cost
// Management exports of amortized and actual cost as CSV. azure-native 3.x manages exports with API
// version 2024-08-01, whose export types are Usage, ActualCost and AmortizedCost; the FocusCost type
// needs API 2025-03-01, which this SDK version does not expose, so the exports are the two cost CSVs.
import { createHash } from "node:crypto";
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { ComponentInputError } from "../spec";
import { exportSchedulePeriod } from "./schedule";

const TYPE = "allot:index:AzureBillingExport";
/** Storage account names: 3 to 24 lower-case letters and digits, unique across Azure (the SDK's accountName docs). */
const STORAGE_ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
const DATASETS = [
  { type: "AmortizedCost", folder: "amortized" },
  { type: "ActualCost", folder: "actual" },
] as const;

export interface AzureBillingExportArgs {
  subscriptionId: string;
  resourceGroupName: pulumi.Input<string>;
  location: string;
  /**
   * The earliest day the daily schedule may start, YYYY-MM-DD. Azure takes only a start in the future, so
   * the schedule starts on this day or tomorrow, whichever is later, fixed when the export is created.
   */
  startDate?: string;
  /**
   * The storage account's name: 3-24 lower-case letters and digits, globally unique. Default: "allot" and
   * 19 hex digits of a hash of the subscription and the component name, stable across deployments.
   */
  storageAccountName?: string;
}

/** The default storage account name: the Pulumi autoname (`azure-billing-exports1a2b3c4d`) has hyphens and 29 characters. */
export function defaultStorageAccountName(subscriptionId: string, name: string): string {
  return `allot${createHash("sha256").update(`${subscriptionId.toLowerCase()}/${name}`).digest("hex").slice(0, 19)}`;
}

export class AzureBillingExport extends pulumi.ComponentResource {
  readonly storageAccountName: pulumi.Output<string>;
  readonly containerName: pulumi.Output<string>;

  constructor(name: string, args: AzureBillingExportArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(args.subscriptionId ?? "")) throw new ComponentInputError(TYPE, "subscriptionId", `expected a subscription GUID, got ${JSON.stringify(args.subscriptionId)}`);
    if (!/^[a-z0-9]+$/.test(args.location ?? "")) throw new ComponentInputError(TYPE, "location", `expected an Azure region such as eastus, got ${JSON.stringify(args.location)}`);
    if (args.startDate !== undefined && !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(args.startDate)) throw new ComponentInputError(TYPE, "startDate", `expected a date as YYYY-MM-DD, got ${JSON.stringify(args.startDate)}`);
    const accountName = args.storageAccountName ?? defaultStorageAccountName(args.subscriptionId, name);
    if (!STORAGE_ACCOUNT_NAME.test(accountName)) throw new ComponentInputError(TYPE, "storageAccountName", `Azure storage account names are 3 to 24 lower-case letters and digits, got ${JSON.stringify(accountName)}`);
    super(TYPE, name, {}, opts);
    const parent = { parent: this };
    const account = new azure.storage.StorageAccount(`${name}-exports`, {
      accountName,
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
    const recurrencePeriod = exportSchedulePeriod(args.startDate);
    for (const dataset of DATASETS) {
      new azure.costmanagement.Export(`${name}-${dataset.folder}`, {
        scope: `/subscriptions/${args.subscriptionId}`,
        exportName: `allot-${dataset.folder}`,
        definition: { type: dataset.type, timeframe: "MonthToDate", dataSet: { granularity: "Daily" } },
        deliveryInfo: { destination: { resourceId: account.id, container: container.name, rootFolderPath: dataset.folder } },
        format: "Csv",
        schedule: { status: "Active", recurrence: "Daily", recurrencePeriod },
        // The start is fixed when the export is created: a later run computes a later "tomorrow", which
        // Azure would reject for an existing schedule just as for a new one.
      }, { parent: this, ignoreChanges: ["schedule.recurrencePeriod"] });
    }
    this.storageAccountName = account.name;
    this.containerName = container.name;
    this.registerOutputs({ storageAccountName: this.storageAccountName, containerName: this.containerName });
  }
}
