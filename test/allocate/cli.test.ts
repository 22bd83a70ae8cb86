import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCostModel } from "../../model";
import { buildInvoices } from "../../reports/chargeback/invoices";
import type { AllocationLine, AllocationResult } from "../../reports/allocate/engine";
import { Decimal } from "../../reports/money";
import { withDuckDB } from "../../reports/read/duckdb";
import { allot, makeSample, tempDir } from "../helpers";
import type { Truth } from "../../reports/sample/truth";

let sample: { out: string; truth: Truth };
beforeAll(async () => {
  sample = await makeSample({ rows: 8000, months: 2 });
});

const args = (...extra: string[]) => ["--config", join(sample.out, "allot.yaml"), "--input", join(sample.out, "focus", "*.parquet"), "--metrics", join(sample.out, "metrics.csv"), "--metering", join(sample.out, "metering.csv"), "--k8s", join(sample.out, "opencost", "*.json"), ...extra];

describe("allot allocate", () => {
  it("--json: totals and allocations by rule as decimal strings, conserving the bill", () => {
    const run = allot(["allocate", ...args("--json")]);
    expect(run.code, run.stderr).toBe(0);
    const s = JSON.parse(run.stdout) as { totalCost: string; allocatedCost: string; unallocatedCost: string; allocations: { target: string; amount: string; byRule: Record<string, string> }[] };
    expect(s.totalCost).toBe(new Decimal(sample.truth.months["2026-10"]!.EffectiveCost).toFixed());
    expect(new Decimal(s.allocatedCost).plus(s.unallocatedCost).toFixed()).toBe(s.totalCost);
    expect(Decimal.sum(0, ...s.allocations.map((a) => new Decimal(a.amount))).toFixed()).toBe(new Decimal(s.allocatedCost).toFixed());
    const checkout = s.allocations.find((a) => a.target === "checkout")!;
    expect(Object.keys(checkout.byRule).sort()).toEqual(["llm-gateway", "observability", "owner-tags", "shared-kubernetes", "shared-network", "taxes-and-support"]);
    expect(Decimal.sum(0, ...Object.values(checkout.byRule).map((v) => new Decimal(v))).toFixed()).toBe(new Decimal(checkout.amount).toFixed());
    // Direct attribution is truth.json's, shown in cents (by largest remainder: within one cent).
    expect(new Decimal(checkout.byRule["owner-tags"]!).minus(sample.truth.months["2026-10"]!.byTeam.checkout!.EffectiveCost).abs().lessThan("0.01")).toBe(true);
    expect(s.allocations.every((a) => new Decimal(a.amount).decimalPlaces() <= 2)).toBe(true);
  });

  it("--out writes the allocated cost table as CSV and as Parquet with the x_Allocation columns", async () => {
    const dir = tempDir();
    for (const file of ["table.csv", "table.parquet"]) expect(allot(["allocate", ...args("--out", join(dir, file))]).code).toBe(0);
    const rows = await withDuckDB(async (db) => (await db.runAndReadAll(`SELECT x_AllocationMethod, COUNT(*) AS n, CAST(SUM(EffectiveCost) AS VARCHAR) AS total FROM read_parquet('${join(dir, "table.parquet")}') GROUP BY 1 ORDER BY 1`)).getRowObjectsJS());
    expect(rows.map((r) => r.x_AllocationMethod)).toEqual(["activity", "direct", "even", "kubernetes", "proportional", "weighted"]);
    const total = Decimal.sum(0, ...rows.map((r) => new Decimal(String(r.total))));
    expect(total.toFixed()).toBe(new Decimal(sample.truth.months["2026-10"]!.EffectiveCost).toFixed());
    const header = readFileSync(join(dir, "table.csv"), "utf8").split("\n")[0];
    expect(header).toBe("BillingPeriodStart,ProviderName,SubAccountId,ServiceName,ServiceCategory,RegionId,ChargeCategory,ResourceId,ResourceType,AllocatedMethodId,Tags,BillingCurrency,EffectiveCost,x_AllocatedTo,x_AllocationRule,x_AllocationTier,x_AllocationMethod,x_AllocationShare,x_UnallocatedReason,x_AllocatedCostRounded");
  });

  it("--out rows add up, target by target, to --json to the last digit", async () => {
    const dir = tempDir();
    const run = allot(["allocate", ...args("--json")]);
    const s = JSON.parse(run.stdout) as { allocations: { target: string; amount: string }[]; allocatedCost: string };
    expect(allot(["allocate", ...args("--out", join(dir, "table.parquet"))]).code).toBe(0);
    const rows = await withDuckDB(async (db) => (await db.runAndReadAll(`SELECT x_AllocatedTo AS target, CAST(SUM(x_AllocatedCostRounded) AS VARCHAR) AS shown FROM read_parquet('${join(dir, "table.parquet")}') WHERE x_AllocatedTo IS NOT NULL GROUP BY 1 ORDER BY 1`)).getRowObjectsJS());
    expect(rows.map((r) => [r.target, new Decimal(String(r.shown)).toFixed(2)])).toEqual(s.allocations.map((a) => [a.target, a.amount]));
  });

  it("names the rule when its data is missing: OpenCost's allocation, then a metric", () => {
    const bill = ["allocate", "--config", join(sample.out, "allot.yaml"), "--input", join(sample.out, "focus", "*.parquet")];
    const run = allot(bill);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^allot: allocation rule "shared-kubernetes": method kubernetes needs OpenCost's allocation; pass --k8s with its \/allocation responses or CSV export\n$/);
    const withK8s = allot([...bill, "--k8s", join(sample.out, "opencost", "*.json")]);
    expect(withK8s.code).toBe(2);
    expect(withK8s.stderr).toMatch(/^allot: allocation rule "[a-z-]+": metric [a-z-]+ has no values in 2026-10; pass --metrics with a metrics file\n$/);
  });
});

