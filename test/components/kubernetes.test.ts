import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CREDENTIALS_ANNOTATION, OpenCost, OPENCOST_CHART, type OpenCostArgs } from "../../components";
import { parseServiceAccountKey } from "../../components/kubernetes/opencost-cloud";
import { root } from "../helpers";
import { named, ofType, runUnderMocks, type Registered } from "./mocks";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET = "kubernetes:core/v1:Secret";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const PARENT = "allot:index:OpenCost::opencost";

/** The chart's values.yaml at the pinned version (tag opencost-2.5.17 of opencost/opencost-helm-chart). */
const chartValues = parse(readFileSync(join(root, "test", "fixtures", "opencost", `values-${OPENCOST_CHART.version}.yaml`), "utf8")) as Record<string, unknown>;
/** Maps the chart leaves open (any key), where values.yaml has no keys to check against. */
const FREE_FORM = ["serviceAccount.annotations", "podLabels", "podAnnotations", "opencost.customPricing.costModel", "opencost.exporter.resources", "opencost.ui.resources"];

/** Every value path the component sets that values.yaml does not declare (lists and free-form maps end the walk). */
function undeclaredPaths(values: Record<string, unknown>, chart: unknown = chartValues, at = ""): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const path = at ? `${at}.${key}` : key;
    if (!(chart && typeof chart === "object" && key in chart)) return [path];
    if (FREE_FORM.includes(path) || Array.isArray(value) || value === null || typeof value !== "object") return [];
    return undeclaredPaths(value as Record<string, unknown>, (chart as Record<string, unknown>)[key], path);
  });
}

/** The Pulumi wire format's mark of a secret value: the mock records stringData still wrapped in it. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function stringData(resources: Registered[]): Record<string, string> {
  const recorded = named(resources, "opencost-credentials").inputs.stringData as { [SECRET_SIG]?: string; value?: Record<string, string> };
  expect(recorded[SECRET_SIG]).toBe("1b47061264138c4ac30d75fd1eb44270");
  return recorded.value!;
}

const credentials = {
  promToken: "prom-token-8f2c",
  awsKeyId: "AKIAEXAMPLEKEYID0001",
  awsSecret: "aws-secret-9d7e",
  gcpApiKey: "gcp-api-key-41b0",
  gcpSaKey: JSON.stringify({ type: "service_account", project_id: "nw-billing-admin", private_key: "-----BEGIN PRIVATE KEY-----x", client_email: "opencost@nw-billing-admin.iam.gserviceaccount.com" }),
  azureSecret: "azure-client-secret-77aa",
  azureStorageKey: "azure-storage-key-c3d1",
};
const secret = (value: string) => pulumi.secret(value);

const inCluster: OpenCostArgs = { clusterId: "shared-prod-eu", prometheus: { inCluster: { service: "prometheus-server", namespace: "monitoring", port: 80 } } };
const aws = (): OpenCostArgs => ({
  clusterId: "shared-prod-eu",
  prometheus: { url: "https://prometheus.example.com/api/prom", bearerToken: secret(credentials.promToken) },
  cloud: {
    provider: "aws",
    accountId: "111122223333",
    accessKey: { id: secret(credentials.awsKeyId), secret: secret(credentials.awsSecret) },
    spotDataFeed: { bucket: "nw-spot-feed", region: "eu-west-1", prefix: "spot" },
    cur: { athenaResultsBucket: "s3://nw-athena-results", athenaRegion: "eu-west-1", athenaDatabase: "athenacurcfn_cur", athenaTable: "cur" },
  },
  labels: { team: "platform", "cost-center": "cc-100", environment: "prod" },
});
const gcp = (): OpenCostArgs => ({
  ...inCluster,
  cloud: { provider: "gcp", projectId: "nw-billing-admin", apiKey: secret(credentials.gcpApiKey), billingExport: { table: "allot_billing_export.gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9", serviceAccountKey: secret(credentials.gcpSaKey) } },
});
const azure = (): OpenCostArgs => ({
  ...inCluster,
  cloud: {
    provider: "azure",
    subscriptionId: "6f1d2c3b-8a7e-4d5c-9b0a-1e2f3a4b5c6d",
    tenantId: "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b",
    clientId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    clientSecret: secret(credentials.azureSecret),
    costExport: { storageAccount: "nwcostexports", container: "opencost", accessKey: secret(credentials.azureStorageKey) },
  },
});
/** One cloud's args with some fields replaced, for the failing cases. */
const withCloud = (base: () => OpenCostArgs, patch: object): OpenCostArgs => ({ ...base(), cloud: { ...(base().cloud as object), ...patch } as OpenCostArgs["cloud"] });

