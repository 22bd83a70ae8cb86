// Compliance of a shared cluster's labels: the share of the cluster's workload cost (OpenCost's shares)
// whose pods carry every required tag as a valid label, a pod's own labels over its namespace's. The same
// verdict judges them as the bill's tags (cloud kubernetes: case kept). Idle capacity and cost without a
// namespace are shown beside the measure, never inside it.
import { judgeTags, percentOf, type CostModel, type TagStandard, type TagVerdict } from "../../model";
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

const pct = (part: Decimal, whole: Decimal) => percentOf(part, whole, 2);

/**
 * The labels a pod's cost is judged by: its own, then its namespace's for keys it lacks. A required key
 * and its aliases count as one key (a pod's `Team` stands against its namespace's `team`); other keys are
 * compared as written, as Kubernetes compares them.
 */
export function effectiveLabels(standard: TagStandard, a: Pick<KubernetesAllocation, "labels" | "namespaceLabels">): [string, string][] {
  const keyOf = (raw: string) => {
    const key = raw.trim();
    return standard.required.find((s) => s.key === key || s.aliases.includes(key))?.key ?? key;
  };
  const own = Object.entries(a.labels);
  const held = new Set(own.map(([k]) => keyOf(k)));
  return [...own, ...Object.entries(a.namespaceLabels).filter(([k]) => !held.has(keyOf(k)))];
}

/** The verdict on a pod's labels (effectiveLabels), once per distinct set: compliance and the cluster split both ask. */
export function labelVerdicts(model: CostModel): (a: Pick<KubernetesAllocation, "labels" | "namespaceLabels">) => TagVerdict {
  const verdicts = new Map<string, TagVerdict>();
  return (a) => {
    const entries = effectiveLabels(model.tags, a);
    const key = JSON.stringify(entries);
    let verdict = verdicts.get(key);
    if (!verdict) verdicts.set(key, (verdict = judgeTags(model.tags, { mode: "bill", cloud: "kubernetes", entries: entries.map(([k, v]) => [k, { state: "known", value: v }] as const) })));
    return verdict;
  };
}

export function measureKubernetesCompliance(model: CostModel, data: OpenCostData, month: string): KubernetesCompliance {
  const verdictOf = labelVerdicts(model);
  const inMonth = data.allocations.filter((a) => a.month === month);
  const byKind = Totals.of(inMonth, (a) => a.kind, (a) => a.cost);
  const namespaces = new Map<string, { cluster: string | null; namespace: string; cost: Decimal; compliant: Decimal; problems: Set<string> }>();
  let compliant = new Decimal(0);
  for (const a of inMonth) {
    if (a.kind !== "workload") continue;
    const verdict = verdictOf(a);
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
    compliancePct: pct(compliant, workload),
    idleCost: byKind.amount("idle").toFixed(),
    unallocatedCost: byKind.amount("unallocated").toFixed(),
    byNamespace: [...namespaces.values()]
      .sort((a, b) => b.cost.comparedTo(a.cost) || a.namespace.localeCompare(b.namespace))
      .map((n) => ({ cluster: n.cluster, namespace: n.namespace, cost: n.cost.toFixed(), compliantCost: n.compliant.toFixed(), compliancePct: pct(n.compliant, n.cost), problems: [...n.problems].sort() })),
  };
}
