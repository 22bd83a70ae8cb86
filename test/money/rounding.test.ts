// Rounding at the grain people read: shared pools split at full precision, only shown figures rounded
// (by largest remainder), and --json, --out, invoices and the report are cuts of the same split.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCostModel } from "../../model";
import { AllocationEngine } from "../../reports/allocate/engine";
import { presentAllocation, ROUNDING_REASON } from "../../reports/allocate/present";
import type { ChargeRow } from "../../reports/read/charges";
import { noMetrics } from "../../reports/read/metrics";
import { allot, tempDir } from "../helpers";
import { readCsv, sum, writeFocus, writeOrg, type BillRow } from "./bills";

type Summary = { totalCost: string; allocatedCost: string; unallocatedCost: string; allocations: { target: string; amount: string; byRule: Record<string, string> }[]; unallocated: { reason: string; amount: string }[] };

const POOL = `    - { name: network, match: { service: Network }, method: proportional, by: { cost: direct } }`;

/** 1,000 untagged lines of $0.004 ($4.00) and direct costs of $1 (a) and $3 (b). */
function subCentBill() {
  const dir = tempDir();
  const rows: BillRow[] = [
    { cost: "1", tags: { team: "a" }, resource: "ra" },
    { cost: "3", tags: { team: "b" }, resource: "rb" },
    ...Array.from({ length: 1000 }, (_, i) => ({ cost: "0.004", service: "Network", resource: `n-${i}` })),
  ];
  return { dir, rows, bill: writeFocus(dir, "bill.csv", rows), config: writeOrg(dir, POOL) };
}

