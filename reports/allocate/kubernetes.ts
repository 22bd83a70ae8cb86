// The `kubernetes` method: a shared cluster's pool in the bill split by OpenCost's cost shares. The bill is
// the amount; OpenCost's list-price totals only give the shares, so nothing is counted twice. Workload cost
// goes to the owner its pods' labels name (a pod's own over its namespace's, by the model's owner keys and
// verdict), else the owner the rule's namespace map names, else stays unallocated with the namespace named.
// Idle capacity is its own part of the pool, split by the rule's declared method as explicit lines.
import { Decimal } from "../money";
import { ownerResolver, UserError, type AllocationRuleInput, type CostModel } from "../../model";
import { labelVerdicts } from "../compliance/kubernetes";
import type { OpenCostData } from "../read/opencost";

type KubernetesRule = Extract<AllocationRuleInput, { method: "kubernetes" }>;

export interface ClusterShares {
  /** OpenCost's workload cost per owner; keys from `unallocatedKey` stand for cost without an owner. */
  workload: Map<string, Decimal>;
  /** Idle capacity's split by the rule's method; empty when the cluster had no idle cost. */
  idle: Map<string, Decimal>;
  workloadTotal: Decimal;
  idleTotal: Decimal;
}

/**
 * The shares of a cluster pool in a month, or null when OpenCost's files have none for it. `unallocatedKey(reason)` builds the engine's key for an
 * unallocated share, so the engine's split carries the reason on the line.
 */
export function clusterShares(model: CostModel, data: OpenCostData | undefined, rule: string, method: KubernetesRule, month: string, unallocatedKey: (reason: string) => string): ClusterShares | null {
  if (!data) throw new UserError(`allocation rule "${rule}": method kubernetes needs OpenCost's allocation; pass --k8s with its /allocation responses or CSV export`);
  const inMonth = data.allocations.filter((a) => a.month === month && (method.cluster === undefined || a.cluster === method.cluster));
  // A month OpenCost's files do not cover (an earlier month of the report's trend, say) leaves the pool
  // unallocated with that reason, rather than guessing shares or failing the month that is covered.
  if (inMonth.length === 0) return null;
  const owner = ownerResolver(model);
  const verdictOf = labelVerdicts(model);
  const zero = new Decimal(0);
  const add = (map: Map<string, Decimal>, key: string, amount: Decimal) => map.set(key, (map.get(key) ?? zero).plus(amount));
  const workload = new Map<string, Decimal>();
  let idleTotal = zero;
  for (const a of inMonth) {
    const cost = new Decimal(a.cost.toString());
    if (a.kind === "idle") {
      idleTotal = idleTotal.plus(cost);
      continue;
    }
    if (a.kind === "unallocated") {
      add(workload, unallocatedKey("OpenCost: cluster cost without a namespace"), cost);
      continue;
    }
    const found = owner(verdictOf(a).tags, "kubernetes", "Usage");
    const mapped = "team" in found ? found.team : a.namespace !== null ? method.namespaces?.[a.namespace] : undefined;
    const why = Object.keys(a.labels).length + Object.keys(a.namespaceLabels).length === 0 ? "no labels" : "reason" in found ? found.reason : "no owner";
    add(workload, mapped ?? unallocatedKey(`namespace ${JSON.stringify(a.namespace)}: ${why}; label its pods or namespace, or map it in the rule's namespaces`), cost);
  }
  const workloadTotal = [...workload.values()].reduce((s, v) => s.plus(v), zero);
  const owners = [...workload].filter(([k, v]) => !k.startsWith(unallocatedKey("")) && !v.isZero());
  const idle = new Map<string, Decimal>();
  if (!idleTotal.isZero()) {
    const how = method.idle ?? "proportional";
    if (typeof how === "object") idle.set(how.to, new Decimal(1));
    else if (owners.length === 0) idle.set(unallocatedKey("idle capacity: no workload in the cluster has an owner to share it"), new Decimal(1));
    else for (const [k, v] of owners) idle.set(k, how === "even" ? new Decimal(1) : v);
  }
  return { workload, idle, workloadTotal, idleTotal };
}
