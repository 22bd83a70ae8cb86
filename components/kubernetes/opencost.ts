// OpenCost on a shared cluster, so its bill can be split by namespace and label: the opencost Helm chart
// with a Prometheus to read, the cluster id allot's reports key on, and the cloud's pricing integration.
// Every credential lives in one Kubernetes Secret the chart values only name; the values stay plain.
import { scryptSync } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ComponentInputError } from "../spec";
import { cloudPricing, credential, type Credential, type OpenCostCloud } from "./opencost-cloud";

const TYPE = "allot:index:OpenCost";

/**
 * The chart release pinned by default: opencost 2.5.17 (OpenCost 1.120.1), tag opencost-2.5.17 of
 * github.com/opencost/opencost-helm-chart. Every value path below was read in that tag's values.yaml and
 * templates (deployment.yaml, secret.yaml, _helpers.tpl).
 */
export const OPENCOST_CHART = { repo: "https://opencost.github.io/opencost-helm-chart", chart: "opencost", version: "2.5.17" } as const;
/** The pod annotation that changes with the credentials (credentialsChecksum). */
export const CREDENTIALS_ANNOTATION = "allot.dev/credentials-checksum";

/**
 * A checksum of the Secret's entries, plain (not secret) so the chart values stay readable in a preview:
 * scrypt with the release as salt, so it tells nothing of a short password but that it changed.
 */
