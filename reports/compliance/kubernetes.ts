// Compliance of a shared cluster's labels: the share of the cluster's workload cost (OpenCost's shares)
// whose pods carry every required tag as a valid label, a pod's own labels over its namespace's. The same
// verdict judges them as the bill's tags (cloud kubernetes: case kept). Idle capacity and cost without a
// namespace are shown beside the measure, never inside it.
import { COMPLIANCE_PLACES, judgeKubernetesLabels, percentOf, type CostModel, type TagVerdict } from "../../model";
import { problemText } from "../attribute/tag-sets";
import { Decimal } from "../money";
import type { KubernetesAllocation, OpenCostData } from "../read/opencost";
import { Totals } from "../totals";

export interface KubernetesCompliance {
  month: string;
  /** OpenCost's cost of the month's workloads (list prices): the base of the measure. */
  workloadCost: string;
  compliantCost: string;
  compliancePct: number | null;
  idleCost: string;
  unallocatedCost: string;
  byNamespace: { cluster: string | null; namespace: string; cost: string; compliantCost: string; compliancePct: number | null; problems: string[] }[];
}

const pct = (part: Decimal, whole: Decimal) => percentOf(part, whole, COMPLIANCE_PLACES);

const known = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([k, v]) => [k, { state: "known", value: v }] as const);

/**
 * The verdict on a pod's labels, its own over its namespace's and as `tags.kubernetes.labelsOn` asks: the
 * model's `judgeKubernetesLabels`, the one the policy pack judges workloads and namespaces with. Cached per
 * distinct label set: compliance and the cluster split both ask.
 */
export function labelVerdicts(model: CostModel): (a: Pick<KubernetesAllocation, "labels" | "namespaceLabels">) => TagVerdict {
  const verdicts = new Map<string, TagVerdict>();
  return (a) => {
    const key = JSON.stringify([a.labels, a.namespaceLabels]);
    let verdict = verdicts.get(key);
    if (!verdict) verdicts.set(key, (verdict = judgeKubernetesLabels(model.tags, { mode: "bill", object: "pod", labels: known(a.labels), namespace: { labels: known(a.namespaceLabels) } })));
    return verdict;
  };
}

export function measureKubernetesCompliance(model: CostModel, data: OpenCostData, month: string): KubernetesCompliance {
  const verdictOf = labelVerdicts(model);
  const inMonth = data.allocations.filter((a) => a.month === month);
  const byKind = Totals.of(inMonth, (a) => a.kind, (a) => a.cost);
  const namespaces = new Map<string, { cluster: string | null; namespace: string; cost: Decimal; compliant: Decimal; problems: Set<string> }>();
  let compliant = new Decimal(0);
  let measured = new Decimal(0);
  for (const a of inMonth) {
    if (a.kind !== "workload") continue;
    const verdict = verdictOf(a);
    // labelsOn: [] asks no labels of Kubernetes: its cost is outside the measure, as exempt cloud cost is.
    if (verdict.status === "not-applicable") continue;
    measured = measured.plus(a.cost);
    const ok = verdict.status === "compliant";
    if (ok) compliant = compliant.plus(a.cost);
    const key = JSON.stringify([a.cluster, a.namespace]);
    const entry = namespaces.get(key) ?? { cluster: a.cluster, namespace: a.namespace ?? "", cost: new Decimal(0), compliant: new Decimal(0), problems: new Set<string>() };
    entry.cost = entry.cost.plus(a.cost);
    if (ok) entry.compliant = entry.compliant.plus(a.cost);
    for (const f of verdict.findings) entry.problems.add(problemText(f));
    namespaces.set(key, entry);
  }
  const workload = byKind.amount("workload");
  return {
    month,
    workloadCost: workload.toFixed(),
    compliantCost: compliant.toFixed(),
    compliancePct: pct(compliant, measured),
    idleCost: byKind.amount("idle").toFixed(),
    unallocatedCost: byKind.amount("unallocated").toFixed(),
    byNamespace: [...namespaces.values()]
      .sort((a, b) => b.cost.comparedTo(a.cost) || a.namespace.localeCompare(b.namespace))
      .map((n) => ({ cluster: n.cluster, namespace: n.namespace, cost: n.cost.toFixed(), compliantCost: n.compliant.toFixed(), compliancePct: pct(n.compliant, n.cost), problems: [...n.problems].sort() })),
  };
}

/**
 * The headline share of the cluster's workload cost with valid labels, as the terminal and the report say
 * it: without a share, whether there was no workload cost or no labels were asked of Kubernetes.
 */
export function kubernetesShare(k: Pick<KubernetesCompliance, "compliancePct" | "workloadCost">, format: (pct: number) => string): string {
  if (k.compliancePct !== null) return format(k.compliancePct);
  return new Decimal(k.workloadCost).isZero() ? "no workload cost (n/a)" : "n/a (tags.kubernetes.labelsOn is [])";
}
