// Rules that match on resource ids: the scan tests each charge's ResourceId against the rules' globs in
// SQL (ResourceMatch), so such a rule needs no charge group per resource. The SQL must agree with the
// two-pointer glob of model/glob.ts on every id, hostile ones included, and the money a rule takes must be
// what the raw rows say, recomputed here without allot. Case is folded by DuckDB's lower(), which agrees with
// JS toLowerCase on ASCII (checked here) but not on a few other letters (İ, final σ): the ids compared are ASCII.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import Decimal from "decimal.js";
import { globMatcher } from "../../model";
import { resourceMatchSql } from "../../reports/read/resource-match";
import { withDuckDB } from "../../reports/read/duckdb";
import { allot, sharedData, tempDir } from "../helpers";
import { readCsv, sum, writeFocus, writeOrg, type BillRow } from "../money/bills";

/** What DuckDB says each id matches, one '0'/'1' string per id (ids passed as data, through an appender). */
async function sqlMatches(globs: string[], ids: (string | null)[]): Promise<(string | null)[]> {
  return withDuckDB(async (db) => {
    await db.run("CREATE TABLE ids (n INTEGER, ResourceId VARCHAR)");
    const appender = await db.createAppender("ids");
    ids.forEach((id, n) => {
      appender.appendInteger(n);
      if (id === null) appender.appendNull();
      else appender.appendVarchar(id);
      appender.endRow();
    });
    appender.closeSync();
    const rows = (await db.runAndReadAll(`SELECT ${resourceMatchSql(globs)} AS m FROM ids ORDER BY n`)).getRowObjectsJS();
    return rows.map((r) => (r.m === null ? null : String(r.m)));
  });
}

/** The expected bits, by globMatcher (no SQL): an id matches when it is non-empty and the glob fits it in either case. */
const expected = (globs: string[], id: string | null) => globs.map((g) => (id !== null && id !== "" && globMatcher(g, { ignoreCase: true })(id) ? "1" : "0")).join("");

describe("ResourceMatch: the rules' resourceId globs tested in SQL", () => {
  it("agrees with globMatcher on ids with LIKE's own metacharacters, quotes and case", async () => {
    const globs = ["arn:aws:rds:*", "*100%*", "*a_b*", "*\\*", "*'*", "i-*-PROD", "*"];
    const ids = ["arn:aws:rds:us-east-1:1:db:x", "ARN:AWS:RDS:eu", "arn:aws:ec2:x", "disk-100%-full", "disk-100-full", "a_b", "axb", "path\\", "path", "o'brien", "i-web-prod", "i-web-prodx", "", null];
    const got = await sqlMatches(globs, ids);
    expect(got).toEqual(ids.map((id) => expected(globs, id)));
    // must fail: a LIKE pattern left unescaped would let '_' stand for any character, and '%' for any run.
    expect(got[ids.indexOf("axb")]![2]).toBe("0");
    expect(got[ids.indexOf("disk-100-full")]![1]).toBe("0");
  });

  it("is NULL without globs: nothing to test", async () => {
    expect(await sqlMatches([], ["x"])).toEqual([null]);
  });

  it("property: SQL and globMatcher agree on random globs and ids", async () => {
    const alphabet = fc.constantFrom("a", "B", "*", "%", "_", "\\", "'", "-", ":");
    const text = fc.array(alphabet, { maxLength: 8 }).map((cs) => cs.join(""));
    const cases = fc.sample(fc.tuple(fc.array(text.filter((g) => g.length > 0), { minLength: 1, maxLength: 3 }), fc.array(text, { minLength: 1, maxLength: 20 })), { numRuns: 60, seed: 14 });
    for (const [globs, ids] of cases) expect(await sqlMatches(globs, ids)).toEqual(ids.map((id) => expected(globs, id)));
  });
});

