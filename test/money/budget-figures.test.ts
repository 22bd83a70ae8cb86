// Budget figures and invoice adjustments for a currency without minor units (JPY): a team's status and
// its change from last month are decided on the exact cost, the columns people add up (budget - cost =
// variance) on the shown one; an adjustment an invoice cannot carry (half a yen) is refused at its line.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../reports/money";
import { allot, tempDir } from "../helpers";
import { writeFocus, writeOrg, type BillRow } from "./bills";

interface Team { team: string; cost: string; budget: string; variance: string; usedPct: number | null; status: string; changePct: number | null }

// Budgets are 100 each (writeOrg). a spends 100.4 yen: shown as 100, at its budget, but over it. b spends
// 50.5 in both months: the month's 150.9 shows as 151, and largest remainder gives b's half: 51 both months.
const rows: BillRow[] = [
  { cost: "100.4", tags: { team: "a" }, currency: "JPY" },
  { cost: "50.5", tags: { team: "b" }, currency: "JPY" },
  { cost: "80", tags: { team: "a" }, currency: "JPY", month: "2026-09" },
  { cost: "50.5", tags: { team: "b" }, currency: "JPY", month: "2026-09" },
];

function setup() {
  const dir = tempDir();
  return { dir, config: writeOrg(dir, "", "", "JPY"), bill: writeFocus(dir, "bill.csv", rows) };
}

describe("budget figures in yen", () => {
  it("decides status and change on the exact cost; budget - cost = variance as shown", () => {
    const { dir, config, bill } = setup();
    const out = join(dir, "report");
    const run = allot(["report", "--config", config, "--input", bill, "--out", out, "--format", "json,md", "--month", "2026-10", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    const data = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as { teams: Team[]; recommendations: string[] };
    const teams = data.teams;
    const a = teams.find((t) => t.team === "a")!;
    const b = teams.find((t) => t.team === "b")!;
    // must fail on a status taken from the shown 100 yen: 100.0% would be "at risk", not over.
    expect(a).toMatchObject({ cost: "100", budget: "100", variance: "0", usedPct: 100.4, status: "over" });
    // must fail on a change taken from the shown 51 against last month's exact 50.5 (+1.0%).
    expect(b).toMatchObject({ cost: "51", variance: "49", changePct: 0 });
    for (const t of teams) expect(new Decimal(t.budget).minus(t.cost).toFixed()).toBe(new Decimal(t.variance).toFixed());
    // Over by 0.4 yen: said as less than one yen, never as "0 over" or "0.0% over".
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("**Over budget:** a (less than ¥1 over, 100.4%).");
    expect(data.recommendations[0]).toMatch(/^a is 0\.4% over its budget \(less than 1 JPY over\): /);
  });

  it("chargeback's budget table says the same", () => {
    const { dir, config, bill } = setup();
    const out = join(dir, "invoices");
    const run = allot(["chargeback", "--config", config, "--input", bill, "--out", out, "--month", "2026-10"]);
    expect(run.code, run.stderr).toBe(0);
    const csv = readFileSync(join(out, "budgets.csv"), "utf8");
    // The percent used at the report's one place.
    expect(csv).toMatch(/^a,100,100,0,100\.4,over$/m);
  });
});

describe("adjustments in yen", () => {
  const adjust = (amount: string) => {
    const { dir, config, bill } = setup();
    const file = join(dir, "adjustments.csv");
    writeFileSync(file, `invoice,amount,reason,approvedBy\nINV-2026-10-a,${amount},credit for an outage,finops@x.co\n`);
    return { dir, run: allot(["chargeback", "--config", config, "--input", bill, "--out", join(dir, "invoices"), "--month", "2026-10", "--adjustments", file]) };
  };

  it("takes whole yen, and the invoice adds up as shown", () => {
    const { dir, run } = adjust("-7");
    expect(run.code, run.stderr).toBe(0);
    const { invoices } = JSON.parse(readFileSync(join(dir, "invoices", "invoices.json"), "utf8")) as { invoices: { party: string; subtotal: string; markup: string; discount: string; total: string; adjustments: { amount: string }[] }[] };
    const a = invoices.find((i) => i.party === "a")!;
    // a's 100.4 yen shows as 100 (the month's rounding gave b the odd yen); no rate card: 100 - 7.
    expect(a).toMatchObject({ subtotal: "100", markup: "0", discount: "0", total: "93", adjustments: [{ amount: "-7" }] });
  });

  it("must fail: half a yen is refused at its line, never rounded away on one line and kept on another", () => {
    const { run } = adjust("-0.5");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("adjustments.csv:2: amount -0.5 has more decimal places than JPY has (0)");
  });
});