describe("a shared pool of sub-cent lines", () => {
  it("splits $4.00 of $0.004 lines 1:3 by direct cost, in --json, --out, invoices and the report alike", () => {
    const { dir, rows, bill, config } = subCentBill();
    // Recomputed here: the pool and the direct costs from the rows written, split 1:3.
    const pool = sum(rows.filter((r) => r.service === "Network").map((r) => r.cost));
    expect(pool.toFixed()).toBe("4");
    const expected = { a: new Decimal(1).plus(pool.times(1).dividedBy(4)).toFixed(2), b: new Decimal(3).plus(pool.times(3).dividedBy(4)).toFixed(2) };

    const json = allot(["allocate", "--config", config, "--input", bill, "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const s = JSON.parse(json.stdout) as Summary;
    expect(Object.fromEntries(s.allocations.map((a) => [a.target, a.amount]))).toEqual(expected);
    expect(s.unallocated).toEqual([]);
    expect(s.totalCost).toBe(sum(rows.map((r) => r.cost)).toFixed());

    const table = join(dir, "table.csv");
    expect(allot(["allocate", "--config", config, "--input", bill, "--out", table]).code).toBe(0);
    const [header, ...lines] = readFileSync(table, "utf8").trim().split("\n");
    const columns = header!.split(",");
    const cells = lines.map((l) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, "").replace(/^"|"$/g, "")));
    const byTarget = new Map<string, Decimal>();
    for (const c of cells) {
      const target = c[columns.indexOf("x_AllocatedTo")]!;
      byTarget.set(target, (byTarget.get(target) ?? new Decimal(0)).plus(c[columns.indexOf("x_AllocatedCostRounded")]!));
    }
    expect(Object.fromEntries([...byTarget].map(([t, v]) => [t, v.toFixed(2)]))).toEqual(expected);

    const out = join(dir, "chargeback");
    expect(allot(["chargeback", "--config", config, "--input", bill, "--out", out]).code).toBe(0);
    const { invoices } = JSON.parse(readFileSync(join(out, "invoices.json"), "utf8")) as { invoices: { party: string; subtotal: string }[] };
    expect(Object.fromEntries(invoices.map((i) => [i.party, i.subtotal]))).toEqual(expected);

    const report = join(dir, "report");
    expect(allot(["report", "--config", config, "--input", bill, "--out", report, "--format", "json", "--quiet"]).code).toBe(0);
    const data = JSON.parse(readFileSync(join(report, "report.json"), "utf8")) as { teams: { team: string; cost: string }[]; summary: { unallocated: string } };
    expect(Object.fromEntries(data.teams.map((t) => [t.team, t.cost]))).toEqual(expected);
    expect(data.summary.unallocated).toBe("0.00");
  });

  it("must fail: a split that rounded each $0.004 line to the cent first would book none of the pool to the teams", () => {
    const { rows, bill, config } = subCentBill();
    const roundedFirst = sum(rows.filter((r) => r.service === "Network").map((r) => new Decimal(r.cost).toDecimalPlaces(2, Decimal.ROUND_HALF_UP)));
    expect(roundedFirst.toFixed(2)).toBe("0.00");
    // allot's network rule carries the whole $4.00 to the teams, and nothing is left as rounding.
    const run = allot(["allocate", "--config", config, "--input", bill, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const s = JSON.parse(run.stdout) as Summary;
    expect(sum(s.allocations.map((a) => a.byRule.network ?? "0")).toFixed(2)).toBe("4.00");
    expect(sum(s.allocations.map((a) => a.byRule.network ?? "0")).toFixed(2)).not.toBe(roundedFirst.toFixed(2));
    expect(s.unallocated).toEqual([]);
  });
});

describe("invoice lines", () => {
  it("each (service, rule) line is the sum of --out's rounded rows for it, to the cent", () => {
    const dir = tempDir();
    // Team a: 333.333 on EC2 and on S3 (owned), and the whole 333.334 pool on Network: 1,000.000 in all.
    const bill = writeFocus(dir, "bill.csv", [
      { cost: "333.333", service: "Amazon EC2", tags: { team: "a" }, resource: "e" },
      { cost: "333.333", service: "Amazon S3", tags: { team: "a" }, resource: "s" },
      { cost: "333.334", service: "Network", resource: "n" },
    ]);
    const config = writeOrg(dir, POOL);
    const table = join(dir, "table.csv");
    expect(allot(["allocate", "--config", config, "--input", bill, "--out", table]).code).toBe(0);
    const fromOut = new Map<string, Decimal>();
    for (const r of readCsv(readFileSync(table, "utf8"))) {
      if (r.x_AllocatedTo !== "a") continue;
      const key = `${r.ServiceName}|${r.x_AllocationRule}`;
      fromOut.set(key, (fromOut.get(key) ?? new Decimal(0)).plus(r.x_AllocatedCostRounded!));
    }
    const out = join(dir, "chargeback");
    expect(allot(["chargeback", "--config", config, "--input", bill, "--out", out]).code).toBe(0);
    const { invoices } = JSON.parse(readFileSync(join(out, "invoices.json"), "utf8")) as { invoices: { party: string; lines: { service: string; rule: string; amount: string }[] }[] };
    const lines = invoices.find((i) => i.party === "a")!.lines;
    expect(Object.fromEntries(lines.map((l) => [`${l.service}|${l.rule}`, l.amount]))).toEqual(Object.fromEntries([...fromOut].map(([k, v]) => [k, v.toFixed(2)])));
    // Rounded line by line at the party, the pool's 333.334 would have taken the cent: not what --out shows.
    expect(lines.find((l) => l.service === "Network")!.amount).toBe("333.33");
  });
});

describe("a currency without cents", () => {
  it("the report shows teams, units, rules and the unallocated cost at the currency's places, as --json does", () => {
    const dir = tempDir();
    // Yen: no minor unit. The bill is in USD at 150 yen; a's 1.003 USD is 150.45 yen, b's 2.005 is 300.75.
    const bill = writeFocus(dir, "bill.csv", [
      { cost: "1.003", tags: { team: "a" }, resource: "ra" },
      { cost: "2.005", tags: { team: "b" }, resource: "rb" },
      { cost: "0.011", resource: "untagged" },
    ]);
    const config = writeOrg(dir, "");
    writeFileSync(config, readFileSync(config, "utf8").replace("currency: USD", "currency: JPY\nexchangeRates: { USD: 150 }"));
    const json = allot(["allocate", "--config", config, "--input", bill, "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const s = JSON.parse(json.stdout) as Summary;
    const byTarget = Object.fromEntries(s.allocations.map((a) => [a.target, a.amount]));
    // Largest remainder over 150.45, 300.75 and 1.65 (452.85, shown 453): 150, 301, 2.
    expect(byTarget).toEqual({ a: "150", b: "301" });
    const out = join(dir, "report");
    expect(allot(["report", "--config", config, "--input", bill, "--out", out, "--format", "json", "--quiet"]).code).toBe(0);
    const data = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as { teams: { team: string; cost: string }[]; summary: { allocated: string; unallocated: string } };
    expect(Object.fromEntries(data.teams.map((t) => [t.team, t.cost]))).toEqual(byTarget);
    expect([data.summary.allocated, data.summary.unallocated]).toEqual(["451", "2"]);
  });
});

const org = parseCostModel(`
currency: USD
tags: { required: [{ key: team, values: org.teams }] }
org:
  units:
    - id: u
      teams:
        - { id: a, owner: a@x.co, costCenter: CC-A, budget: 100 }
        - { id: b, owner: b@x.co, costCenter: CC-B, budget: 100 }
        - { id: c, owner: c@x.co, costCenter: CC-C, budget: 100 }
allocation:
  rules:
    - { name: pool, match: { service: Pool }, method: fixed, shares: { a: 17, b: 50, c: 33 } }
    - { name: owned, method: direct, keys: [team] }
`);

let next = 0;
const group = (cost: string, service: string, team?: string): ChargeRow => ({
  month: "2026-10", provider: "AWS", account: "1", service, serviceCategory: null, region: null, chargeCategory: "Usage", resourceType: null,
  resourceId: `r${next++}`, tags: team ? JSON.stringify({ team }) : null, tagsFormat: "focus", cost: new Decimal(cost), rows: 1,
});

describe("properties of the split and of what is shown", () => {
  const amount = fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }).map((n) => new Decimal(n.toString()).dividedBy(1e5).toFixed());
  const bill = fc.array(fc.tuple(amount, fc.constantFrom("Pool", "Own", "Other"), fc.constantFrom("a", "b", "c", undefined)), { minLength: 1, maxLength: 40 });

  it("property: conservation to the last digit, and shown parts add up to the bill rounded, each within a cent of its exact amount", () => {
    fc.assert(
      fc.property(bill, (spec) => {
        const groups = spec.map(([cost, service, team]) => group(cost, service, team));
        const result = new AllocationEngine(org, noMetrics).allocate(groups);
        const total = sum(spec.map(([cost]) => cost));
        expect(result.allocated.plus(result.unallocated).equals(total)).toBe(true);
        const shown = presentAllocation(org, result);
        expect(sum([...shown.targets.values(), ...shown.unallocated.values()]).equals(total.toDecimalPlaces(2, Decimal.ROUND_HALF_UP))).toBe(true);
        expect(shown.rounding.equals(total.minus(total.toDecimalPlaces(2, Decimal.ROUND_HALF_UP)))).toBe(true);
        expect(shown.rounding.abs().lessThanOrEqualTo("0.005")).toBe(true);
        const exact = new Map<string, Decimal>();
        for (const l of result.lines) if (l.target) exact.set(l.target, (exact.get(l.target) ?? new Decimal(0)).plus(l.amount));
        for (const [t, v] of shown.targets) expect(v.minus(exact.get(t)!).abs().lessThan("0.01")).toBe(true);
        // Lines of a target add up to the target as shown.
        for (const [t, v] of shown.targets) expect(sum(result.lines.flatMap((l, i) => (l.target === t ? [shown.lines[i]!] : []))).equals(v)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("property: one group or the same amount in many groups shows the same figures", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 999 }), (n, mills) => {
        const piece = new Decimal(mills).dividedBy(1000).toFixed();
        const whole = new Decimal(piece).times(n).toFixed();
        const engine = new AllocationEngine(org, noMetrics);
        const many = presentAllocation(org, engine.allocate(Array.from({ length: n }, () => group(piece, "Pool"))));
        const one = presentAllocation(org, engine.allocate([group(whole, "Pool")]));
        expect([...many.targets].map(([t, v]) => [t, v.toFixed(2)])).toEqual([...one.targets].map(([t, v]) => [t, v.toFixed(2)]));
      }),
      { numRuns: 100 },
    );
  });

  it("the rounding line holds only the month's sub-cent residue", () => {
    const result = new AllocationEngine(org, noMetrics).allocate([group("100.004", "Pool"), group("0.0049", "Own", "a")]);
    const shown = presentAllocation(org, result);
    // 100.0089 shown as 100.01: the residue is -0.0011, nothing more.
    expect(shown.rounding.toFixed()).toBe("-0.0011");
    expect(sum(shown.targets.values()).toFixed(2)).toBe("100.01");
    expect(ROUNDING_REASON).toBe("rounding to the minor unit");
  });
});
