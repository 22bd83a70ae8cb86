// Kubernetes: the shared cluster's label compliance from OpenCost's allocation, and how each kubernetes
// rule split its pool of the bill: per owner, workload and idle apart, rounded for display by largest
// remainder so the rows add up to the pool. Null without --k8s.
import { roundLargestRemainder } from "../../money";
import { Totals } from "../../totals";
import { section } from "../context";

export const kubernetes = section("kubernetes", ({ run, current }) => {
  if (!run.kubernetes) return null;
  const lines = current.lines.filter((l) => l.method === "kubernetes");
  const owner = (target: string | null, reason: string | undefined) => target ?? `unallocated: ${reason ?? "unallocated"}`;
  const workload = Totals.of(lines.filter((l) => l.tier !== "idle"), (l) => JSON.stringify([l.rule, owner(l.target, l.reason)]), (l) => l.amount);
  const idle = Totals.of(lines.filter((l) => l.tier === "idle"), (l) => JSON.stringify([l.rule, owner(l.target, l.reason)]), (l) => l.amount);
  const keys = [...new Set([...workload.keys(), ...idle.keys()])].sort();
  const shown = roundLargestRemainder(keys.flatMap((k) => [workload.amount(k), idle.amount(k)]), 2);
  const split = keys
    .map((k, i) => {
      const [rule, party] = JSON.parse(k) as [string, string];
      const [w, d] = [shown[2 * i]!, shown[2 * i + 1]!];
      return { rule, party, workload: w.toFixed(2), idle: d.toFixed(2), total: w.plus(d).toFixed(2) };
    })
    .filter((r) => r.workload !== "0.00" || r.idle !== "0.00");
  return { ...run.kubernetes, split };
});