/** Runs the component, also reporting whether the Secret's stringData and the Release's values are secret. */
async function run(args: OpenCostArgs) {
  const secrecy: Promise<[string, boolean]>[] = [];
  const { resources, exports } = await runUnderMocks(async () => {
    pulumi.runtime.registerStackTransformation((t) => {
      if (t.type === SECRET) secrecy.push(pulumi.isSecret(pulumi.output(t.props.stringData)).then((s) => ["stringData", s]));
      if (t.type === RELEASE) secrecy.push(pulumi.isSecret(pulumi.output(t.props.values)).then((s) => ["values", s]));
      return undefined;
    });
    const allocationUrl = new OpenCost("opencost", args).allocationUrl as unknown as { promise(): Promise<string> };
    return { secret: Object.fromEntries(await Promise.all(secrecy)), allocationUrl: await allocationUrl.promise() };
  });
  const release = ofType(resources, RELEASE)[0]!;
  return { resources, release, values: release.inputs.values as Record<string, any>, exports: exports as { secret: Record<string, boolean>; allocationUrl: string } };
}

describe("OpenCost", () => {
  it("installs the pinned chart with the cluster id, an in-cluster Prometheus and sized containers; the allocation API as output", async () => {
    const { resources, release, values, exports } = await run(inCluster);
    expect(resources.map((r) => `${r.type} ${r.name} <- ${r.parent}`)).toEqual([
      "allot:index:OpenCost opencost <- undefined",
      `kubernetes:core/v1:Namespace opencost-namespace <- ${PARENT}`,
      `kubernetes:helm.sh/v3:Release opencost-release <- ${PARENT}`,
    ]);
    expect(release.inputs).toMatchObject({ name: "opencost", chart: "opencost", version: "2.5.17", repositoryOpts: { repo: "https://opencost.github.io/opencost-helm-chart" }, namespace: "opencost", createNamespace: false });
    expect(values).toEqual({
      podLabels: {},
      opencost: {
        exporter: { defaultClusterId: "shared-prod-eu", resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } }, env: [] },
        prometheus: { external: { enabled: false }, internal: { enabled: true, serviceName: "prometheus-server", namespaceName: "monitoring", port: 80, scheme: "http", path: "" } },
        ui: { enabled: false },
        mcp: { enabled: false },
      },
    });
    expect(undeclaredPaths(values)).toEqual([]);
    expect(exports.allocationUrl).toBe("http://opencost.opencost.svc:9003/allocation");
  });

  it("names the chart's fullname in the allocation URL for another release, and installs into an existing namespace", async () => {
    const { resources, values, exports } = await run({ ...inCluster, releaseName: "costs", namespace: "finops", createNamespace: false, ui: true, resources: { exporter: { requests: { memory: "512Mi" } } } });
    expect(ofType(resources, NAMESPACE)).toEqual([]);
    expect(values.opencost.exporter.resources).toEqual({ requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "1Gi" } });
    expect(values.opencost.ui).toEqual({ enabled: true, resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } } });
    expect(undeclaredPaths(values)).toEqual([]);
    expect(exports.allocationUrl).toBe("http://costs-opencost.finops.svc:9003/allocation");
  });

  it("AWS: keys, bearer token and the CUR integration in one Secret the values only name; spot feed in the pricing config", async () => {
    const { resources, values, exports } = await run(aws());
    expect(values.opencost.prometheus).toEqual({
      external: { enabled: true, url: "https://prometheus.example.com/api/prom" },
      internal: { enabled: false },
      existingSecretName: "opencost-credentials",
      username_key: "",
      password_key: "",
      bearer_token_key: "DB_BEARER_TOKEN",
    });
    expect(values.opencost.exporter.env).toEqual([
      { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "opencost-credentials", key: "AWS_ACCESS_KEY_ID" } } },
      { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "opencost-credentials", key: "AWS_SECRET_ACCESS_KEY" } } },
    ]);
    expect(values.opencost.cloudIntegrationSecret).toBe("opencost-credentials");
    expect(values.opencost.cloudCost).toEqual({ enabled: true });
    expect(values.opencost.customPricing).toMatchObject({ enabled: true, provider: "aws", costModel: { projectID: "111122223333", awsSpotDataBucket: "nw-spot-feed", awsSpotDataRegion: "eu-west-1", awsSpotDataPrefix: "spot", CPU: "0.031611", RAM: "0.004237" } });
    expect(values.podLabels).toEqual({ team: "platform", "cost-center": "cc-100", environment: "prod" });
    expect(undeclaredPaths(values)).toEqual([]);

    const data = stringData(resources);
    expect(Object.keys(data).sort()).toEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DB_BEARER_TOKEN", "cloud-integration.json"]);
    expect(data).toMatchObject({ AWS_ACCESS_KEY_ID: credentials.awsKeyId, AWS_SECRET_ACCESS_KEY: credentials.awsSecret, DB_BEARER_TOKEN: credentials.promToken });
    expect(JSON.parse(data["cloud-integration.json"]!)).toEqual({
      aws: [{ athenaBucketName: "s3://nw-athena-results", athenaRegion: "eu-west-1", athenaDatabase: "athenacurcfn_cur", athenaTable: "cur", projectID: "111122223333", serviceKeyName: credentials.awsKeyId, serviceKeySecret: credentials.awsSecret }],
    });
    expect(exports.secret).toEqual({ stringData: true, values: false });
    // No credential anywhere but the Secret: not in the release, not in any name.
    const outside = JSON.stringify(resources.filter((r) => r.type !== SECRET));
    for (const value of Object.values(credentials)) expect(outside).not.toContain(value);
    // Labels on every Kubernetes object the component creates, for auto-tagging to complete rather than replace.
    for (const r of [named(resources, "opencost-namespace"), named(resources, "opencost-credentials")]) expect((r.inputs.metadata as { labels: unknown }).labels).toEqual(aws().labels);
    expect(named(resources, "opencost-credentials").parent).toBe(PARENT);
  });

  it("restarts OpenCost when a credential changes: a checksum of the Secret on the pod template, plain, telling nothing of the values", async () => {
    const checksum = async (args: OpenCostArgs) => ((await run(args)).values.podAnnotations as Record<string, string> | undefined)?.[CREDENTIALS_ANNOTATION];
    const first = await checksum(aws());
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await checksum(aws())).toBe(first);
    // must fail: a rotated key (same id, new secret) must change the pod template, or the pods keep the old one.
    const rotated = await checksum(withCloud(aws, { accessKey: { id: secret(credentials.awsKeyId), secret: secret("aws-secret-rotated") } }));
    expect(rotated).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated).not.toBe(first);
    // Any entry of the Secret counts: a new Prometheus token restarts it too.
    const token = await checksum({ ...aws(), prometheus: { url: "https://prometheus.example.com/api/prom", bearerToken: secret("prom-token-rotated") } });
    expect(token).not.toBe(first);
    expect(token).not.toBe(rotated);
    // Without credentials there is no Secret and nothing to restart for.
    expect((await run(inCluster)).values.podAnnotations).toBeUndefined();
  });

  it("AWS with IRSA: the role on the service account and no key anywhere", async () => {
    const { resources, values } = await run({ ...withCloud(aws, { accessKey: undefined, roleArn: "arn:aws:iam::111122223333:role/opencost" }), prometheus: inCluster.prometheus });
    expect(values.serviceAccount).toEqual({ annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/opencost" } });
    expect(values.opencost.exporter.env).toEqual([]);
    expect(undeclaredPaths(values)).toEqual([]);
    expect(JSON.parse(stringData(resources)["cloud-integration.json"]!).aws[0]).not.toHaveProperty("serviceKeyName");
  });

  it("GCP: the pricing API key from the Secret, the BigQuery export with its service account key", async () => {
    const { resources, values, exports } = await run(gcp());
    expect(values.opencost.exporter.env).toEqual([{ name: "CLOUD_PROVIDER_API_KEY", valueFrom: { secretKeyRef: { name: "opencost-credentials", key: "CLOUD_PROVIDER_API_KEY" } } }]);
    expect(values.opencost).not.toHaveProperty("customPricing");
    expect(values.opencost.cloudIntegrationSecret).toBe("opencost-credentials");
    expect(undeclaredPaths(values)).toEqual([]);
    const data = stringData(resources);
    expect(data.CLOUD_PROVIDER_API_KEY).toBe(credentials.gcpApiKey);
    expect(JSON.parse(data["cloud-integration.json"]!)).toEqual({ gcp: [{ projectID: "nw-billing-admin", billingDataDataset: "allot_billing_export.gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9", key: JSON.parse(credentials.gcpSaKey) }] });
    expect(exports.secret).toEqual({ stringData: true, values: false });
    expect(JSON.stringify(values)).not.toContain(credentials.gcpApiKey);
  });

  it("Azure: the service principal mounted where OpenCost reads it, Rate Card settings in the pricing config, the cost export", async () => {
    const { resources, values, exports } = await run(azure());
    expect(values.extraVolumes).toEqual([{ name: "allot-credentials", secret: { secretName: "opencost-credentials", items: [{ key: "service-key.json", path: "service-key.json" }] } }]);
    expect(values.opencost.exporter.extraVolumeMounts).toEqual([{ name: "allot-credentials", mountPath: "/var/secrets/service-key.json", subPath: "service-key.json", readOnly: true }]);
    expect(values.opencost.customPricing).toMatchObject({ enabled: true, provider: "azure", costModel: { azureSubscriptionID: "6f1d2c3b-8a7e-4d5c-9b0a-1e2f3a4b5c6d", azureBillingRegion: "US", azureOfferDurableID: "MS-AZR-0003P", currencyCode: "USD" } });
    expect(undeclaredPaths(values)).toEqual([]);
    const data = stringData(resources);
    expect(JSON.parse(data["service-key.json"]!)).toEqual({ subscriptionId: "6f1d2c3b-8a7e-4d5c-9b0a-1e2f3a4b5c6d", serviceKey: { appId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", password: credentials.azureSecret, tenant: "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b" } });
    expect(JSON.parse(data["cloud-integration.json"]!)).toEqual({ azure: [{ azureSubscriptionID: "6f1d2c3b-8a7e-4d5c-9b0a-1e2f3a4b5c6d", azureStorageAccount: "nwcostexports", azureStorageAccessKey: credentials.azureStorageKey, azureStorageContainer: "opencost" }] });
    expect(exports.secret).toEqual({ stringData: true, values: false });
  });

  it("matches the golden resource graph for AWS (UPDATE_GOLDEN=1 rewrites it)", async () => {
    const { resources } = await run(aws());
    const sortKeys = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(sortKeys) : value && typeof value === "object" ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])])) : value;
    const text = `${resources.map((r) => JSON.stringify({ type: r.type, name: r.name, parent: r.parent ?? null, inputs: sortKeys(r.inputs) })).join("\n")}\n`;
    const golden = join(__dirname, "golden", "opencost-aws.jsonl");
    if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, "utf8"));
  });

  it.each<[string, () => OpenCostArgs, string]>([
    ["clusterId form", () => ({ ...inCluster, clusterId: "prod cluster" }), "clusterId: expected the cluster's name"],
    ["clusterId placeholder", () => ({ ...inCluster, clusterId: "default-cluster" }), "clusterId: \"default-cluster\" is the chart's placeholder"],
    ["namespace", () => ({ ...inCluster, namespace: "Cost_Ns" }), "namespace: expected a namespace name"],
    ["releaseName", () => ({ ...inCluster, releaseName: "x".repeat(54) }), "releaseName: expected a Helm release name"],
    ["chartVersion", () => ({ ...inCluster, chartVersion: "^2.5.0" }), "chartVersion: expected an exact chart version such as 2.5.17"],
    ["resource quantity", () => ({ ...inCluster, resources: { exporter: { requests: { memory: "256MB" } } } }), "resources.exporter.requests.memory: expected a Kubernetes quantity"],
    ["request above limit", () => ({ ...inCluster, resources: { exporter: { requests: { memory: "2Gi" } } } }), "resources.exporter.requests.memory: request 2Gi is above the limit 1Gi"],
    ["prometheus URL scheme", () => ({ ...inCluster, prometheus: { url: "prometheus:9090" } }), "prometheus.url: expected an http(s) URL"],
    ["prometheus URL credentials", () => ({ ...inCluster, prometheus: { url: "https://admin:hunter2@prometheus.example.com" } }), "prometheus.url: the URL carries credentials"],
    ["prometheus auth twice", () => ({ ...inCluster, prometheus: { url: "https://p.example.com", bearerToken: secret("t"), basicAuth: { username: secret("u"), password: secret("p") } } }), "prometheus.bearerToken: give either bearerToken or basicAuth"],
    ["plain bearer token", () => ({ ...inCluster, prometheus: { url: "https://p.example.com", bearerToken: "t" as unknown as pulumi.Output<string> } }), "prometheus.bearerToken: expected a secret (config.requireSecret(...) or pulumi.secret(...)), got plain text"],
    ["in-cluster service", () => ({ ...inCluster, prometheus: { inCluster: { service: "Prom", namespace: "monitoring", port: 80 } } }), "prometheus.inCluster.service: expected a Service name"],
    ["in-cluster namespace", () => ({ ...inCluster, prometheus: { inCluster: { service: "prom", namespace: "", port: 80 } } }), "prometheus.inCluster.namespace: expected a namespace name"],
    ["in-cluster port", () => ({ ...inCluster, prometheus: { inCluster: { service: "prom", namespace: "monitoring", port: 0 } } }), "prometheus.inCluster.port: expected a port number"],
    ["in-cluster path", () => ({ ...inCluster, prometheus: { inCluster: { service: "prom", namespace: "monitoring", port: 80, path: "prometheus" } } }), "prometheus.inCluster.path: expected an absolute path"],
    ["cloud provider", () => ({ ...inCluster, cloud: { provider: "oci" } as unknown as OpenCostArgs["cloud"] }), "cloud.provider: expected aws, gcp or azure"],
    ["aws accountId", () => withCloud(aws, { accountId: "1111" }), "cloud.accountId: expected a 12-digit AWS account id"],
    ["aws roleArn", () => withCloud(aws, { accessKey: undefined, roleArn: "opencost" }), "cloud.roleArn: expected an IAM role ARN"],
    ["aws role and key", () => withCloud(aws, { roleArn: "arn:aws:iam::111122223333:role/opencost" }), "cloud.accessKey: give either roleArn (IRSA) or an access key"],
    ["aws no access", () => withCloud(aws, { accessKey: undefined }), "cloud.roleArn: the spot data feed and the CUR are read from S3 and Athena"],
    ["aws plain key", () => withCloud(aws, { accessKey: { id: "AKIA", secret: secret("s") } }), "cloud.accessKey.id: expected a secret"],
    ["aws spot bucket", () => withCloud(aws, { spotDataFeed: { bucket: "S", region: "eu-west-1" } }), "cloud.spotDataFeed.bucket: expected an S3 bucket name"],
    ["aws spot region", () => withCloud(aws, { spotDataFeed: { bucket: "nw-spot-feed", region: "europe" } }), "cloud.spotDataFeed.region: expected an AWS region"],
    ["aws athena bucket", () => withCloud(aws, { cur: { athenaResultsBucket: "nw-athena-results", athenaRegion: "eu-west-1", athenaDatabase: "db", athenaTable: "cur" } }), "cloud.cur.athenaResultsBucket: expected the Athena query results location as s3://bucket"],
    ["aws athena region", () => withCloud(aws, { cur: { athenaResultsBucket: "s3://nw-athena-results", athenaRegion: "eu", athenaDatabase: "db", athenaTable: "cur" } }), "cloud.cur.athenaRegion: expected an AWS region"],
    ["aws athena database", () => withCloud(aws, { cur: { athenaResultsBucket: "s3://nw-athena-results", athenaRegion: "eu-west-1", athenaDatabase: "Cur-DB", athenaTable: "cur" } }), "cloud.cur.athenaDatabase: expected an Athena name"],
    ["aws athena table", () => withCloud(aws, { cur: { athenaResultsBucket: "s3://nw-athena-results", athenaRegion: "eu-west-1", athenaDatabase: "db", athenaTable: "" } }), "cloud.cur.athenaTable: expected an Athena name"],
    ["gcp projectId", () => withCloud(gcp, { projectId: "P" }), "cloud.projectId: expected a project id"],
    ["gcp plain API key", () => withCloud(gcp, { apiKey: "AIza" }), "cloud.apiKey: expected a secret"],
    ["gcp table", () => withCloud(gcp, { billingExport: { table: "billing", serviceAccountKey: secret("{}") } }), "cloud.billingExport.table: expected the billing export table as dataset.table"],
    ["gcp plain SA key", () => withCloud(gcp, { billingExport: { table: "d.t", serviceAccountKey: "{}" } }), "cloud.billingExport.serviceAccountKey: expected a secret"],
    ["azure ids", () => withCloud(azure, { tenantId: "contoso" }), "cloud.tenantId: expected a GUID"],
    ["azure offer", () => withCloud(azure, { offerDurableId: "PAYG" }), "cloud.offerDurableId: expected an offer id like MS-AZR-0003P"],
    ["azure region", () => withCloud(azure, { billingRegion: "westeurope" }), "cloud.billingRegion: expected a two-letter billing region"],
    ["azure currency", () => withCloud(azure, { currency: "eur" }), "cloud.currency: expected an ISO 4217 code"],
    ["azure plain secret", () => withCloud(azure, { clientSecret: "s" }), "cloud.clientSecret: expected a secret"],
    ["azure storage account", () => withCloud(azure, { costExport: { storageAccount: "NW", container: "opencost", accessKey: secret("k") } }), "cloud.costExport.storageAccount: expected 3-24 lowercase letters and digits"],
    ["azure container", () => withCloud(azure, { costExport: { storageAccount: "nwcostexports", container: "a--b", accessKey: secret("k") } }), "cloud.costExport.container: expected a blob container name"],
    ["azure plain storage key", () => withCloud(azure, { costExport: { storageAccount: "nwcostexports", container: "opencost", accessKey: "k" } }), "cloud.costExport.accessKey: expected a secret"],
  ])("refuses a bad %s before registering anything", async (_, args, message) => {
    const { resources } = await runUnderMocks(() => {
      expect(() => new OpenCost("opencost", args())).toThrow(`allot:index:OpenCost: ${message}`);
    });
    expect(resources).toEqual([]);
  });

  it("takes a GCP service account key file and nothing else (checked once the secret resolves)", () => {
    expect(parseServiceAccountKey(credentials.gcpSaKey)).toEqual(JSON.parse(credentials.gcpSaKey));
    expect(parseServiceAccountKey('{"type":"authorized_user"}')).toBeUndefined();
    expect(parseServiceAccountKey("AIza-not-json")).toBeUndefined();
  });
});
