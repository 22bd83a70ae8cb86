// The kubernetes method: a cluster's pool in the bill split by OpenCost's shares, idle capacity as explicit
// lines split by the declared method. Worked examples recomputed by hand; conservation and filter
// stability as properties.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCostModel, UserError } from "../../model";
import { AllocationEngine, totalsByTarget, type AllocationLine } from "../../reports/allocate/engine";
import { Decimal } from "../../reports/money";
import type { ChargeRow } from "../../reports/read/charges";
import { noMetrics } from "../../reports/read/metrics";
import type { KubernetesAllocation, OpenCostData } from "../../reports/read/opencost";

function model(rule: string) {
  return parseCostModel(`
currency: USD
tags:
  required:
    - { key: team, values: org.teams }
org:
  units:
    - id: shop
      teams:
        - { id: web, owner: web@x.co, costCenter: CC-1, budget: 1000 }
        - { id: api, owner: api@x.co, costCenter: CC-2, budget: 1000 }
    - id: core
      teams:
        - { id: data, owner: data@x.co, costCenter: CC-3, budget: 1000 }
        - { id: ml, owner: ml@x.co, costCenter: CC-4, budget: 1000 }
        - { id: platform, owner: p@x.co, costCenter: CC-5, budget: 1000 }
allocation:
  rules:
    - name: cluster
      match: { tags: { cost-pool: k8s } }
      method: kubernetes
${rule}`);
}

const alloc = (namespace: string | null, cost: string, labels: Record<string, string> = {}, kind: KubernetesAllocation["kind"] = "workload", cluster = "prod", namespaceLabels: Record<string, string> = {}): KubernetesAllocation => ({
  day: "2026-10-01", month: "2026-10", cluster, namespace, controllerKind: "deployment", controller: namespace, kind, labels, namespaceLabels, cost: new Decimal(cost), records: 1,
});
const openCost = (allocations: KubernetesAllocation[]): OpenCostData => ({ files: ["opencost.json"], allocations });
let next = 0;
const pool = (cost: string, fields: Partial<ChargeRow> = {}): ChargeRow => ({
  month: "2026-10", provider: "AWS", account: "111", service: "Amazon EC2", serviceCategory: "Compute", region: "us-east-1", chargeCategory: "Usage",
  resourceType: null, resourceId: `node-${next++}`, tags: JSON.stringify({ "cost-pool": "k8s" }), tagsFormat: "focus", cost: new Decimal(cost), rows: 1, ...fields,
});
const Exact = Decimal.clone({ precision: 60 });
const byTarget = (lines: AllocationLine[], tier?: string) => Object.fromEntries([...totalsByTarget(lines.filter((l) => tier === undefined || l.tier === tier))].map(([t, v]) => [t, v.toFixed(2)]));

// The worked example: a $10,000 cluster; OpenCost (list prices, so not the bill's amounts) sees four
// namespaces using 3,200 / 2,400 / 1,600 / 800 and 2,000 idle: 20% of its 10,000.
const FOUR = [
  alloc("web", "3200", { team: "web" }), alloc("api", "2400", {}, "workload", "prod", { team: "api" }), alloc("data", "1600", { team: "data" }), alloc("ml", "800", { team: "ml" }),
  alloc(null, "2000", {}, "idle"),
];

