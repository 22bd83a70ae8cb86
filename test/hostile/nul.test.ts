// A NUL byte (or any other character) in a tag value, service or rule name cannot split an internal key:
// cost stays with the team and the value it belongs to.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allot, root, tempDir } from "../helpers";

describe("composite keys no byte can split", () => {
  it("a NUL in a project tag and a service name keeps cost with its own team, value and service", () => {
    const dir = tempDir();
    const tags = (team: string, cc: string, project: string) => JSON.stringify({ team, "cost-center": cc, environment: "prod", project }).replace(/"/g, '""');
    const header = "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargeCategory,ProviderName,SubAccountId,ServiceName,ResourceId,Tags";
    const rows = [
      `10.00,10.00,USD,2026-10-01,2026-10-02,Usage,AWS,222233334444,"EC2\u0000checkout",r1,"${tags("payments", "CC-1200", "alpha\u0000checkout")}"`,
      `5.00,5.00,USD,2026-10-01,2026-10-02,Usage,AWS,222233334444,EC2,r2,"${tags("checkout", "CC-1100", "alpha")}"`,
    ];
    writeFileSync(join(dir, "bill.csv"), `${header}\n${rows.join("\n")}\n`);
    const config = join(dir, "allot.yaml");
    // The sample model with only its direct rule, so each team's cost is exactly its own charges.
    const sample = readFileSync(join(root, "allot.yaml"), "utf8");
    writeFileSync(config, sample.slice(0, sample.indexOf("allocation:")) + "allocation:\n  rules:\n    - name: owner-tags\n      method: direct\n      keys: [team, cost-center]\n" + sample.slice(sample.indexOf("budgets:")));
    const run = allot(["report", "--config", config, "--input", join(dir, "bill.csv"), "--out", join(dir, "out"), "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const data = JSON.parse(readFileSync(join(dir, "out", "report.json"), "utf8")) as { breakdowns: { key: string; value: string; team: string; cost: string }[]; teams: { team: string; cost: string }[]; invoices: { party: string; lines: { service: string; amount: string }[] }[] };
    expect(data.breakdowns.filter((b) => b.key === "project")).toEqual([
      { key: "project", value: "alpha", team: "checkout", cost: "5.00" },
      { key: "project", value: "alpha\u0000checkout", team: "payments", cost: "10.00" },
    ]);
    expect(data.teams.find((t) => t.team === "payments")?.cost).toBe("10.00");
    expect(data.teams.find((t) => t.team === "checkout")?.cost).toBe("5.00");
    expect(data.invoices.find((i) => i.party === "payments")?.lines).toEqual([expect.objectContaining({ service: "EC2\u0000checkout", amount: "10.00" })]);
  });
});

// Tag keys the standard does not read are removed by name inside the scan when a bill has many tag texts
// (read/tag-projection.ts), so such keys are written into the SQL: a NUL, a quote or a backslash in one must
// neither break the query nor change a figure.
describe("tag keys with NUL, quotes and backslashes in a bill with a Name per resource", () => {
  const header = "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargeCategory,ProviderName,SubAccountId,ServiceName,ResourceId,Tags";
  const bill = (odd: boolean) =>
    Array.from({ length: 3000 }, (_, i) => {
      const tags: Record<string, string> = { team: i % 3 ? "checkout" : "payments", "cost-center": i % 3 ? "CC-1100" : "CC-1200", environment: i % 5 ? "prod" : "bogus", Name: `r${i}` };
      if (odd) Object.assign(tags, { "we\u0000ird": "x", "qu\"o'te": "y", "back\\slash": "z", "ключ": "w" });
      const amount = `1.${String(i % 100).padStart(2, "0")}`;
      return `${amount},${amount},USD,2026-10-01,2026-10-02,Usage,AWS,222233334444,EC2,r${i},"${JSON.stringify(tags).replace(/"/g, '""')}"`;
    });

  it("compliance is the same as without those keys, and the usage cost is the bill's, recomputed from its rows", () => {
    const dir = tempDir();
    const results = [true, false].map((odd) => {
      const file = join(dir, `${odd ? "odd" : "plain"}.csv`);
      writeFileSync(file, `${header}\n${bill(odd).join("\n")}\n`);
      const run = allot(["compliance", "--config", join(root, "allot.yaml"), "--input", file, "--month", "2026-10", "--json", "--quiet"]);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as { usageCost: string; compliantCost: string; resources: { total: number; compliant: number } };
    });
    expect(results[0]).toEqual(results[1]);
    let cents = 0;
    for (let i = 0; i < 3000; i++) cents += 100 + (i % 100);
    expect(results[0]!.usageCost).toBe((cents / 100).toFixed(2).replace(/\.?0+$/, ""));
    // environment=bogus on every fifth resource: not compliant.
    expect(results[0]!.resources).toMatchObject({ total: 3000, compliant: 2400 });
  });
});
