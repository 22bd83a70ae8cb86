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
