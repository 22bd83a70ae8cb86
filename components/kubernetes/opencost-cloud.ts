// Each cloud's pricing integration for OpenCost, one mapper per cloud: the pricing config, the credentials
// for the component's Kubernetes Secret and the cloud-integration.json entry (Cloud Costs from the bill).
// Nothing here knows the chart's value paths or creates a resource; opencost.ts does both.
import * as pulumi from "@pulumi/pulumi";
import { isCurrencyCode, suggestCurrency } from "../../model";
import { ComponentInputError } from "../spec";

/** A credential: a secret Output (`config.requireSecret(...)`, `pulumi.secret(...)`), never plain text. */
export type Credential = pulumi.Output<string>;

/**
 * AWS: on-demand prices come from the public AWS Price List, no credentials needed. Spot prices come from
 * the EC2 Spot Instance data feed and the bill (CUR via Athena) from cloud-integration.json; both read
 * S3/Athena, so either an IRSA role or an access key pair is needed for them.
 */
export interface AwsPricing {
  provider: "aws";
  /** The account the cluster runs in (12 digits): OpenCost's `projectID`. */
  accountId: string;
  /** IRSA: the IAM role the OpenCost service account assumes (preferred: no long-lived key). */
  roleArn?: string;
  /** An access key pair, when IRSA is not available. */
  accessKey?: { id: Credential; secret: Credential };
  /** The EC2 Spot Instance data feed's bucket, for actual spot prices instead of estimates. */
  spotDataFeed?: { bucket: string; region: string; prefix?: string };
  /** The CUR queried through Athena, for Cloud Costs (the bill itself, with discounts and credits). */
  cur?: { athenaResultsBucket: string; athenaRegion: string; athenaDatabase: string; athenaTable: string; athenaWorkgroup?: string };
}

/**
 * GCP: on-demand prices come from the Cloud Billing Catalog API, which needs an API key; the bill comes
 * from the BigQuery billing export read with a service account key.
 */
export interface GcpPricing {
  provider: "gcp";
  projectId: string;
  /** An API key allowed to call the Cloud Billing API. */
  apiKey: Credential;
  /** The detailed billing export table as `dataset.table`, and a service account key (JSON) that may read it. */
  billingExport?: { table: string; serviceAccountKey: Credential };
}

/**
 * Azure: prices come from the Rate Card API, called as a service principal with Microsoft.Commerce/RateCard/read
 * on the subscription; the bill from a Cost Management export in a storage container.
 */
export interface AzurePricing {
  provider: "azure";
  subscriptionId: string;
  tenantId: string;
  clientId: string;
  clientSecret: Credential;
  /** The Rate Card's offer: MS-AZR-0003P (pay-as-you-go) unless the subscription has another. */
  offerDurableId?: string;
  /** The Rate Card's billing region (two letters, default US) and currency (default USD). */
  billingRegion?: string;
  currency?: string;
  /** The Cost Management export's storage account, container and account access key. */
  costExport?: { storageAccount: string; container: string; accessKey: Credential };
}

export type OpenCostCloud = AwsPricing | GcpPricing | AzurePricing;

/**
 * What a cloud contributes, in OpenCost's terms; opencost.ts places each piece at its chart value path.
 * Credentials only ever appear in `secretData` and `integration`, which go into the component's Secret.
 */
export interface CloudPricing {
  /** Annotations on the OpenCost service account (IRSA). */
  serviceAccountAnnotations?: Record<string, string>;
  /** The pricing config file (provider and its keys; no credentials: it is rendered into a ConfigMap). */
  customPricing?: { provider: string; costModel: Record<string, string> };
  /** Secret entries (key -> value). */
  secretData: Record<string, pulumi.Output<string>>;
  /** Environment variables read from the Secret (variable name = Secret key). */
  env: string[];
  /** Files mounted from the Secret into the OpenCost container: Secret key -> absolute path. */
  files: Record<string, string>;
  /** cloud-integration.json with the cloud's entry, when the bill is read (Cloud Costs). */
  integration?: pulumi.Output<string>;
}

/**
 * OpenCost's fallback list prices (per hour, per GB-hour), used only for nodes the pricing API cannot price.
 * Setting customPricing replaces the image's defaults with the chart's costModel, whose own defaults
 * (CPU 1.25, RAM 0.50) are for on-prem; these are the values OpenCost's Helm guide gives for a cloud
 * (https://opencost.io/docs/installation/helm, "Example Configuration").
 */
const FALLBACK_PRICES = {
  CPU: "0.031611", spotCPU: "0.006655", RAM: "0.004237", spotRAM: "0.000892", GPU: "0.95",
  storage: "0.00005479452", zoneNetworkEgress: "0.01", regionNetworkEgress: "0.01", internetNetworkEgress: "0.143",
};

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A credential marked secret, or an error naming the field when it is plain text. */
export function credential(component: string, field: string, value: unknown): pulumi.Output<string> {
  // A plain string can be told apart synchronously; an Output's secretness only resolves later, so any
  // Output is accepted and wrapped: it is secret in the state and the Secret whatever the caller passed.
  if (!pulumi.Output.isInstance(value)) {
    throw new ComponentInputError(component, field, `expected a secret (config.requireSecret(...) or pulumi.secret(...)), got ${typeof value === "string" ? "plain text" : typeof value}; credentials never go into plain config or Helm values`);
  }
  return pulumi.secret(value as pulumi.Output<string>);
}

