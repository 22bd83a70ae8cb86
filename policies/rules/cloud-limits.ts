// Rule: every tag, required or not, fits the cloud's own limits, so `pulumi up` does not fail at the
// provider and the tag reaches the bill as written.
import type { Cloud, EffectiveTags } from "../effective-tags";

export interface LimitFinding {
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
};

export function checkCloudLimits(tags: EffectiveTags): LimitFinding[] {
  const rules = limits[tags.cloud];
  const findings: LimitFinding[] = [];
  const own = [...tags.tags].filter(([, v]) => !v.fromProvider);
  if (own.length > rules.maxTags) findings.push({ key: "", problem: `${own.length} tags; ${tags.cloud.toUpperCase()} allows at most ${rules.maxTags} per resource` });
  for (const [key, value] of tags.tags) {
    const keyProblem = rules.key(key);
    if (keyProblem) findings.push({ key, problem: keyProblem });
    if (value.state === "known") {
      const valueProblem = rules.value(value.value);
      if (valueProblem) findings.push({ key, problem: valueProblem });
    }
  }
  return findings;
}
