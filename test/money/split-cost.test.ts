// FOCUS split cost allocation: a row with AllocatedMethodId is the provider's share of a shared resource for
// one workload. It is attributed and judged by the workload (AllocatedTags over Tags, AllocatedResourceId),
// and no shared-cost rule (even, proportional, kubernetes, ...) splits it again (the kubernetes case is in
// test/kubernetes/split.test.ts). Figures recomputed here from
// the rows the test wrote or from the raw file, with Decimal and JSON.parse: no allot code.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { withDuckDB, sqlString } from "../../reports/read/duckdb";
import { allot, sharedData, tempDir } from "../helpers";
import { readCsv, sum, writeFocus, writeOrg, type BillRow } from "./bills";

const SPLIT = (workload: string, tags: Record<string, string>) => ({ AllocatedMethodId: "split-proportional", AllocatedResourceId: workload, AllocatedTags: JSON.stringify(tags) });

// A shared node billed $10.00 unsplit and $4.50 already split by the provider into two workloads: one
// tagged for team b, one whose AllocatedTags name no team (so the node's own team a stands, as FOCUS's
// "AllocatedTags over Tags" says).
const ROWS: BillRow[] = [
  { cost: "10.00", resource: "node-1", tags: { "cost-pool": "shared", team: "a" } },
  { cost: "3.00", resource: "node-1", tags: { "cost-pool": "shared", team: "a" }, extra: SPLIT("wl-checkout", { team: "b" }) },
  { cost: "1.50", resource: "node-1", tags: { "cost-pool": "shared", team: "a" }, extra: SPLIT("wl-batch", { app: "batch" }) },
  { cost: "0.70", resource: "db-1", tags: { team: "b" } },
];

/** The expected split, by hand: pooled rows even over a and b; split rows and owned rows to the owner of their merged tags. */
function expected(rows: readonly BillRow[]) {
  const out: Record<string, Decimal> = { a: new Decimal(0), b: new Decimal(0) };
  for (const r of rows) {
    const tags: Record<string, string> = { ...r.tags, ...(r.extra?.AllocatedMethodId ? (JSON.parse(r.extra.AllocatedTags!) as Record<string, string>) : {}) };
    if (!r.extra?.AllocatedMethodId && tags["cost-pool"] === "shared") {
      out.a = out.a!.plus(new Decimal(r.cost).dividedBy(2));
      out.b = out.b!.plus(new Decimal(r.cost).dividedBy(2));
    } else out[tags.team!] = out[tags.team!]!.plus(r.cost);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.toFixed(2)]));
}

const RULE = "    - { name: shared-nodes, method: even, match: { tags: { cost-pool: shared } } }";