const customPricing = (provider: string, costModel: Record<string, string>) => ({ provider, costModel: { description: `allot: ${provider} pricing`, ...FALLBACK_PRICES, ...costModel } });

function aws(c: string, cloud: AwsPricing): CloudPricing {
  if (!/^\d{12}$/.test(cloud.accountId ?? "")) throw new ComponentInputError(c, "cloud.accountId", `expected a 12-digit AWS account id, got ${JSON.stringify(cloud.accountId)}`);
  if (cloud.roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(cloud.roleArn)) throw new ComponentInputError(c, "cloud.roleArn", `expected an IAM role ARN, got ${JSON.stringify(cloud.roleArn)}`);
  if (cloud.roleArn !== undefined && cloud.accessKey !== undefined) throw new ComponentInputError(c, "cloud.accessKey", "give either roleArn (IRSA) or an access key, not both");
  const needsAccess = cloud.spotDataFeed !== undefined || cloud.cur !== undefined;
  if (needsAccess && cloud.roleArn === undefined && cloud.accessKey === undefined) throw new ComponentInputError(c, "cloud.roleArn", "the spot data feed and the CUR are read from S3 and Athena: give roleArn (IRSA) or accessKey");
  const feed = cloud.spotDataFeed;
  if (feed && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(feed.bucket ?? "")) throw new ComponentInputError(c, "cloud.spotDataFeed.bucket", `expected an S3 bucket name, got ${JSON.stringify(feed.bucket)}`);
  if (feed && !AWS_REGION.test(feed.region ?? "")) throw new ComponentInputError(c, "cloud.spotDataFeed.region", `expected an AWS region such as us-east-1, got ${JSON.stringify(feed.region)}`);
  const cur = cloud.cur;
  if (cur && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(cur.athenaResultsBucket ?? "")) throw new ComponentInputError(c, "cloud.cur.athenaResultsBucket", `expected the Athena query results location as s3://bucket, got ${JSON.stringify(cur.athenaResultsBucket)}`);
  if (cur && !AWS_REGION.test(cur.athenaRegion ?? "")) throw new ComponentInputError(c, "cloud.cur.athenaRegion", `expected an AWS region such as us-east-1, got ${JSON.stringify(cur.athenaRegion)}`);
  for (const field of ["athenaDatabase", "athenaTable"] as const) {
    if (cur && !/^[a-z0-9_]{1,255}$/.test(cur[field] ?? "")) throw new ComponentInputError(c, `cloud.cur.${field}`, `expected an Athena name (lowercase letters, digits, _), got ${JSON.stringify(cur[field])}`);
  }
  const key = cloud.accessKey && { id: credential(c, "cloud.accessKey.id", cloud.accessKey.id), secret: credential(c, "cloud.accessKey.secret", cloud.accessKey.secret) };
  return {
    // values.yaml comments "eks.amazonaws.com/role-arn" under serviceAccount.annotations.
    ...(cloud.roleArn ? { serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": cloud.roleArn } } : {}),
    // OpenCost's aws provider config keys (CustomPricing in opencost pkg/cloud/models).
    customPricing: customPricing("aws", {
      projectID: cloud.accountId,
      ...(feed ? { awsSpotDataBucket: feed.bucket, awsSpotDataRegion: feed.region, awsSpotDataPrefix: feed.prefix ?? "" } : {}),
    }),
    // The SDK's default credential chain reads these; the chart's own exporter.aws.* would put them in values.
    secretData: key ? { AWS_ACCESS_KEY_ID: key.id, AWS_SECRET_ACCESS_KEY: key.secret } : {},
    env: key ? ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] : [],
    files: {},
    // The chart's cloudIntegrationJSON example for aws; without a service key OpenCost uses the pod's role.
    integration: cur && pulumi.all([key?.id, key?.secret]).apply(([id, secret]) => JSON.stringify({
      aws: [{
        athenaBucketName: cur.athenaResultsBucket, athenaRegion: cur.athenaRegion, athenaDatabase: cur.athenaDatabase, athenaTable: cur.athenaTable,
        ...(cur.athenaWorkgroup ? { athenaWorkgroup: cur.athenaWorkgroup } : {}),
        projectID: cloud.accountId,
        ...(id && secret ? { serviceKeyName: id, serviceKeySecret: secret } : {}),
      }],
    })),
  };
}

function gcp(c: string, cloud: GcpPricing): CloudPricing {
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(cloud.projectId ?? "")) throw new ComponentInputError(c, "cloud.projectId", `expected a project id, got ${JSON.stringify(cloud.projectId)}`);
  const apiKey = credential(c, "cloud.apiKey", cloud.apiKey);
  const bq = cloud.billingExport;
  if (bq && !/^[A-Za-z0-9_]+\.[A-Za-z0-9_-]+$/.test(bq.table ?? "")) throw new ComponentInputError(c, "cloud.billingExport.table", `expected the billing export table as dataset.table, got ${JSON.stringify(bq.table)}`);
  const saKey = bq && credential(c, "cloud.billingExport.serviceAccountKey", bq.serviceAccountKey);
  return {
    // The chart's exporter.cloudProviderApiKey would put the key in values; the same env var, from the Secret.
    secretData: { CLOUD_PROVIDER_API_KEY: apiKey },
    env: ["CLOUD_PROVIDER_API_KEY"],
    files: {},
    integration: bq && saKey!.apply((json) => {
      const key = parseServiceAccountKey(json);
      if (!key) throw new ComponentInputError(c, "cloud.billingExport.serviceAccountKey", "expected a service account key file (JSON with \"type\": \"service_account\")");
      return JSON.stringify({ gcp: [{ projectID: cloud.projectId, billingDataDataset: bq.table, key }] });
    }),
  };
}

