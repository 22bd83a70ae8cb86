// The verdict on a Kubernetes object's cost labels, for the policy pack (namespaces and workloads at deploy
// time) and the reports (OpenCost's pods in the bill) alike, so the two cannot judge a cluster differently.
// Two rules live here and nowhere else:
// - A workload's pods carry its pod template's labels over its namespace's: a required key (or one of its
//   aliases) set on the pod stands against the namespace's, other keys are compared as written.
// - `tags.kubernetes.labelsOn` names the objects asked for labels. A workload is judged when it names
//   workloads; a namespace when it names namespaces. A pod in the bill is judged as its workload is, or by
//   its namespace's labels alone when only namespaces are asked; with [] nothing is asked.
import { judgeTags, type TagMode, type TagStandard, type TagValue, type TagVerdict } from "./tags";

type Entries = Iterable<readonly [string, TagValue]>;

/**
 * What is known of a workload's (or pod's) namespace: its labels; `unseen` when the namespace is not among
 * the objects judged (the pack: not in the stack), which counts as a namespace without labels; `unknown`
 * when it cannot be told yet (a resource policy, which sees one object, or a namespace name unknown during
 * preview), which leaves keys the workload lacks undecided rather than missing.
 */
export type NamespaceLabels = { labels: Entries } | "unseen" | "unknown";

export interface KubernetesLabelCase {
  mode: TagMode;
  /** `pod` is a pod in the bill (OpenCost); `workload` the pod template of a Deployment, Job, ... */
  object: "namespace" | "workload" | "pod";
  /** The object's own labels: a namespace's, a workload's pod template's, a pod's. */
  labels: Entries;
  /** The labels as a whole are unknown during preview. */
  unknownLabels?: boolean;
  /** For workloads and pods: their namespace. */
  namespace?: NamespaceLabels;
  /** A Pulumi type token, for `tags.exemptions.resourceTypes`. */
  resourceType?: string | null;
}

/** Labels of `own` over those of `inherited`: a required key and its aliases count as one key. */
export function overlayLabels(standard: TagStandard, own: Entries, inherited: Entries): [string, TagValue][] {
  const keyOf = (raw: string) => {
    const key = raw.trim();
    return standard.required.find((s) => s.key === key || s.aliases.includes(key))?.key ?? key;
  };
  const mine = [...own].map(([k, v]) => [k, v] as [string, TagValue]);
  const held = new Set(mine.map(([k]) => keyOf(k)));
  return [...mine, ...[...inherited].filter(([k]) => !held.has(keyOf(k))).map(([k, v]) => [k, v] as [string, TagValue])];
}

/** The verdict on a Kubernetes object's labels (see the module comment). A verdict `not-applicable` keeps its tags, for ownership. */
export function judgeKubernetesLabels(standard: TagStandard, subject: KubernetesLabelCase): TagVerdict {
  const { labelsOn } = standard;
  const namespace = subject.namespace ?? "unseen";
  const inherited = typeof namespace === "object" ? [...namespace.labels] : [];
  const judge = (entries: Entries, unknownCollection: boolean) =>
    judgeTags(standard, { mode: subject.mode, cloud: "kubernetes", entries, unknownCollection, resourceType: subject.resourceType ?? null });
  const asked = subject.object === "namespace" ? labelsOn.has("namespaces") : subject.object === "workload" ? labelsOn.has("workloads") : labelsOn.size > 0;
  const verdict =
    subject.object === "namespace"
      ? judge(subject.labels, Boolean(subject.unknownLabels))
      : subject.object === "pod" && !labelsOn.has("workloads")
        ? judge(inherited, namespace === "unknown")
        : judge(overlayLabels(standard, subject.labels, inherited), Boolean(subject.unknownLabels) || namespace === "unknown");
  if (asked || verdict.status === "not-applicable") return verdict;
  return { ...verdict, status: "not-applicable", findings: [], unknown: [] };
}