describe("a rule on resource ids", () => {
  const rows: BillRow[] = [
    { cost: "10.005", resource: "arn:aws:rds:us-east-1:1:db:orders", tags: { team: "a" } },
    { cost: "7.1", resource: "ARN:AWS:RDS:us-east-1:1:db:ledger", tags: { team: "b" } },
    { cost: "3.3333", resource: "arn:aws:ec2:us-east-1:1:instance/i-1", tags: { team: "a" } },
    { cost: "2.25", resource: "arn:aws:rds_x:us-east-1:1:db:lookalike", tags: { team: "b" } },
    { cost: "1.01", resource: "", tags: { team: "b" } },
    { cost: "4.4", resource: "arn:aws:rds:us-east-1:1:db:orders", tags: { team: "a" }, day: "02" },
  ];
  const pool = sum(rows.filter((r) => /^arn:aws:rds:/i.test(r.resource ?? "")).map((r) => r.cost));
  const total = sum(rows.map((r) => r.cost));

  function run(extraArgs: string[] = [], glob = "arn:aws:rds:*") {
    const dir = tempDir();
    const file = writeFocus(dir, "bill.csv", rows);
    const config = writeOrg(dir, `    - { name: databases, method: even, match: { resourceId: ${JSON.stringify(glob)} } }`);
    const result = allot(["allocate", "--config", config, "--input", file, "--json", ...extraArgs.map((a) => a.replace("DIR", dir))]);
    expect(result.code, result.stderr).toBe(0);
    return { dir, result, json: JSON.parse(result.stdout) as { totalCost: string; allocations: { target: string; byRule: Record<string, string> }[]; warnings: string[] } };
  }

  it("takes exactly the charges whose ids fit the glob, in either case, and conserves the bill", () => {
    const { json } = run();
    expect(new Decimal(json.totalCost).equals(total)).toBe(true);
    const taken = sum(json.allocations.map((a) => a.byRule.databases ?? "0"));
    // even over two teams, rounded once for display: the shown parts add up to the pool at 2 places.
    expect(taken.equals(pool.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN))).toBe(true);
    expect(json.warnings.join("\n")).not.toMatch(/databases/);
  });

  it("gives the same lines by resource (--out) as without: the glob is tested in one place", () => {
    const { dir } = run(["--out", "DIR/lines.csv"]);
    const lines = readCsv(readFileSync(`${dir}/lines.csv`, "utf8"));
    const byRule = sum(lines.filter((l) => l.x_AllocationRule === "databases").map((l) => l.EffectiveCost!));
    expect(byRule.equals(pool)).toBe(true);
    const ids = new Set(lines.filter((l) => l.x_AllocationRule === "databases").map((l) => l.ResourceId));
    expect([...ids].sort()).toEqual(["ARN:AWS:RDS:us-east-1:1:db:ledger", "arn:aws:rds:us-east-1:1:db:orders"]);
  });

  it("must fail: '_' in a glob is itself, not any character (LIKE's meaning)", () => {
    const { json } = run([], "arn:aws:rds_*");
    const taken = sum(json.allocations.map((a) => a.byRule.databases ?? "0"));
    expect(taken.equals(new Decimal("2.25"))).toBe(true);
  });

  it("must fail: a glob that fits no id takes nothing and is warned about", () => {
    const { json, result } = run([], "arn:aws:s3:*");
    expect(json.allocations.every((a) => a.byRule.databases === undefined)).toBe(true);
    expect(result.stderr + json.warnings.join("\n")).toMatch(/databases.*selects no charge/);
  });
});

describe("a rule on resource ids on the real FOCUS 1.0 sample, recomputed from its rows", () => {
  // An org of our own (a ferry line) whose shared fleet of EC2 instances is split evenly, the rest by CostCenter.
  // The glob is written in capitals: the sample's ids are lower case ("i-0..."), so it must match without regard to case.
  const org = `version: 1
currency: USD
costBasis: EffectiveCost
tags:
  required:
    - key: CostCenter
org:
  units:
    - id: ferries
      owner: ops@halcyon.example
      costCenter: HF-1
      teams:
        - { id: crossings, owner: c@halcyon.example, costCenter: HF-10, budget: 500 }
        - { id: freight, owner: f@halcyon.example, costCenter: HF-20, budget: 500 }
allocation:
  rules:
    - { name: fleet, method: even, match: { resourceId: "I-0*" } }
    - { name: owned, method: direct, keys: [CostCenter] }
`;

  it("takes exactly the rows whose ResourceId starts with i-0, to the last digit, and nothing else", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "allot.yaml"), org);
    const file = join(sharedData, "focus-1.0-sample", "focus_sample.csv");
    // Independently: the month's rows (one row is billed in October), ids compared in lower case by prefix.
    const month = readCsv(readFileSync(file, "utf8")).filter((r) => r.BillingPeriodStart!.startsWith("2024-09"));
    const fleet = month.filter((r) => r.ResourceId!.toLowerCase().startsWith("i-0"));
    expect(fleet.length).toBeGreaterThan(10);
    const pool = sum(fleet.map((r) => r.EffectiveCost!));
    expect(pool.greaterThan(0)).toBe(true);

    const run = allot(["allocate", "--config", join(dir, "allot.yaml"), "--input", file, "--out", join(dir, "lines.csv"), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(new Decimal((JSON.parse(run.stdout) as { totalCost: string }).totalCost).equals(sum(month.map((r) => r.EffectiveCost!)))).toBe(true);
    const lines = readCsv(readFileSync(join(dir, "lines.csv"), "utf8")).filter((l) => l.x_AllocationRule === "fleet");
    expect(sum(lines.map((l) => l.EffectiveCost!)).equals(pool)).toBe(true);
    expect([...new Set(lines.map((l) => l.ResourceId))].sort()).toEqual([...new Set(fleet.map((r) => r.ResourceId))].sort());
    expect(new Set(lines.map((l) => l.x_AllocatedTo))).toEqual(new Set(["crossings", "freight"]));
  });
});