/** The parsed key when `json` is a service account key file, else undefined. */
export function parseServiceAccountKey(json: string): Record<string, unknown> | undefined {
  try {
    const key = JSON.parse(json) as Record<string, unknown>;
    return key && key.type === "service_account" ? key : undefined;
  } catch {
    return undefined;
  }
}

function azure(c: string, cloud: AzurePricing): CloudPricing {
  for (const field of ["subscriptionId", "tenantId", "clientId"] as const) {
    if (!UUID.test(cloud[field] ?? "")) throw new ComponentInputError(c, `cloud.${field}`, `expected a GUID, got ${JSON.stringify(cloud[field])}`);
  }
  const offer = cloud.offerDurableId ?? "MS-AZR-0003P";
  if (!/^MS-AZR-\d{4}P$/.test(offer)) throw new ComponentInputError(c, "cloud.offerDurableId", `expected an offer id like MS-AZR-0003P, got ${JSON.stringify(offer)}`);
  const region = cloud.billingRegion ?? "US";
  if (!/^[A-Z]{2}$/.test(region)) throw new ComponentInputError(c, "cloud.billingRegion", `expected a two-letter billing region such as US, got ${JSON.stringify(region)}`);
  const currency = cloud.currency ?? "USD";
  if (!isCurrencyCode(currency)) throw new ComponentInputError(c, "cloud.currency", `expected an ISO 4217 code${suggestCurrency(currency)}, got ${JSON.stringify(currency)}`);
  const clientSecret = credential(c, "cloud.clientSecret", cloud.clientSecret);
  const exp = cloud.costExport;
  if (exp && !/^[a-z0-9]{3,24}$/.test(exp.storageAccount ?? "")) throw new ComponentInputError(c, "cloud.costExport.storageAccount", `expected 3-24 lowercase letters and digits, got ${JSON.stringify(exp.storageAccount)}`);
  if (exp && !/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(exp.container ?? "")) throw new ComponentInputError(c, "cloud.costExport.container", `expected a blob container name, got ${JSON.stringify(exp.container)}`);
  const accessKey = exp && credential(c, "cloud.costExport.accessKey", exp.accessKey);
  return {
    customPricing: customPricing("azure", { azureSubscriptionID: cloud.subscriptionId, azureBillingRegion: region, azureOfferDurableID: offer, currencyCode: currency }),
    secretData: {
      "service-key.json": clientSecret.apply((password) => JSON.stringify({ subscriptionId: cloud.subscriptionId, serviceKey: { appId: cloud.clientId, password, tenant: cloud.tenantId } })),
    },
    env: [],
    // OpenCost reads the service principal from /var/secrets/service-key.json (AuthSecretPath in opencost
    // pkg/cloud/models); the chart has no value for it, so it is mounted like any other Secret file.
    files: { "service-key.json": "/var/secrets/service-key.json" },
    // The chart's cloudIntegrationJSON example for azure.
    integration: exp && accessKey!.apply((key) => JSON.stringify({
      azure: [{ azureSubscriptionID: cloud.subscriptionId, azureStorageAccount: exp.storageAccount, azureStorageAccessKey: key, azureStorageContainer: exp.container }],
    })),
  };
}

/** The cloud's pricing integration, validated; none when the cluster is priced by OpenCost's defaults. */
export function cloudPricing(component: string, cloud: OpenCostCloud | undefined): CloudPricing {
  if (cloud === undefined) return { secretData: {}, env: [], files: {} };
  switch (cloud.provider) {
    case "aws":
      return aws(component, cloud);
    case "gcp":
      return gcp(component, cloud);
    case "azure":
      return azure(component, cloud);
    default:
      throw new ComponentInputError(component, "cloud.provider", `expected aws, gcp or azure, got ${JSON.stringify((cloud as { provider?: unknown }).provider)}`);
  }
}