describe("worked examples: a $10,000 cluster, four namespaces, 20% idle split three ways", () => {
  it("idle proportional to workload cost (the default)", () => {
    const result = new AllocationEngine(model(""), noMetrics, undefined, openCost(FOUR)).allocate([pool("10000")]);
    expect(byTarget(result.lines, "workload")).toEqual({ web: "3200.00", api: "2400.00", data: "1600.00", ml: "800.00" });
    expect(byTarget(result.lines, "idle")).toEqual({ web: "800.00", api: "600.00", data: "400.00", ml: "200.00" });
    expect(byTarget(result.lines)).toEqual({ web: "4000.00", api: "3000.00", data: "2000.00", ml: "1000.00" });
    expect(result.unallocated.isZero()).toBe(true);
  });

  it("idle even over the owners", () => {
    const result = new AllocationEngine(model("      idle: even"), noMetrics, undefined, openCost(FOUR)).allocate([pool("10000")]);
    expect(byTarget(result.lines, "idle")).toEqual({ web: "500.00", api: "500.00", data: "500.00", ml: "500.00" });
    expect(byTarget(result.lines)).toEqual({ web: "3700.00", api: "2900.00", data: "2100.00", ml: "1300.00" });
  });

  it("idle to the platform team", () => {
    const result = new AllocationEngine(model("      idle: { to: platform }"), noMetrics, undefined, openCost(FOUR)).allocate([pool("10000")]);
    expect(byTarget(result.lines, "idle")).toEqual({ platform: "2000.00" });
    expect(byTarget(result.lines)).toEqual({ web: "3200.00", api: "2400.00", data: "1600.00", ml: "800.00", platform: "2000.00" });
  });

  it("OpenCost's list prices only give shares: the bill is the amount, whatever OpenCost's total", () => {
    const scaled = FOUR.map((a) => ({ ...a, cost: a.cost.times("1.37") }));
    const result = new AllocationEngine(model(""), noMetrics, undefined, openCost(scaled)).allocate([pool("10000")]);
    expect(byTarget(result.lines)).toEqual({ web: "4000.00", api: "3000.00", data: "2000.00", ml: "1000.00" });
  });

  it("unlabeled namespaces stay unallocated with the namespace named, unless the rule maps them; other clusters are not used", () => {
    const data = openCost([...FOUR, alloc("batch", "1000"), alloc("kube-system", "500"), alloc(null, "250", {}, "unallocated"), alloc("web", "99999", { team: "web" }, "workload", "staging")]);
    const rule = "      cluster: prod\n      idle: { to: platform }\n      namespaces: { kube-system: platform }";
    const result = new AllocationEngine(model(rule), noMetrics, undefined, data).allocate([pool("11750")]);
    // 11,750 billed over 3,200 + 2,400 + 1,600 + 800 + 1,000 + 500 + 250 + 2,000 = 11,750 of shares.
    expect(byTarget(result.lines)).toEqual({ web: "3200.00", api: "2400.00", data: "1600.00", ml: "800.00", platform: "2500.00" });
    const reasons = Object.fromEntries(result.lines.filter((l) => l.target === null && !l.amount.isZero()).map((l) => [l.reason, l.amount.toFixed(2)]));
    expect(reasons).toEqual({ 'namespace "batch": no labels; label its pods or namespace, or map it in the rule\'s namespaces': "1000.00", "OpenCost: cluster cost without a namespace": "250.00" });
  });

  it("needs OpenCost's data, and says so; a month it does not cover stays unallocated", () => {
    expect(() => new AllocationEngine(model(""), noMetrics).allocate([pool("1")])).toThrow(UserError);
    expect(() => new AllocationEngine(model(""), noMetrics).allocate([pool("1")])).toThrow(/method kubernetes needs OpenCost's allocation; pass --k8s/);
    // A month OpenCost's files do not cover stays unallocated, named, and conserved.
    const uncovered = new AllocationEngine(model(""), noMetrics, undefined, openCost(FOUR)).allocate([pool("12.34", { month: "2026-11" })]);
    expect(uncovered.lines.map((l) => [l.target, l.amount.toFixed(), l.reason])).toEqual([[null, "12.34", "OpenCost's files (--k8s) have no allocation for 2026-11; export that month to split the cluster"]]);
    expect(() => model("      idle: { to: nobody }")).toThrow(/"nobody" is not a business unit, team or project in org/);
  });

  it("FOCUS split cost rows (AllocatedMethodId) go to their workload's owner, never split again by OpenCost's shares", () => {
    const owned = "    - { name: owned, method: direct, keys: [team] }";
    const split = pool("40", { allocatedMethod: "split-proportional", tags: JSON.stringify({ "cost-pool": "k8s", team: "api" }) });
    const result = new AllocationEngine(model(owned), noMetrics, undefined, openCost(FOUR)).allocate([pool("10000"), split]);
    // The $10,000 pool as in the worked example (idle proportional), and the provider-split $40 straight to api.
    expect(byTarget(result.lines)).toEqual({ web: "4000.00", api: "3040.00", data: "2000.00", ml: "1000.00" });
    expect(result.lines.filter((l) => l.group === split).map((l) => [l.rule, l.method, l.target, l.amount.toFixed()])).toEqual([["owned", "direct", "api", "40"]]);
    // Must fail: without AllocatedMethodId the same charge is pool, split by the shares.
    const pooled = new AllocationEngine(model(owned), noMetrics, undefined, openCost(FOUR)).allocate([pool("10000"), { ...split, allocatedMethod: null }]);
    expect(byTarget(pooled.lines).api).not.toBe("3040.00");
  });
});

describe("properties", () => {
  const share = fc.integer({ min: 0, max: 100_000 }).map((n) => (n / 100).toFixed(2));
  const amounts = fc.array(fc.integer({ min: -50_000, max: 5_000_000 }).map((n) => (n / 1000).toFixed(3)), { minLength: 1, maxLength: 8 });
  const idle = fc.constantFrom("", "      idle: even", "      idle: { to: platform }");

  it("conserves every pool exactly, with workload and idle as their own lines", () => {
    fc.assert(
      fc.property(fc.tuple(share, share, share, share), share, amounts, idle, ([w, a, d, m], idleCost, costs, rule) => {
        fc.pre([w, a, d, m].some((v) => Number(v) > 0));
        const data = openCost([alloc("web", w, { team: "web" }), alloc("api", a, { team: "api" }), alloc("data", d, { team: "data" }), alloc("ml", m, { team: "ml" }), alloc(null, idleCost, {}, "idle")]);
        const groups = costs.map((c) => pool(c));
        const result = new AllocationEngine(model(rule), noMetrics, undefined, data).allocate(groups);
        for (const g of groups) {
          const lines = result.lines.filter((l) => l.group === g);
          // Summed at full precision: a residue line has 18 decimal places.
          expect(lines.reduce((s, l) => s.plus(l.amount.toString()), new Exact(0)).toFixed()).toBe(g.cost.toFixed());
          expect(lines.every((l) => l.tier === "workload" || l.tier === "idle")).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("filter stability: allocating part of the bill gives each remaining charge the same lines", () => {
    fc.assert(
      fc.property(amounts, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), idle, (costs, keep, rule) => {
        const groups = costs.map((c) => pool(c));
        const engine = () => new AllocationEngine(model(rule), noMetrics, undefined, openCost(FOUR));
        const all = engine().allocate(groups);
        const subset = groups.filter((_, i) => keep[i]);
        const part = engine().allocate(subset);
        const view = (lines: AllocationLine[]) => lines.filter((l) => subset.includes(l.group)).map((l) => [l.group.resourceId, l.target, l.tier, l.amount.toFixed()]);
        expect(view(part.lines)).toEqual(view(all.lines));
      }),
      { numRuns: 60 },
    );
  });
});
