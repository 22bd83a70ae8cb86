// The AWS billing export allot reads: a private, encrypted S3 bucket that AWS Data Exports (and legacy
// CUR) may write to, and a daily-refreshed Data Export of FOCUS 1.2 or CUR 2.0 in Parquet.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FOCUS_1_2_COLUMNS } from "../../model/focus";
import { ComponentInputError } from "../spec";

const TYPE = "allot:index:AwsBillingExport";
/** Data Exports is served from us-east-1 only. */
const DATA_EXPORTS_REGION = "us-east-1";

/** CUR 2.0 columns allot maps (reports read them into FOCUS); resource_tags carries the user_ tags. */
const CUR2_COLUMNS = [
  "bill_billing_period_start_date", "bill_billing_period_end_date", "bill_payer_account_id", "line_item_usage_account_id",
  "line_item_usage_start_date", "line_item_usage_end_date", "line_item_line_item_type", "line_item_product_code",
  "line_item_resource_id", "line_item_usage_type", "line_item_operation", "line_item_usage_amount", "line_item_unblended_cost",
  "line_item_net_unblended_cost", "line_item_currency_code", "pricing_public_on_demand_cost", "product_region_code",
  "product_servicecode", "savings_plan_savings_plan_effective_cost", "reservation_effective_cost", "resource_tags",
];

export type AwsExportTable = "FOCUS_1_2" | "CUR_2_0";

/**
 * Each table's Data Exports name, the columns allot reads, and its complete table properties (the Data
 * Exports table dictionary; ListTables returns the same set). Every property is sent, so the API fills
 * in nothing and `pulumi up` shows no diff afterwards: it fills in BILLING_VIEW_ARN when left out
 * (pulumi-aws#6139), and AWS's own FOCUS templates set TIME_GRANULARITY too.
 */
const TABLES = {
  FOCUS_1_2: {
    name: "FOCUS_1_2_AWS",
    columns: FOCUS_1_2_COLUMNS,
    properties: (billingView: string) => ({ BILLING_VIEW_ARN: billingView, TIME_GRANULARITY: "DAILY" }),
  },
  CUR_2_0: {
    name: "COST_AND_USAGE_REPORT",
    columns: CUR2_COLUMNS,
    properties: (billingView: string) => ({
      BILLING_VIEW_ARN: billingView,
      TIME_GRANULARITY: "DAILY",
      INCLUDE_RESOURCES: "TRUE",
      INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE",
      INCLUDE_SPLIT_COST_ALLOCATION_DATA: "FALSE",
    }),
  },
} as const satisfies Record<AwsExportTable, { name: string; columns: readonly string[]; properties: (billingView: string) => Record<string, string> }>;

/** The table properties a Data Export of `table` sends for the account's primary billing view. */
export function tableProperties(table: AwsExportTable, accountId: string): Record<string, string> {
  return TABLES[table].properties(`arn:aws:billing::${accountId}:billingview/primary`);
}

/** The region of the provider the Data Export is created with: us-east-1 or an error naming the field. */
export function assertDataExportsRegion(region: string | undefined): string {
  if (region !== DATA_EXPORTS_REGION) throw new ComponentInputError(TYPE, "dataExportsProvider", `AWS Data Exports lives in ${DATA_EXPORTS_REGION}, but the provider given is for ${region ?? "no region"}; pass a us-east-1 provider or none`);
  return region;
}

export interface AwsBillingExportArgs {
  /** The payer (or member) account the export covers (12 digits). */
  accountId: string;
  /** FOCUS_1_2 (default) or CUR_2_0. */
  table?: AwsExportTable;
  /** Bucket region; the bucket may live anywhere, the export itself is created in us-east-1. */
  bucketRegion: string;
  /** Key prefix inside the bucket. Default "allot". */
  prefix?: string;
  /** A provider for us-east-1, to reuse one; the component creates its own when absent. */
  dataExportsProvider?: aws.Provider;
}

/**
 * The bucket and the Data Export, e.g.
 * `new AwsBillingExport("billing", { accountId: "111122223333", bucketRegion: "eu-west-1" })`.
 */
