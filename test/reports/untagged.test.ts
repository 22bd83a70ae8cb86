// The costliest untagged resources (compliance's topUntagged), on a bill written by hand: ranked by cost,
// ties by id; each shown with the least of its accounts and services when it has several (a resource id can
// recur across subscriptions, as in the real Azure EA sample), so the same bill always gives the same
// figures; costs summed exactly; compliant resources never listed.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { allot, sharedData, tempDir } from "../helpers";
import { readCsv, sum, writeFocus, writeOrg, type BillRow } from "../money/bills";

interface Untagged {
  resourceId: string;
  account: string | null;
  service: string | null;
  cost: string;
  problems: string[];
}

function bill() {
  const dir = tempDir();
  const rows: BillRow[] = [
    // "shared" is untagged under two accounts and two services, over several rows.
    { cost: "3.10", resource: "shared", account: "222222222222", service: "Amazon S3" },
    { cost: "2.00", resource: "shared", account: "111111111111", service: "Amazon EC2" },
    { cost: "0.000000000000000001", resource: "shared", account: "333333333333", service: "AWS Lambda" },
    // Two resources of the same cost: ranked by id.
    { cost: "4.00", resource: "tie-b" },
    { cost: "4.00", resource: "tie-a" },
    { cost: "9.00", resource: "tagged", tags: { team: "a" } },
    { cost: "1.00", resource: "wrong-team", tags: { team: "nobody" } },
  ];
  return { rows, bill: writeFocus(dir, "bill.csv", rows), config: writeOrg(dir, "") };
}

const compliance = (config: string, input: string) => {
  const run = allot(["compliance", "--config", config, "--input", input, "--json", "--quiet"]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { topUntagged: Untagged[]; resources: { total: number; compliant: number } };
};
const untagged = (config: string, input: string) => compliance(config, input).topUntagged;

describe("the costliest untagged resources", () => {
  it("ranked by exact cost, ties by id, each with the least of its accounts and services, the same every run", () => {
    const { rows, bill: input, config } = bill();
    const first = untagged(config, input);
    expect(first.map((u) => [u.resourceId, u.cost])).toEqual([
      ["shared", sum(rows.filter((r) => r.resource === "shared").map((r) => r.cost)).toFixed()],
      ["tie-a", "4"],
      ["tie-b", "4"],
      ["wrong-team", "1"],
    ]);
    expect(first[0]).toMatchObject({ account: "111111111111", service: "AWS Lambda", problems: ["missing team"] });
    expect(first[3]!.problems).toEqual(['team="nobody" not allowed']);
    for (let i = 0; i < 4; i++) expect(untagged(config, input)).toEqual(first);
  });

  // The tenth place is chosen on exact costs too: fifteen resources at the same cost give the ten smallest
  // ids, and one a billionth of a billionth above 1,000,000,000 (the same DOUBLE) outranks them all.
  it("chooses the ten on exact costs, ties by id, past what a DOUBLE tells apart", () => {
    const dir = tempDir();
    const ids = Array.from({ length: 15 }, (_, i) => `r-${String(i).padStart(2, "0")}`);
    const rows: BillRow[] = [...ids.map((resource) => ({ cost: "1000000000", resource })), { cost: "1000000000.000000000000000001", resource: "r-99" }];
    expect(new Decimal("1000000000.000000000000000001").toNumber()).toBe(1e9);
    const top = untagged(writeOrg(dir, ""), writeFocus(dir, "bill.csv", rows));
    expect(top.map((u) => u.resourceId)).toEqual(["r-99", ...ids.slice(0, 9)]);
    expect(top[0]!.cost).toBe("1000000000.000000000000000001");
  });

  it("a tag value holding ', ' is one problem, not two", () => {
    const dir = tempDir();
    const rows: BillRow[] = [{ cost: "5", resource: "odd", tags: { team: "x, missing team" } }];
    const top = untagged(writeOrg(dir, ""), writeFocus(dir, "bill.csv", rows));
    expect(top.map((u) => u.problems)).toEqual([['team="x, missing team" not allowed']]);
  });

  it("must fail: tagged, the same resource is not listed", () => {
    const { rows, config } = bill();
    const dir = tempDir();
    const tagged = writeFocus(dir, "tagged.csv", rows.map((r) => (r.resource === "shared" ? { ...r, tags: { team: "b" } } : r)));
    expect(untagged(config, tagged).map((u) => u.resourceId)).toEqual(["tie-a", "tie-b", "wrong-team"]);
  });
});

describe("resource figures on the real FOCUS 1.0 sample, recomputed from its rows", () => {
  // An org of our own that charges back by CostCenter: a resource is compliant when every usage row of it
  // carries a CostCenter with a value (36 of the sample's rows do).
  const org = `version: 1
currency: USD
costBasis: EffectiveCost
tags:
  required:
    - key: CostCenter
org:
  units:
    - id: finance
      owner: finance@example.org
      costCenter: FIN-1
      teams:
        - { id: ledger, owner: ledger@example.org, costCenter: FIN-11, budget: 100 }
allocation:
  rules:
    - { name: owned, method: direct, keys: [CostCenter] }
`;

  it("counts resources, compliant ones and the ten costliest untagged as the raw rows say", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "allot.yaml"), org);
    const file = join(sharedData, "focus-1.0-sample", "focus_sample.csv");
    // Independently: the month's usage rows with a resource id ("NULL" is none; one row is billed in October, the
    // month allot does not report), a resource compliant when each of its rows
    // has a CostCenter holding text other than blanks; cost per resource summed with Decimal from the text.
    const rows = readCsv(readFileSync(file, "utf8")).filter((r) => r.BillingPeriodStart!.startsWith("2024-09") && r.ChargeCategory!.toLowerCase() === "usage" && r.ResourceId !== "" && r.ResourceId !== "NULL");
    const byResource = new Map<string, { ok: boolean; cost: Decimal }>();
    for (const r of rows) {
      let tags: Record<string, unknown> = {};
      try {
        tags = JSON.parse(r.Tags!) as Record<string, unknown>;
      } catch {
        tags = {};
      }
      const value = tags && typeof tags === "object" ? tags.CostCenter : undefined;
      const ok = typeof value === "string" && value.trim() !== "" && value.trim() !== "NULL";
      const entry = byResource.get(r.ResourceId!) ?? { ok: true, cost: new Decimal(0) };
      byResource.set(r.ResourceId!, { ok: entry.ok && ok, cost: entry.cost.plus(r.EffectiveCost!) });
    }
    const worst = [...byResource].filter(([, v]) => !v.ok && v.cost.greaterThan(0))
      .sort(([a, x], [b, y]) => y.cost.comparedTo(x.cost) || (a < b ? -1 : 1)).slice(0, 10);

    const result = compliance(join(dir, "allot.yaml"), file);
    expect(result.resources).toEqual({ total: byResource.size, compliant: [...byResource.values()].filter((v) => v.ok).length, compliancePct: expect.anything() });
    expect(result.resources.compliant).toBeGreaterThan(0);
    expect(result.topUntagged.map((u) => [u.resourceId, u.cost])).toEqual(worst.map(([id, v]) => [id, v.cost.toFixed()]));
  });
});