function run(rows: readonly BillRow[], ...args: string[]) {
  const dir = tempDir();
  const result = allot(["allocate", "--config", writeOrg(dir, RULE), "--input", writeFocus(dir, "bill.csv", rows), "--json", ...args]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { totalCost: string; allocations: { target: string; amount: string; byRule: Record<string, string> }[] };
}

describe("FOCUS split cost allocation", () => {
  it("split rows go to their workload's owner and are not split again by a shared-cost rule", () => {
    const s = run(ROWS);
    expect(s.totalCost).toBe(sum(ROWS.map((r) => r.cost)).toFixed());
    expect(Object.fromEntries(s.allocations.map((a) => [a.target, a.amount]))).toEqual(expected(ROWS));
    expect(Object.fromEntries(s.allocations.map((a) => [a.target, a.amount]))).toEqual({ a: "6.50", b: "8.70" });
    expect(s.allocations.find((a) => a.target === "b")!.byRule).toEqual({ owned: "3.70", "shared-nodes": "5.00" });
  });

  it("reads AllocatedTags as a Parquet MAP (AWS's FOCUS export) the same way", async () => {
    const dir = tempDir();
    const csv = writeFocus(dir, "bill.csv", ROWS);
    const parquet = join(dir, "bill.parquet");
    await withDuckDB((db) =>
      db.run(`COPY (SELECT * REPLACE (CAST(CAST(NULLIF(Tags, '') AS JSON) AS MAP(VARCHAR, VARCHAR)) AS Tags, CAST(CAST(NULLIF(AllocatedTags, '') AS JSON) AS MAP(VARCHAR, VARCHAR)) AS AllocatedTags)
        FROM read_csv(${sqlString(csv)}, all_varchar = true)) TO ${sqlString(parquet)} (FORMAT parquet)`),
    );
    const result = allot(["allocate", "--config", writeOrg(dir, RULE), "--input", parquet, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const s = JSON.parse(result.stdout) as { allocations: { target: string; amount: string }[] };
    expect(Object.fromEntries(s.allocations.map((a) => [a.target, a.amount]))).toEqual(expected(ROWS));
  });

  it("hostile: AllocatedTags that are not a JSON object leave the row unreadable and unallocated, never guessed", () => {
    const rows: BillRow[] = [{ cost: "4.00", resource: "node-1", tags: { team: "a" }, extra: { AllocatedMethodId: "split-even", AllocatedResourceId: "wl", AllocatedTags: '{"team": "b",' } }];
    const s = run(rows);
    expect(s.allocations).toEqual([]);
    expect(s.totalCost).toBe("4");
  });

  it("must fail: without AllocatedMethodId the same rows are one pool, split evenly", () => {
    const plain = ROWS.map(({ extra: _extra, ...r }) => r);
    const s = run(plain);
    expect(Object.fromEntries(s.allocations.map((a) => [a.target, a.amount]))).toEqual({ a: "7.25", b: "7.95" });
    expect(Object.fromEntries(s.allocations.map((a) => [a.target, a.amount]))).not.toEqual(expected(ROWS));
  });

  it("compliance judges a split row by its workload's tags, and --out keeps AllocatedMethodId and the workload's resource", () => {
    const rows: BillRow[] = [
      { cost: "2.00", resource: "node-1", tags: { team: "a" }, extra: SPLIT("wl-good", { team: "b" }) },
      { cost: "5.00", resource: "node-1", tags: { team: "a" }, extra: SPLIT("wl-bad", { team: "nobody" }) },
    ];
    const dir = tempDir();
    const config = writeOrg(dir, "");
    const bill = writeFocus(dir, "bill.csv", rows);
    const c = allot(["compliance", "--config", config, "--input", bill, "--json"]);
    expect(c.code, c.stderr).toBe(0);
    const report = JSON.parse(c.stdout) as { compliantCost: string; usageCost: string };
    // The node's own tags (team: a) are valid; the workload's override makes the second row non-compliant.
    expect(new Decimal(report.compliantCost).toFixed(2)).toBe("2.00");
    expect(new Decimal(report.usageCost).toFixed(2)).toBe("7.00");
    const out = join(dir, "table.csv");
    expect(allot(["allocate", "--config", config, "--input", bill, "--out", out]).code).toBe(0);
    const table = readCsv(readFileSync(out, "utf8"));
    expect(table.map((r) => [r.ResourceId, r.AllocatedMethodId, r.x_AllocatedTo]).sort()).toEqual([
      ["wl-bad", "split-proportional", ""],
      ["wl-good", "split-proportional", "b"],
    ]);
  });

  it("on the real FOCUS 1.3 sample, each cost center gets its workloads' split rows, to the last digit", () => {
    const file = join(sharedData, "focus-synthetic-goldens", "aws_1_3_cost_and_usage_rows100_seed42.csv");
    const raw = readCsv(readFileSync(file, "utf8"));
    expect(raw.filter((r) => r.AllocatedMethodId).length).toBeGreaterThan(20);
    const byCenter = new Map<string, Decimal>();
    for (const r of raw) {
      const tags = { ...(r.Tags ? JSON.parse(r.Tags) : {}), ...(r.AllocatedMethodId && r.AllocatedTags ? JSON.parse(r.AllocatedTags) : {}) } as Record<string, string>;
      byCenter.set(tags.CostCenter!, (byCenter.get(tags.CostCenter!) ?? new Decimal(0)).plus(r.EffectiveCost || "0"));
    }
    const dir = tempDir();
    const config = join(dir, "allot.yaml");
    writeFileSync(config, `version: 1
currency: USD
tags:
  required:
    - { key: CostCenter, values: org.costCenters }
org:
  units:
    - id: examplecorp
      teams:
        - { id: platform, owner: p@example.com, costCenter: cc-3110, budget: 100 }
        - { id: payments, owner: pay@example.com, costCenter: cc-1042, budget: 100 }
        - { id: data, owner: d@example.com, costCenter: cc-2087, budget: 100 }
allocation:
  rules:
    - { name: shared-hosts, method: even, match: { resourceId: "*shared-host*" } }
    - { name: owned, method: direct, keys: [CostCenter] }
`);
    const result = allot(["allocate", "--config", config, "--input", file, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const s = JSON.parse(result.stdout) as { allocations: { target: string; amount: string; byRule: Record<string, string> }[] };
    const team = { "cc-3110": "platform", "cc-1042": "payments", "cc-2087": "data" } as Record<string, string>;
    expect(Object.fromEntries(s.allocations.map((a) => [a.target, a.amount]))).toEqual(Object.fromEntries([...byCenter].map(([cc, v]) => [team[cc], v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)])));
    // Every shared host's cost arrived split, so the even rule took nothing.
    expect(s.allocations.every((a) => Object.keys(a.byRule).join() === "owned")).toBe(true);
  });
});