export class AwsBillingExport extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly exportArn: pulumi.Output<string>;
  /** Where the export writes: s3://bucket/prefix/<export name>/. */
  readonly location: pulumi.Output<string>;

  constructor(name: string, args: AwsBillingExportArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!/^\d{12}$/.test(args.accountId ?? "")) throw new ComponentInputError(TYPE, "accountId", `expected a 12-digit AWS account id, got ${JSON.stringify(args.accountId)}`);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.bucketRegion ?? "")) throw new ComponentInputError(TYPE, "bucketRegion", `expected an AWS region such as us-east-1, got ${JSON.stringify(args.bucketRegion)}`);
    const table = args.table ?? "FOCUS_1_2";
    if (table !== "FOCUS_1_2" && table !== "CUR_2_0") throw new ComponentInputError(TYPE, "table", `expected FOCUS_1_2 or CUR_2_0, got ${JSON.stringify(table)}`);
    const prefix = args.prefix ?? "allot";
    super(TYPE, name, {}, opts);
    const parent = { parent: this };
    // pulumi-aws 7 manages each resource in its own `region` (default: the provider's), so the bucket and
    // its settings land in bucketRegion whatever aws:region the stack has.
    const region = args.bucketRegion;

    const bucket = new aws.s3.Bucket(`${name}-exports`, { region, bucketPrefix: `${name}-billing-`, forceDestroy: false }, parent);
    new aws.s3.BucketPublicAccessBlock(`${name}-exports`, { region, bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, parent);
    new aws.s3.BucketOwnershipControls(`${name}-exports`, { region, bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-exports`, {
      region,
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    }, parent);
    const policy = new aws.s3.BucketPolicy(`${name}-exports`, {
      region,
      bucket: bucket.id,
      policy: aws.iam.getPolicyDocumentOutput({
        statements: [
          {
            sid: "BillingExportsWrite",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: ["bcm-data-exports.amazonaws.com", "billingreports.amazonaws.com"] }],
            actions: ["s3:PutObject", "s3:GetBucketPolicy"],
            resources: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            conditions: [
              { test: "StringLike", variable: "aws:SourceAccount", values: [args.accountId] },
              { test: "StringLike", variable: "aws:SourceArn", values: [`arn:aws:cur:${DATA_EXPORTS_REGION}:${args.accountId}:definition/*`, `arn:aws:bcm-data-exports:${DATA_EXPORTS_REGION}:${args.accountId}:export/*`] },
            ],
          },
          {
            sid: "DenyInsecureTransport",
            effect: "Deny",
            principals: [{ type: "*", identifiers: ["*"] }],
            actions: ["s3:*"],
            resources: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
          },
        ],
      }, parent).json,
    }, parent);

    const provider = args.dataExportsProvider ?? new aws.Provider(`${name}-us-east-1`, { region: DATA_EXPORTS_REGION }, parent);
    // A provider's region is only known once it resolves, so a wrong one fails the deployment then.
    const checkedRegion = pulumi.output(provider.region).apply(assertDataExportsRegion);
    const query: aws.types.input.bcmdata.ExportExportDataQuery = {
      queryStatement: `SELECT ${TABLES[table].columns.join(", ")} FROM ${TABLES[table].name}`,
      tableConfigurations: { [TABLES[table].name]: tableProperties(table, args.accountId) },
    };
    const exportName = `${name}-${table === "FOCUS_1_2" ? "focus-1-2" : "cur-2-0"}`;
    const dataExport = new aws.bcmdata.Export(`${name}-export`, {
      export: {
        name: exportName,
        description: `allot billing export (${table}) in Parquet`,
        dataQueries: [query],
        destinationConfigurations: [{
          s3Destinations: [{
            s3Bucket: bucket.bucket,
            s3Prefix: prefix,
            s3Region: region,
            s3OutputConfigurations: [{ format: "PARQUET", compression: "PARQUET", outputType: "CUSTOM", overwrite: "OVERWRITE_REPORT" }],
          }],
        }],
        refreshCadences: [{ frequency: "SYNCHRONOUS" }],
      },
    }, { parent: this, provider, dependsOn: [policy] });
    this.bucketName = bucket.bucket;
    this.exportArn = pulumi.all([dataExport.arn, checkedRegion]).apply(([arn]) => arn);
    this.location = pulumi.interpolate`s3://${bucket.bucket}/${prefix}/${exportName}/`;
    this.registerOutputs({ bucketName: this.bucketName, exportArn: this.exportArn, location: this.location });
  }
}
