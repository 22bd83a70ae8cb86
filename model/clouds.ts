// What each cloud allows in a tag, and how to tell which cloud a resource or a bill line belongs to.
// Part of the tag standard: the verdict in tags.ts asks `forcesLowerCase`, and the pack checks the limits
// so `pulumi up` does not fail at the provider and a tag reaches the bill as written.

/** A cloud, or Kubernetes, whose labels on namespaces and workloads carry the same cost tags. */
export type Cloud = "aws" | "gcp" | "azure" | "kubernetes";

/** The cloud of a Pulumi type token, or undefined for other providers, components and `pulumi:` types. */
export function cloudOfType(type: string): Cloud | undefined {
  if (type.startsWith("aws:")) return "aws";
  if (type.startsWith("gcp:")) return "gcp";
  if (type.startsWith("azure-native:")) return "azure";
  if (type.startsWith("kubernetes:")) return "kubernetes";
  return undefined;
}

/** The cloud of a bill's ProviderName (FOCUS writes "AWS", "Google Cloud", "Microsoft", ...). */
export function cloudOfProvider(providerName: string | null | undefined): Cloud | undefined {
  const name = (providerName ?? "").trim().toLowerCase();
  if (name === "aws" || name.startsWith("amazon")) return "aws";
  if (name.includes("google") || name === "gcp") return "gcp";
  if (name.includes("microsoft") || name.includes("azure")) return "azure";
  return undefined;
}

/**
 * GCP label values may hold only lower-case letters, so a standard's `CC-1100` arrives as `cc-1100` there;
 * org ids, allowed values and patterns match case-insensitively on such a cloud.
 */
export function forcesLowerCase(cloud: Cloud | undefined): boolean {
  return cloud === "gcp";
}

export interface TagLimitFinding {
  /** The offending key, or "" when the finding is about the tag set as a whole. */
  key: string;
  problem: string;
}

interface CloudLimits {
  maxTags: number;
  key(key: string): string | undefined;
  value(value: string): string | undefined;
}

// AWS: https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html
const AWS_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
// GCP labels: https://cloud.google.com/resource-manager/docs/labels-overview#requirements
const GCP_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const GCP_VALUE = /^[a-z0-9_-]{0,63}$/;
// Azure: https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations
const AZURE_FORBIDDEN = /[<>%&\\?/]/;
// Kubernetes labels: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
// A name (and a value) is at most 63 characters, alphanumeric at both ends, with - _ . between; a key may
// have a DNS-subdomain prefix and a slash. Linear patterns: no nested quantifiers.
const K8S_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const K8S_PREFIX = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;

const limits: Record<Cloud, CloudLimits> = {
  aws: {
    maxTags: 50,
    key: (k) =>
      k.length < 1 || k.length > 128 ? "AWS tag keys are 1 to 128 characters"
      : !AWS_CHARS.test(k) ? "AWS tag keys use letters, digits, spaces and _ . : / = + - @ only"
      : k.toLowerCase().startsWith("aws:") ? "AWS reserves tag keys starting with aws:"
      : undefined,
    value: (v) =>
      v.length > 256 ? "AWS tag values are at most 256 characters"
      : !AWS_CHARS.test(v) ? "AWS tag values use letters, digits, spaces and _ . : / = + - @ only"
      : undefined,
  },
  gcp: {
    maxTags: 64,
    key: (k) => (GCP_KEY.test(k) ? undefined : "GCP label keys start with a lowercase letter and use only a-z, 0-9, _ and -, at most 63 characters"),
    value: (v) => (GCP_VALUE.test(v) ? undefined : "GCP label values use only a-z, 0-9, _ and -, at most 63 characters"),
  },
  azure: {
    maxTags: 50,
    key: (k) =>
      k.length < 1 || k.length > 512 ? "Azure tag names are 1 to 512 characters"
      : AZURE_FORBIDDEN.test(k) ? "Azure tag names cannot contain < > % & \\ ? /"
      : undefined,
    value: (v) => (v.length > 256 ? "Azure tag values are at most 256 characters" : undefined),
  },
  kubernetes: {
    maxTags: Number.POSITIVE_INFINITY,
    key: (k) => {
      const slash = k.lastIndexOf("/");
      const [prefix, name] = slash < 0 ? [undefined, k] : [k.slice(0, slash), k.slice(slash + 1)];
      if (prefix !== undefined && !K8S_PREFIX.test(prefix)) return "Kubernetes label key prefixes are DNS subdomains: lower-case letters, digits, - and ., at most 253 characters";
      return K8S_NAME.test(name) ? undefined : "Kubernetes label names are 1 to 63 characters, letters and digits at both ends, with - _ . between";
    },
    value: (v) => (v === "" || K8S_NAME.test(v) ? undefined : "Kubernetes label values are at most 63 characters, letters and digits at both ends, with - _ . between"),
  },
};

/**
 * The cloud's own limits on a resource's tags: every key and known value, and the count of the tags the
 * resource sets itself (`ownCount`; provider defaults are counted by the provider, not per resource).
 */
export function checkCloudTagLimits(cloud: Cloud, tags: Iterable<readonly [string, string | undefined]>, ownCount: number): TagLimitFinding[] {
  const rules = limits[cloud];
  const findings: TagLimitFinding[] = [];
  if (ownCount > rules.maxTags) findings.push({ key: "", problem: `${ownCount} tags; ${cloud.toUpperCase()} allows at most ${rules.maxTags} per resource` });
  for (const [key, value] of tags) {
    const keyProblem = rules.key(key);
    if (keyProblem) findings.push({ key, problem: keyProblem });
    if (value !== undefined) {
      const valueProblem = rules.value(value);
      if (valueProblem) findings.push({ key, problem: valueProblem });
    }
  }
  return findings;
}

/** A value written the way the cloud stores it: GCP labels take a-z, 0-9, _ and -, at most 63 characters. */
export function asCloudTagValue(cloud: Cloud, text: string): string {
  if (cloud === "gcp") return text.trim().toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
  // Kubernetes label values: letters and digits at both ends, - _ . between, at most 63 characters.
  if (cloud === "kubernetes") return text.trim().replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return text;
}
