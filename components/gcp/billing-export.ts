// The GCP side of the billing export: a multi-region BigQuery dataset the Cloud Billing export may write
// to. Cloud Billing's export itself cannot be turned on through any API, so the component outputs the
// exact console step that finishes the job.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { ComponentInputError } from "../spec";

const TYPE = "allot:index:GcpBillingExport";
/** The service account the detailed billing export writes as. */
const EXPORT_WRITER = "serviceAccount:billing-export-bigquery@system.gserviceaccount.com";

export interface GcpBillingExportArgs {
  billingAccount: string;
  project: string;
  /** A BigQuery multi-region: US (default) or EU. */
  location?: "US" | "EU";
  datasetId?: string;
}

export class GcpBillingExport extends pulumi.ComponentResource {
  readonly datasetId: pulumi.Output<string>;
  /** What a billing admin must do once in the console: the API cannot enable the export. */
  readonly manualStep: pulumi.Output<string>;

  constructor(name: string, args: GcpBillingExportArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!/^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/.test(args.billingAccount ?? "")) throw new ComponentInputError(TYPE, "billingAccount", `expected a billing account id like 01A2B3-C4D5E6-F7A8B9, got ${JSON.stringify(args.billingAccount)}`);
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(args.project ?? "")) throw new ComponentInputError(TYPE, "project", `expected a project id, got ${JSON.stringify(args.project)}`);
    const location = args.location ?? "US";
    if (location !== "US" && location !== "EU") throw new ComponentInputError(TYPE, "location", `expected the multi-region US or EU, got ${JSON.stringify(location)}`);
    const datasetId = args.datasetId ?? "allot_billing_export";
    if (!/^[A-Za-z0-9_]{1,1024}$/.test(datasetId)) throw new ComponentInputError(TYPE, "datasetId", `expected letters, digits and underscores, got ${JSON.stringify(datasetId)}`);
    super(TYPE, name, {}, opts);
    const parent = { parent: this };
    const transfer = new gcp.projects.Service(`${name}-bigquery-data-transfer`, { project: args.project, service: "bigquerydatatransfer.googleapis.com", disableOnDestroy: false }, parent);
    const dataset = new gcp.bigquery.Dataset(`${name}-dataset`, {
      project: args.project,
      datasetId,
      location,
      description: "Cloud Billing detailed usage cost export, read by allot",
      deleteContentsOnDestroy: false,
    }, { parent: this, dependsOn: [transfer] });
    new gcp.bigquery.DatasetIamMember(`${name}-export-writer`, { project: args.project, datasetId: dataset.datasetId, role: "roles/bigquery.dataEditor", member: EXPORT_WRITER }, parent);
    this.datasetId = dataset.datasetId;
    this.manualStep = pulumi.interpolate`In the Google Cloud console, open Billing > ${args.billingAccount} > Billing export > BigQuery export, and under "Detailed usage cost" choose Edit settings: project ${args.project}, dataset ${dataset.datasetId}; save. Data arrives within a day.`;
    this.registerOutputs({ datasetId: this.datasetId, manualStep: this.manualStep });
  }
}