describe("allot chargeback", () => {
  it("writes invoices, budgets and an audit trail, with reviewed adjustments applied", () => {
    const dir = tempDir();
    const adjustments = join(dir, "adjustments.csv");
    writeFileSync(adjustments, 'invoice,amount,reason,approvedBy\nINV-2026-10-payments,-125.50,"Dispute #42: duplicate RDS hours, approved",finops@northwind.example\n');
    const run = allot(["chargeback", ...args("--out", dir, "--adjustments", adjustments)]);
    expect(run.code, run.stderr).toBe(0);
    const { invoices } = JSON.parse(readFileSync(join(dir, "invoices.json"), "utf8")) as { invoices: { id: string; mode: string; subtotal: string; total: string; lines: { amount: string }[]; adjustments: { reason: string }[] }[] };
    const payments = invoices.find((i) => i.id === "INV-2026-10-payments")!;
    expect(Decimal.sum(0, ...payments.lines.map((l) => new Decimal(l.amount))).toFixed(2)).toBe(payments.subtotal);
    expect(new Decimal(payments.subtotal).minus("125.50").toFixed(2)).toBe(payments.total);
    expect(payments.adjustments[0]!.reason).toBe("Dispute #42: duplicate RDS hours, approved");
    expect(invoices.find((i) => i.id === "INV-2026-10-checkout")!.mode).toBe("chargeback");
    const audit = JSON.parse(readFileSync(join(dir, "audit.json"), "utf8")) as { adjustments: { source: string; amount: string }[] };
    expect(audit.adjustments).toEqual([expect.objectContaining({ source: `${adjustments}:2`, amount: "-125.5" })]);
    expect(readFileSync(join(dir, "budgets.csv"), "utf8")).toMatch(/^team,budget,allocated,variance,usedPct,status\n/);
  });

  it("rejects an adjustment for an unknown invoice or without a reason, naming file and line", () => {
    const dir = tempDir();
    const bad = join(dir, "adj.csv");
    writeFileSync(bad, "invoice,amount,reason,approvedBy\nINV-2026-10-nobody,-1,typo,me\n");
    const run = allot(["chargeback", ...args("--out", dir, "--adjustments", bad)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${bad}:2: invoice "INV-2026-10-nobody" is not one of this month's invoices`);
    writeFileSync(bad, "invoice,amount,reason,approvedBy\nINV-2026-10-payments,-1,,me\n");
    expect(allot(["chargeback", ...args("--out", dir, "--adjustments", bad)]).stderr).toContain(`${bad}:2: every adjustment needs a reason`);
  });
});

describe("invoices", () => {
  const model = parseCostModel(`
currency: USD
tags: { required: [{ key: team, values: org.teams }] }
org:
  units:
    - id: u
      teams:
        - { id: a, owner: a@x.co, costCenter: CC-1, budget: 1000, billingMode: auto }
        - { id: b, owner: b@x.co, costCenter: CC-2, budget: 500, billingMode: chargeback }
budgets: { alerts: [{ threshold: 75, type: actual }, { threshold: 100, type: actual }] }
chargeback: { markupPct: 5, discounts: [{ above: 600, pct: 10 }, { above: 800, pct: 20 }] }
compliance: { chargebackThreshold: 90 }
`);
  const line = (target: string, amount: string, service: string, rule: string): AllocationLine => ({
    month: "2026-10", target, rule, method: "direct", share: "1", amount: new Decimal(amount),
    group: { month: "2026-10", provider: "AWS", account: null, service, serviceCategory: null, region: null, chargeCategory: "Usage", resourceType: null, resourceId: null, tags: null, tagsFormat: "focus", cost: new Decimal(amount), rows: 1 },
  });
  const result = (lines: AllocationLine[]): AllocationResult => ({ total: Decimal.sum(0, ...lines.map((l) => l.amount)), allocated: Decimal.sum(0, ...lines.map((l) => l.amount)), unallocated: new Decimal(0), lines, reconciliation: [] });

  it("applies markup and marginal volume discounts, rounds lines by largest remainder, and earns the mode", () => {
    const { invoices, budgets } = buildInvoices(model, "2026-10", result([line("a", "333.333", "EC2", "r1"), line("a", "333.333", "S3", "r1"), line("a", "333.334", "RDS", "r2"), line("b", "400", "EC2", "r1")]), new Map([["a", new Decimal("92.5")], ["b", new Decimal(10)]]), []);
    const a = invoices.find((i) => i.party === "a")!;
    // The lines are nodes of the one rounding tree, target then rule then service: rule r1's 666.666 shows as
    // 666.67 (the larger remainder of 1,000.00's two rules), and its two services split that, the cent to the first.
    expect(Object.fromEntries(a.lines.map((l) => [l.service, l.amount]))).toEqual({ EC2: "333.34", S3: "333.33", RDS: "333.33" });
    // subtotal 1000.00; markup 5% = 50.00; discount 10% of 600-800 (20.00) + 20% of 800-1000 (40.00) = 60.00.
    expect([a.subtotal, a.markup, a.discount, a.total]).toEqual(["1000.00", "50.00", "60.00", "990.00"]);
    expect(a.mode).toBe("chargeback");
    expect(budgets).toEqual([
      { team: "a", budget: "1000.00", allocated: "1000.00", variance: "0.00", usedPct: 100, status: "at risk" },
      { team: "b", budget: "500.00", allocated: "400.00", variance: "100.00", usedPct: 80, status: "at risk" },
    ]);
    const low = buildInvoices(model, "2026-10", result([line("a", "10", "EC2", "r1")]), new Map([["a", new Decimal(60)]]), []);
    expect(low.invoices.find((i) => i.party === "a")!.mode).toBe("showback");
    expect(low.budgets.find((b) => b.team === "b")!.status).toBe("under");
  });
});

describe("one billing mode and one team compliance, whichever command asks", () => {
  it("chargeback's invoices, the report and allot compliance agree team by team", () => {
    // Every team in auto mode, with a threshold that splits them, so the decision is exercised both ways.
    const dir = tempDir();
    const billOnly = (cfg: string) => ["--config", cfg, "--input", join(sample.out, "focus", "*.parquet"), "--json"];
    const compliance = JSON.parse(allot(["compliance", ...billOnly(join(sample.out, "allot.yaml"))]).stdout) as { teams: { team: string; compliancePct: number | null }[] };
    const shares = compliance.teams.map((t) => t.compliancePct).filter((p): p is number => p !== null).sort((a, b) => a - b);
    const threshold = shares[Math.floor(shares.length / 2)]!;
    const config = join(dir, "allot.yaml");
    const text = readFileSync(join(sample.out, "allot.yaml"), "utf8").replace("defaultBillingMode: showback", "defaultBillingMode: auto").replace(/billingMode: (chargeback|showback)\n/g, "billingMode: auto\n").replace("chargebackThreshold: 90", `chargebackThreshold: ${threshold}`);
    writeFileSync(config, text);
    const withConfig = (extra: string[]) => ["--config", config, ...args(...extra).slice(2)];
    const teams = (JSON.parse(allot(["compliance", ...billOnly(config)]).stdout) as { teams: { team: string; earns: string; compliancePct: number | null }[] }).teams;
    expect(new Set(teams.map((t) => t.earns))).toEqual(new Set(["showback", "chargeback"]));
    const chargeback = allot(["chargeback", ...withConfig(["--out", join(dir, "cb")])]);
    expect(chargeback.code, chargeback.stderr).toBe(0);
    const { invoices } = JSON.parse(readFileSync(join(dir, "cb", "invoices.json"), "utf8")) as { invoices: { party: string; mode: string }[] };
    const report = allot(["report", ...withConfig(["--out", join(dir, "report"), "--format", "json"])]);
    expect(report.code, report.stderr).toBe(0);
    const data = JSON.parse(readFileSync(join(dir, "report", "report.json"), "utf8")) as { teams: { team: string; earns: string; compliancePct: number | null }[]; invoices: { party: string; mode: string }[] };
    for (const t of teams) {
      const expected = t.compliancePct !== null && t.compliancePct >= threshold ? "chargeback" : "showback";
      expect(t.earns, t.team).toBe(expected);
      expect(invoices.find((i) => i.party === t.team)?.mode, t.team).toBe(expected);
      expect(data.invoices.find((i) => i.party === t.team)?.mode, t.team).toBe(expected);
      expect(data.teams.find((r) => r.team === t.team), t.team).toMatchObject({ earns: expected, compliancePct: t.compliancePct });
    }
  });
});