function credentialsChecksum(secretData: Record<string, pulumi.Output<string>>, release: string): pulumi.Output<string> {
  return pulumi.unsecret(
    pulumi.all(secretData).apply((data) => {
      const entries = Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return scryptSync(JSON.stringify(entries), `allot-opencost:${release}`, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString("hex");
    }),
  );
}

/** The chart's opencost.exporter.apiPort: the port of the API that serves /allocation. */
const API_PORT = 9003;
/** The chart's opencost.exporter.defaultClusterId: left in place, every cluster reports as the same one. */
const CHART_DEFAULT_CLUSTER_ID = "default-cluster";

/** Kubernetes requests and limits for one container. */
export interface ContainerResources {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

/**
 * Requests sized for a cluster of a few hundred pods; memory grows with pods and the query window, so
 * the limit leaves headroom. No CPU limit: a throttled cost model times out its Prometheus queries.
 */
export const DEFAULT_RESOURCES: Required<Record<"exporter" | "ui", ContainerResources>> = {
  exporter: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
  ui: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
};

/** A Prometheus outside the cluster (or reached by URL), with its credentials if it needs any. */
export interface ExternalPrometheus {
  url: string;
  bearerToken?: Credential;
  basicAuth?: { username: Credential; password: Credential };
}

/** A Prometheus service in the cluster. The chart bundles none: it expects one to exist. */
export interface InClusterPrometheus {
  inCluster: { service: string; namespace: string; port: number; scheme?: "http" | "https"; path?: string };
}

export interface OpenCostArgs {
  /**
   * The cluster's id in OpenCost's allocations (`properties.cluster`) and the `cluster_id` it reports;
   * allot splits the shared cluster's bill by it, so each cluster needs its own. Letters, digits, `-`,
   * `_` and `.`, up to 100 characters (EKS, GKE and AKS cluster names all fit).
   */
  clusterId: string;
  prometheus: ExternalPrometheus | InClusterPrometheus;
  /** The cloud's pricing integration; none prices nodes at OpenCost's defaults. */
  cloud?: OpenCostCloud;
  /** The namespace to install into: created unless `createNamespace` is false. Default "opencost". */
  namespace?: string;
  createNamespace?: boolean;
  /** The Helm release name (a DNS label, at most 53 characters). Default "opencost". */
  releaseName?: string;
  /** The chart version; default OPENCOST_CHART.version. */
  chartVersion?: string;
  /** The OpenCost UI container. Default false: allot reads the API. */
  ui?: boolean;
  /** Overrides DEFAULT_RESOURCES, per container and per field. */
  resources?: { exporter?: ContainerResources; ui?: ContainerResources };
  /** Labels for the Namespace, the Secret and OpenCost's pod (cost labels: OpenCost's own cost has an owner). */
  labels?: Record<string, string>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^(\d+(\.\d+)?)(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;
const UNIT: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** A Kubernetes quantity's value, or an error naming the field. */
function quantity(field: string, value: string): number {
  const m = QUANTITY.exec(value);
  if (!m) throw new ComponentInputError(TYPE, field, `expected a Kubernetes quantity such as 100m or 256Mi, got ${JSON.stringify(value)}`);
  return Number(m[1]) * UNIT[m[3] ?? ""]!;
}

/** Defaults overlaid with the caller's fields, each quantity checked and no request above its limit. */
function containerResources(container: "exporter" | "ui", given: ContainerResources | undefined): ContainerResources {
  const requests = { ...DEFAULT_RESOURCES[container].requests, ...given?.requests };
  const limits = { ...DEFAULT_RESOURCES[container].limits, ...given?.limits };
  for (const resource of ["cpu", "memory"] as const) {
    const request = requests[resource] === undefined ? undefined : quantity(`resources.${container}.requests.${resource}`, requests[resource]);
    const limit = limits[resource] === undefined ? undefined : quantity(`resources.${container}.limits.${resource}`, limits[resource]);
    if (request !== undefined && limit !== undefined && request > limit) throw new ComponentInputError(TYPE, `resources.${container}.requests.${resource}`, `request ${requests[resource]} is above the limit ${limits[resource]}`);
  }
  return { requests, limits };
}

/** The chart's opencost.prometheus values and the Prometheus credentials for the Secret. */
function prometheusValues(prometheus: OpenCostArgs["prometheus"] | undefined, secretName: string): { values: Record<string, unknown>; secretData: Record<string, pulumi.Output<string>> } {
  if (prometheus && "inCluster" in prometheus) {
    const p = prometheus.inCluster;
    if (!DNS_LABEL.test(p?.service ?? "")) throw new ComponentInputError(TYPE, "prometheus.inCluster.service", `expected a Service name, got ${JSON.stringify(p?.service)}`);
    if (!DNS_LABEL.test(p.namespace ?? "")) throw new ComponentInputError(TYPE, "prometheus.inCluster.namespace", `expected a namespace name, got ${JSON.stringify(p.namespace)}`);
    if (!(Number.isInteger(p.port) && p.port > 0 && p.port < 65536)) throw new ComponentInputError(TYPE, "prometheus.inCluster.port", `expected a port number, got ${JSON.stringify(p.port)}`);
    if (p.path !== undefined && !/^\/[\w./-]*$/.test(p.path)) throw new ComponentInputError(TYPE, "prometheus.inCluster.path", `expected an absolute path such as /prometheus, got ${JSON.stringify(p.path)}`);
    // _helpers.tpl opencost.prometheusServerEndpoint: scheme://serviceName.namespaceName.svc.<clusterName>:port path.
    return {
      values: { external: { enabled: false }, internal: { enabled: true, serviceName: p.service, namespaceName: p.namespace, port: p.port, scheme: p.scheme ?? "http", path: p.path ?? "" } },
      secretData: {},
    };
  }
  let url: URL | undefined;
  try {
    url = new URL(prometheus?.url ?? "");
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) throw new ComponentInputError(TYPE, "prometheus.url", `expected an http(s) URL of the Prometheus API, got ${JSON.stringify(prometheus?.url)}; or give prometheus.inCluster`);
  if (url.username || url.password) throw new ComponentInputError(TYPE, "prometheus.url", "the URL carries credentials, which would land in plain Helm values; give prometheus.basicAuth or bearerToken as secrets");
  const p = prometheus as ExternalPrometheus;
  if (p.bearerToken !== undefined && p.basicAuth !== undefined) throw new ComponentInputError(TYPE, "prometheus.bearerToken", "give either bearerToken or basicAuth, not both");
  const external = { external: { enabled: true, url: p.url }, internal: { enabled: false } };
  // deployment.yaml reads DB_BASIC_AUTH_USERNAME / DB_BASIC_AUTH_PW from existingSecretName under
  // username_key / password_key, and DB_BEARER_TOKEN under bearer_token_key only when password_key is empty.
  if (p.basicAuth) {
    return {
      values: { ...external, existingSecretName: secretName, username_key: "DB_BASIC_AUTH_USERNAME", password_key: "DB_BASIC_AUTH_PW" },
      secretData: { DB_BASIC_AUTH_USERNAME: credential(TYPE, "prometheus.basicAuth.username", p.basicAuth.username), DB_BASIC_AUTH_PW: credential(TYPE, "prometheus.basicAuth.password", p.basicAuth.password) },
    };
  }
  if (p.bearerToken !== undefined) {
    return {
      values: { ...external, existingSecretName: secretName, username_key: "", password_key: "", bearer_token_key: "DB_BEARER_TOKEN" },
      secretData: { DB_BEARER_TOKEN: credential(TYPE, "prometheus.bearerToken", p.bearerToken) },
    };
  }
  return { values: external, secretData: {} };
}

/**
 * OpenCost from its Helm chart, e.g.
 * `new OpenCost("opencost", { clusterId: "prod-eu", prometheus: { inCluster: { service: "prometheus-server", namespace: "monitoring", port: 80 } } })`.
 *
 * A `helm.v3.Release` rather than a `helm.v3.Chart`: Helm keeps the release (history, rollback, hooks) and
 * runs the chart's own checks (its `fail`s on conflicting Prometheus modes and secrets); the values are one
 * input, so a preview shows exactly which value changes, and the Release is what the tests inspect.
 */
export class OpenCost extends pulumi.ComponentResource {
  /** The in-cluster URL of OpenCost's allocation API, which allot reads (`?window=...&aggregate=...`). */
  readonly allocationUrl: pulumi.Output<string>;
  readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: OpenCostArgs, opts?: pulumi.ComponentResourceOptions) {
    const clusterId = args.clusterId;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(clusterId ?? "")) throw new ComponentInputError(TYPE, "clusterId", `expected the cluster's name (letters, digits, -, _ or ., up to 100), got ${JSON.stringify(clusterId)}`);
    if (clusterId === CHART_DEFAULT_CLUSTER_ID) throw new ComponentInputError(TYPE, "clusterId", `"${CHART_DEFAULT_CLUSTER_ID}" is the chart's placeholder; every cluster needs its own id, or their costs merge`);
    const namespace = args.namespace ?? "opencost";
    if (!DNS_LABEL.test(namespace) || namespace.length > 63) throw new ComponentInputError(TYPE, "namespace", `expected a namespace name (a DNS label), got ${JSON.stringify(namespace)}`);
    const releaseName = args.releaseName ?? "opencost";
    if (!DNS_LABEL.test(releaseName) || releaseName.length > 53) throw new ComponentInputError(TYPE, "releaseName", `expected a Helm release name (a DNS label of at most 53 characters), got ${JSON.stringify(releaseName)}`);
    const version = args.chartVersion ?? OPENCOST_CHART.version;
    if (!/^\d+\.\d+\.\d+$/.test(version)) throw new ComponentInputError(TYPE, "chartVersion", `expected an exact chart version such as ${OPENCOST_CHART.version}, got ${JSON.stringify(version)}; ranges would upgrade OpenCost unreviewed`);
    const ui = args.ui ?? false;
    const exporterResources = containerResources("exporter", args.resources?.exporter);
    const uiResources = ui ? containerResources("ui", args.resources?.ui) : undefined;
    const secretName = `${releaseName}-credentials`;
    const prometheus = prometheusValues(args.prometheus, secretName);
    const cloud = cloudPricing(TYPE, args.cloud);
    super(TYPE, name, {}, opts);

    const labels = { ...args.labels };
    const ns = args.createNamespace === false ? undefined : new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: namespace, labels: { ...labels } } }, { parent: this });
    const secretData: Record<string, pulumi.Output<string>> = { ...prometheus.secretData, ...cloud.secretData };
    if (cloud.integration) secretData["cloud-integration.json"] = cloud.integration;
    const secret = Object.keys(secretData).length === 0 ? undefined : new k8s.core.v1.Secret(`${name}-credentials`, {
      metadata: { name: secretName, namespace, labels: { ...labels } },
      type: "Opaque",
      stringData: pulumi.secret(pulumi.all(secretData)),
    }, { parent: this, dependsOn: ns ? [ns] : [] });

    // The chart's fullname: the release name when it contains "opencost", else "<release>-opencost" (_helpers.tpl).
    const fullname = releaseName.includes(OPENCOST_CHART.chart) ? releaseName : `${releaseName}-${OPENCOST_CHART.chart}`.slice(0, 63).replace(/-+$/, "");
    const files = Object.entries(cloud.files);
    const values = {
      ...(cloud.serviceAccountAnnotations ? { serviceAccount: { annotations: cloud.serviceAccountAnnotations } } : {}),
      podLabels: labels,
      // OpenCost reads its credentials once, at start: a new one changes this annotation, so the pods restart.
      ...(secret ? { podAnnotations: { [CREDENTIALS_ANNOTATION]: credentialsChecksum(secretData, `${namespace}/${releaseName}`) } } : {}),
      ...(files.length ? { extraVolumes: [{ name: "allot-credentials", secret: { secretName, items: files.map(([key]) => ({ key, path: key })) } }] } : {}),
      opencost: {
        exporter: {
          defaultClusterId: clusterId,
          resources: exporterResources,
          // `env` is rendered as-is into the container: the variables the chart would fill from plain values
          // (cloudProviderApiKey, aws.access_key_id) read from the component's Secret instead.
          env: cloud.env.map((variable) => ({ name: variable, valueFrom: { secretKeyRef: { name: secretName, key: variable } } })),
          ...(files.length ? { extraVolumeMounts: files.map(([key, path]) => ({ name: "allot-credentials", mountPath: path, subPath: key, readOnly: true })) } : {}),
        },
        prometheus: prometheus.values,
        // An existing Secret holding cloud-integration.json; the chart mounts it at /var/configs.
        ...(cloud.integration ? { cloudIntegrationSecret: secretName, cloudCost: { enabled: true } } : {}),
        ...(cloud.customPricing ? { customPricing: { enabled: true, ...cloud.customPricing } } : {}),
        ui: { enabled: ui, ...(uiResources ? { resources: uiResources } : {}) },
        // The chart turns on its MCP server (cost data for AI agents) by default; allot reads the API only.
        mcp: { enabled: false },
      },
    };
    const release = new k8s.helm.v3.Release(`${name}-release`, {
      name: releaseName,
      chart: OPENCOST_CHART.chart,
      version,
      repositoryOpts: { repo: OPENCOST_CHART.repo },
      namespace,
      createNamespace: false,
      maxHistory: 10,
      values,
    }, { parent: this, dependsOn: [...(ns ? [ns] : []), ...(secret ? [secret] : [])] });

    this.namespace = release.namespace;
    this.allocationUrl = pulumi.interpolate`http://${fullname}.${this.namespace}.svc:${API_PORT}/allocation`;
    this.registerOutputs({ allocationUrl: this.allocationUrl, namespace: this.namespace });
  }
}
