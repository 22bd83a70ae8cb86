import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, parseCostModel, UserError } from "../../model";
import { AllocationEngine, rollUp, totalsByTarget, type AllocationLine } from "../../reports/allocate/engine";
import { metricsFromRecords, noMetrics, type MetricRecord } from "../../reports/read/metrics";
import { Decimal } from "../../reports/money";
import type { ChargeRow } from "../../reports/read/charges";

/** A small org (four teams in two units) with the given allocation rules. */
function model(rules: string) {
  return parseCostModel(`
currency: USD
tags:
  required:
    - { key: team, values: org.teams }
org:
  units:
    - id: shop
      teams:
        - { id: web, owner: web@x.co, costCenter: CC-1, budget: 1000, projects: [{ id: web-app }] }
        - { id: api, owner: api@x.co, costCenter: CC-2, budget: 1000 }
    - id: core
      teams:
        - { id: data, owner: data@x.co, costCenter: CC-3, budget: 1000 }
        - { id: ml, owner: ml@x.co, costCenter: CC-4, budget: 1000 }
allocation:
  rules:
${rules}`);
}

let next = 0;
function group(cost: string, tags: Record<string, string> = {}, fields: Partial<ChargeRow> = {}): ChargeRow {
  return {
    month: "2026-10", provider: "AWS", account: "111", service: "Amazon EKS", serviceCategory: "Compute", region: "us-east-1", chargeCategory: "Usage",
    resourceType: null, resourceId: `r-${next++}`, tags: JSON.stringify(tags), tagsFormat: "focus", cost: new Decimal(cost), rows: 1, ...fields,
  };
}

const metrics = (values: Record<string, number>, metric = "cpu-hours", kind?: string): MetricRecord[] =>
  Object.entries(values).map(([target, q]) => ({ month: "2026-10", metric, target, ...(kind ? { kind } : {}), quantity: new Decimal(q) }));

const byTarget = (lines: AllocationLine[]) => Object.fromEntries([...totalsByTarget(lines)].map(([t, v]) => [t, v.toFixed(2)]));

describe("worked examples reproduce exactly", () => {
  it("a $10,000 cluster split by CPU hours 2,500 / 4,000 / 1,500 / 2,000", () => {
    const engine = new AllocationEngine(model(`    - { name: cluster, method: proportional, by: { metric: cpu-hours } }`), metricsFromRecords(metrics({ web: 2500, api: 4000, data: 1500, ml: 2000 })));
    const result = engine.allocate([group("10000")]);
    expect(byTarget(result.lines)).toEqual({ api: "4000.00", data: "1500.00", ml: "2000.00", web: "2500.00" });
    expect(result.unallocated.isZero()).toBe(true);
    expect(result.lines.find((l) => l.target === "api")?.share).toBe("0.4");
  });

  it("a fixed 40/30/20/10 split", () => {
    const engine = new AllocationEngine(model(`    - { name: security, method: fixed, shares: { web: 40, api: 30, data: 20, ml: 10 } }`), noMetrics);
    expect(byTarget(engine.allocate([group("10000")]).lines)).toEqual({ web: "4000.00", api: "3000.00", data: "2000.00", ml: "1000.00" });
  });

  it("a tiered model with direct, usage-shared, even-shared and amortized items", () => {
    const rules = `    - name: platform
      method: tiered
      tiers:
        - { name: owned, match: { tags: { team: "*" } }, method: direct, keys: [team] }
        - { name: cluster, match: { service: Amazon EKS }, method: proportional, by: { metric: cpu-hours } }
        - { name: tooling, match: { service: Datadog }, method: even }
    - name: commitments
      stage: 2
      match: { chargeCategory: Purchase }
      method: proportional
      by: { cost: direct }`;
    const engine = new AllocationEngine(model(rules), metricsFromRecords(metrics({ web: 30, api: 50, data: 20 })));
    const result = engine.allocate([
      group("600", { team: "web" }, { service: "Amazon EC2" }),
      group("300", { team: "api" }, { service: "Amazon RDS" }),
      group("100", { team: "ml" }, { service: "Amazon S3" }),
      group("1000", {}, { service: "Amazon EKS" }),
      group("400", {}, { service: "Datadog" }),
      group("250", {}, { service: "Savings Plans", chargeCategory: "Purchase" }),
    ]);
    // Stage 1: direct web 600, api 300, ml 100; cluster 1000 by CPU: web 300, api 500, data 200; tooling 400 evenly: 100 each.
    // Stage 2: commitments 250 by what stage 1 gave: web 1000, api 900, data 300, ml 200 of 2400.
    expect(byTarget(result.lines)).toEqual({ web: "1104.17", api: "993.75", data: "331.25", ml: "220.83" });
    expect(result.allocated.toFixed(2)).toBe("2650.00");
    expect(result.lines.filter((l) => l.rule === "platform").map((l) => l.tier)).toContain("cluster");
  });
});

