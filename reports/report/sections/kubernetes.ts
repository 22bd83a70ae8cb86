// Kubernetes: the shared cluster's label compliance from OpenCost's allocation, and how each kubernetes
// rule split its pool of the bill: per owner, workload and idle apart, as nodes of the allocation's one
// rounding (present.ts), so the cells add up to the rule's figures and match --json and --out. Null without --k8s.
import { section } from "../context";

export const kubernetes = section("kubernetes", ({ run }) => {
  if (!run.kubernetes) return null;
  const { presented } = run;
  const key = (tier: "workload" | "idle") => (l: { method: string; tier?: string; rule: string | null; target: string | null; reason?: string }) =>
    l.method === "kubernetes" && (l.tier === "idle") === (tier === "idle") ? JSON.stringify([l.rule, l.target ?? `unallocated: ${l.reason ?? "unallocated"}`]) : null;
  const workload = presented.cut(key("workload"));
  const idle = presented.cut(key("idle"));
  const places = presented.places;
  const split = [...new Set([...workload.keys(), ...idle.keys()])]
    .sort()
    .map((k) => {
      const [rule, party] = JSON.parse(k) as [string, string];
      const [w, d] = [workload.amount(k), idle.amount(k)];
      return { rule, party, workload: w.toFixed(places), idle: d.toFixed(places), total: w.plus(d).toFixed(places) };
    })
    .filter((r) => !(Number(r.workload) === 0 && Number(r.idle) === 0));
  return { ...run.kubernetes, split };
});