describe("exactness", () => {
  it("splits at full precision (18 decimals, by largest remainder), with no rounding line per group", () => {
    const engine = new AllocationEngine(model(`    - { name: tooling, method: even, targets: [web, api, data] }`), noMetrics);
    const result = engine.allocate([group("100.004")]);
    expect(result.lines.map((l) => [l.target, l.amount.toFixed()])).toEqual([["web", "33.334666666666666667"], ["api", "33.334666666666666667"], ["data", "33.334666666666666666"]]);
    expect(result.unallocated.isZero()).toBe(true);
  });

  it("splits credits (negative amounts) as the mirror image of the charge", () => {
    const engine = new AllocationEngine(model(`    - { name: security, method: fixed, shares: { web: 40, api: 30, data: 20, ml: 10 } }`), noMetrics);
    const exact = (lines: AllocationLine[]) => Object.fromEntries([...totalsByTarget(lines)].map(([t, v]) => [t, v.toFixed()]));
    expect(exact(engine.allocate([group("99.99")]).lines)).toEqual({ web: "39.996", api: "29.997", data: "19.998", ml: "9.999" });
    expect(exact(engine.allocate([group("-99.99")]).lines)).toEqual({ web: "-39.996", api: "-29.997", data: "-19.998", ml: "-9.999" });
  });

  const amount = fc.bigInt({ min: -(10n ** 11n), max: 10n ** 11n }).map((n) => new Decimal(n.toString()).dividedBy(1e4).toFixed());
  const shares = fc.tuple(fc.integer({ min: 1, max: 97 }), fc.integer({ min: 1, max: 97 })).filter(([a, b]) => a + b < 100);

  it("property: every group's lines sum to the group, allocated + unallocated = input, parts at 18 decimals", () => {
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 30 }), shares, fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 4, maxLength: 4 }), (amounts, [a, b], cpu) => {
        fc.pre(cpu.some((c) => c > 0));
        const rules = `    - { name: owned, match: { tags: { team: "*" } }, method: direct, keys: [team] }
    - { name: fixed, match: { service: Fixed }, method: fixed, shares: { web: ${a}, api: ${b}, core: ${100 - a - b} } }
    - { name: cpu, match: { service: Cpu }, method: proportional, by: { metric: cpu-hours }, targets: [web, api, data, ml] }
    - { name: rest, method: even }`;
        const engine = new AllocationEngine(model(rules), metricsFromRecords(metrics({ web: cpu[0]!, api: cpu[1]!, data: cpu[2]!, ml: cpu[3]! })));
        const groups = amounts.map((cost, i) => group(cost, i % 4 === 0 ? { team: "web" } : {}, { service: ["Direct", "Fixed", "Cpu", "Other"][i % 4]! }));
        const result = engine.allocate(groups);
        expect(result.allocated.plus(result.unallocated).equals(Decimal.sum(0, ...groups.map((g) => g.cost)))).toBe(true);
        for (const g of groups) {
          const own = result.lines.filter((l) => l.group === g);
          expect(Decimal.sum(0, ...own.map((l) => l.amount)).equals(g.cost)).toBe(true);
          for (const l of own) if (l.target !== null && l.method !== "direct") expect(l.amount.decimalPlaces()).toBeLessThanOrEqual(18);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("property: filtering the view never moves shared cost between the teams that remain", () => {
    const rules = `    - { name: owned, match: { tags: { team: "*" } }, method: direct, keys: [team] }
    - { name: cpu, match: { service: Cpu }, method: proportional, by: { metric: cpu-hours } }
    - { name: rest, method: fixed, shares: { web: 25, api: 25, data: 30, ml: 20 } }`;
    const engine = new AllocationEngine(model(rules), metricsFromRecords(metrics({ web: 3, api: 5, data: 7, ml: 11 })));
    fc.assert(
      fc.property(fc.array(fc.tuple(amount, fc.constantFrom("Direct", "Cpu", "Other")), { minLength: 1, maxLength: 20 }), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), (items, keep) => {
        const groups = items.map(([cost, service], i) => group(cost, service === "Direct" ? { team: ["web", "api", "data", "ml"][i % 4]! } : {}, { service }));
        const full = engine.allocate(groups);
        const subset = groups.filter((_, i) => keep[i]);
        const filtered = engine.allocate(subset);
        for (const g of subset) {
          const lines = (r: typeof full) => r.lines.filter((l) => l.group === g).map((l) => `${l.target}:${l.amount.toFixed()}`);
          expect(lines(filtered)).toEqual(lines(full));
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("roll-up and traceability", () => {
  it("rolls projects into teams and teams into units, and every line names its group, rule, method and share", () => {
    const engine = new AllocationEngine(model(`    - { name: owned, method: direct, keys: [project, team] }
    - { name: rest, method: fixed, shares: { core: 50, web-app: 50 } }`), noMetrics);
    const result = engine.allocate([group("10", { project: "web-app" }), group("4", { team: "api" }), group("8", { other: "x" }, { chargeCategory: "Tax" })]);
    const rolled = rollUp(model(`    - { name: x, method: even }`), result.lines);
    expect(Object.fromEntries([...rolled.teams].map(([k, v]) => [k, v.toFixed()]))).toEqual({ web: "10", api: "4" });
    expect(result.lines.every((l) => l.group && (l.rule === null || typeof l.method === "string") && typeof l.share === "string")).toBe(true);
    const unallocated = result.lines.filter((l) => l.target === null);
    expect(unallocated.map((l) => [l.rule, l.reason])).toEqual([["owned", "no project, no team"]]);
  });
});

describe("invalid rules fail with errors that name the rule", () => {
  it("fixed splits summing to 99%", () => {
    expect(() => model(`    - { name: security, method: fixed, shares: { web: 40, api: 30, data: 20, ml: 9 } }`)).toThrow(new ConfigError("allot.yaml", []).constructor as never);
    expect(() => model(`    - { name: security, method: fixed, shares: { web: 40, api: 30, data: 20, ml: 9 } }`)).toThrow(/allocation\.rules\[0\]\.shares: rule "security": expected shares that sum to 100, got 99/);
  });

  it("unknown targets", () => {
    expect(() => model(`    - { name: tooling, method: even, targets: [web, nobody] }`)).toThrow(/allocation\.rules\[0\]\.targets\[1\]: rule "tooling": "nobody" is not a business unit, team or project in org/);
  });

  it("a metric missing for a target", () => {
    const engine = new AllocationEngine(model(`    - { name: cluster, method: proportional, by: { metric: cpu-hours }, targets: [web, api, ml] }`), metricsFromRecords(metrics({ web: 1, api: 2 })));
    expect(() => engine.allocate([group("10")])).toThrow(new UserError('allocation rule "cluster": metric cpu-hours has no value for target "ml" in 2026-10; add it to the metrics file or drop the target'));
  });

  it("an activity kind without a rate", () => {
    const engine = new AllocationEngine(model(`    - { name: llm, method: activity, driver: tokens, rates: { claude: 3 } }`), metricsFromRecords(metrics({ web: 1000 }, "tokens", "gpt")));
    expect(() => engine.allocate([group("10")])).toThrow('allocation rule "llm": no rate for tokens kind "gpt"; add it to rates');
  });
});
