// Honest figures: no percentage of nothing (null in JSON, empty in CSV, "n/a" in Markdown, HTML and the
// terminal), and no movers, forecast or anomaly without the history they need, with the report saying so.
// Bills and the org are written here; expected figures are recomputed from the rows with decimal.js.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { allot, sharedData, tempDir } from "../helpers";
import { sum, writeFocus, type BillRow } from "../money/bills";

/** A research lab, unlike the sample: one unit, two labs tagged by `lab`, one earning its billing mode. */
function writeLab(dir: string): string {
  const file = join(dir, "allot.yaml");
  writeFileSync(file, `version: 1
currency: USD
tags:
  required:
    - { key: lab, values: org.teams }
compliance:
  chargebackThreshold: 80
org:
  units:
    - id: research
      teams:
        - { id: genomics, owner: pi@lab.example, costCenter: CC-GEN, budget: 1000, billingMode: auto }
        - { id: imaging, owner: img@lab.example, costCenter: CC-IMG, budget: 400, billingMode: showback }
allocation:
  rules:
    - { name: owned, method: direct, keys: [lab] }
`);
  return file;
}

const pad = (d: number) => String(d).padStart(2, "0");
const daysOf = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();

/** A month of daily usage: genomics on S3 at $10 a day with spikes of $900 on the given days, imaging on EC2 at `ec2` a day. */
function month(m: string, ec2: string, spikes: number[] = []): BillRow[] {
  return Array.from({ length: daysOf(m) }, (_, i) => i + 1).flatMap((d): BillRow[] => [
    { cost: spikes.includes(d) ? "900" : "10", month: m, day: pad(d), service: "Amazon S3", category: "Storage", resource: "bucket-reads", tags: { lab: "genomics" } },
    { cost: ec2, month: m, day: pad(d), service: "Amazon EC2", resource: "i-scope", tags: { lab: "imaging" } },
  ]);
}

interface Report {
  summary: { topDrivers: { service: string; from: string; to: string; change: string }[]; changePct: number | null; lastMonth: string | null; anomalies: number; costCompliancePct: number | null; unallocatedPct: number | null; budgetUsedPct: number | null; total: string; budget: string };
  anomalies: { date: string; team: string; service: string; cost: string; baseline: string; jump: string; score: number | null }[];
  forecast: { team: string; monthEndLow: string | null; nextMonth: string | null; nextLow: string | null; nextHigh: string | null; lastForecast: string | null }[];
  withheld: { movers: string | null; anomalies: string | null; forecast: string | null };
  teams: { team: string; compliancePct: number | null; earns: string; usedPct: number | null; changePct: number | null }[];
  composition: { sharePct: number | null }[];
  compliance: { costCompliancePct: number | null; resources: { compliancePct: number | null }; byKey: { compliancePct: number | null }[] };
}

function report(rows: BillRow[], ...extra: string[]) {
  const dir = tempDir();
  const bill = writeFocus(dir, "bill.csv", rows);
  const out = join(dir, "report");
  const run = allot(["report", "--config", writeLab(dir), "--input", bill, "--month", "2026-10", "--out", out, "--quiet", ...extra]);
  expect(run.code, run.stderr).toBe(0);
  const read = (name: string) => readFileSync(join(out, name), "utf8");
  return { data: JSON.parse(read("report.json")) as Report, md: read("report.md"), html: read("report.html"), read, dir, bill };
}

describe("a first month without history", () => {
  // One month, written by hand: a $900 spike on the 3rd (two days of data before it) and on the 20th.
  const first = month("2026-10", "4", [3, 20]);

  it("has no movers, no change from last month, no next-month forecast and no anomaly before a day has 7 days of history; the report says why", () => {
    const { data, md, html } = report(first);
    expect(data.summary.topDrivers).toEqual([]);
    expect(data.summary.changePct).toBeNull();
    expect(data.summary.lastMonth).toBeNull();
    expect(data.teams.map((t) => t.changePct)).toEqual([null, null]);
    expect(data.forecast.map((f) => [f.nextMonth, f.nextLow, f.nextHigh, f.lastForecast])).toEqual([[null, null, null, null], [null, null, null, null]]);
    // The spike on the 3rd has 2 days before it: not judged. The 20th has 14 days of $10: flagged against that baseline.
    const spike = first.find((r) => r.day === "20" && r.service === "Amazon S3")!;
    const baseline = new Decimal("10");
    expect(data.anomalies).toEqual([{ date: "2026-10-20", team: "genomics", service: "Amazon S3", cost: new Decimal(spike.cost).toFixed(2), baseline: baseline.toFixed(2), jump: new Decimal(spike.cost).minus(baseline).toFixed(2), score: null }]);
    expect(data.withheld).toEqual({
      movers: "No biggest movers and no change from last month: the input has no 2026-09 to compare with.",
      anomalies: "Anomalies are judged from 2026-10-08 on: a day needs 7 days of history before it, and the input's usage starts on 2026-10-01.",
      forecast: "No next-month forecast and no last month's forecast: they need 3 months of history, and the input has 1 (2026-10).",
    });
    for (const page of [md, html]) {
      expect(page).not.toContain("Biggest movers");
      expect(page).toContain("No biggest movers and no change from last month");
      expect(page).toContain("Anomalies are judged from 2026-10-08 on");
      expect(page).toContain("No next-month forecast and no last month");
    }
    // No zero-width range: the next month's range is n/a, not "$x – $x".
    expect(md).toMatch(/^\| genomics \| \$[\d,.]+ \| [^|]+ \| — \| n\/a \|/m);
  });

  it("must fail: with the months before in the input, the movers, the early spike and the forecasts appear", () => {
    const rows = [...month("2026-08", "3"), ...month("2026-09", "3"), ...first];
    const { data, md } = report(rows);
    // Movers recomputed from the rows: each service's October minus September, largest first.
    const byService = (m: string) => new Map(["Amazon S3", "Amazon EC2"].map((s) => [s, sum(rows.filter((r) => r.month === m && r.service === s).map((r) => r.cost))]));
    const [sep, oct] = [byService("2026-09"), byService("2026-10")];
    const expected = ["Amazon S3", "Amazon EC2"]
      .map((service) => ({ service, from: sep.get(service)!, to: oct.get(service)! }))
      .sort((a, b) => b.to.minus(b.from).comparedTo(a.to.minus(a.from)))
      .map((d) => ({ service: d.service, from: d.from.toFixed(2), to: d.to.toFixed(2), change: d.to.minus(d.from).toFixed(2) }));
    expect(data.summary.topDrivers).toEqual(expected);
    const [total, last] = [sum(rows.filter((r) => r.month === "2026-10").map((r) => r.cost)), sum(rows.filter((r) => r.month === "2026-09").map((r) => r.cost))];
    expect(data.summary.changePct).toBe(total.minus(last).times(100).dividedBy(last).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber());
    expect(data.anomalies.map((a) => a.date).sort()).toEqual(["2026-10-03", "2026-10-20"]);
    expect(data.withheld.movers).toBeNull();
    expect(data.withheld.anomalies).toBeNull();
    expect(data.withheld.forecast).toBe("No last month's forecast: it needs 3 months before 2026-10, and the input has 2 (2026-08, 2026-09).");
    for (const f of data.forecast) {
      expect(f.nextLow).not.toBeNull();
      expect(new Decimal(f.nextHigh!).greaterThanOrEqualTo(f.nextLow!)).toBe(true);
    }
    expect(md).toContain("**Biggest movers:**");
  });

  it("hostile: one stray row months before does not make the first days' $0 a baseline; the jump is named, not judged", () => {
    const rows: BillRow[] = [{ cost: "0.01", month: "2026-01", day: "15", service: "AWS Lambda", resource: "fn", tags: { lab: "imaging" } }, ...month("2026-10", "4", [3])];
    const { data, md } = report(rows);
    expect(data.anomalies).toEqual([]);
    expect(data.withheld.anomalies).toBe("No day jumped above its baseline this month. 1 day rose by 25 USD or more from a median of zero and is not judged, a jump from nothing having no scale (first: genomics, Amazon S3 on 2026-10-03).");
    expect(md).toContain("1 day rose by 25 USD or more from a median of zero");
    expect(data.summary.topDrivers).toEqual([]);
  });

  it("a partial first month has no month-end range from a few days, and no anomaly at all before 7 days of data", () => {
    const few = month("2026-10", "4", [3]).filter((r) => Number(r.day) <= 5);
    const { data } = report(few);
    expect(data.anomalies).toEqual([]);
    expect(data.forecast.map((f) => f.monthEndLow)).toEqual([null, null]);
    expect(data.withheld.anomalies).toBe("No anomalies: a day needs 7 days of history before it, and the input's usage starts on 2026-10-01.");
    expect(data.withheld.forecast).toContain("no month-end range: the input has 5 days of 2026-10, a range needs 7");
  });
});

describe("0 of 0: no percentage of nothing", () => {
  // A month of a tax and the credit that cancels it: no usage, no resources, a total of zero.
  const nothing: BillRow[] = [
    { cost: "5.00", chargeCategory: "Tax", service: "Tax", category: "Other" },
    { cost: "-5.00", chargeCategory: "Credit", service: "Credits", category: "Other" },
  ];

  it("compliance: null in --json, n/a on the terminal, --fail-under has nothing to fail and says so, auto teams earn showback", () => {
    const dir = tempDir();
    const args = ["compliance", "--config", writeLab(dir), "--input", writeFocus(dir, "bill.csv", nothing), "--month", "2026-10", "--quiet"];
    const json = allot([...args, "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const c = JSON.parse(json.stdout) as { costCompliancePct: number | null; resources: { total: number; compliancePct: number | null }; byKey: { compliancePct: number | null }[]; teams: { team: string; earns: string; compliancePct: number | null }[]; usageCost: string; totalCost: string };
    expect(c.usageCost).toBe("0");
    expect(c.totalCost).toBe(sum(nothing.map((r) => r.cost)).toFixed());
    expect(c.costCompliancePct).toBeNull();
    expect(c.resources).toMatchObject({ total: 0, compliancePct: null });
    expect(c.byKey.map((k) => k.compliancePct)).toEqual([null]);
    expect(c.teams).toEqual([
      { team: "genomics", billingMode: "auto", earns: "showback", compliancePct: null },
      { team: "imaging", billingMode: "showback", earns: "showback", compliancePct: null },
    ]);
    const text = allot(args);
    expect(text.stdout).toContain("No usage cost to measure (n/a)");
    expect(text.stdout).toContain("n/a of resources (0 of 0)");
    expect(text.stdout).not.toMatch(/100(\.0+)?%/);
    const gate = allot([...args, "--fail-under", "90"]);
    expect(gate.code).toBe(0);
    expect(gate.stderr).toContain("allot: --fail-under 90: no usage cost in 2026-10 to measure, so nothing to fail");
  });

  it("must fail: with usage, compliance is the tagged share, recomputed, and --fail-under fails below it", () => {
    const dir = tempDir();
    const rows: BillRow[] = [...nothing, { cost: "30", resource: "a", tags: { lab: "genomics" } }, { cost: "10", resource: "b" }];
    const args = ["compliance", "--config", writeLab(dir), "--input", writeFocus(dir, "bill.csv", rows), "--month", "2026-10", "--quiet"];
    const c = JSON.parse(allot([...args, "--json"]).stdout) as { costCompliancePct: number | null; resources: { compliancePct: number | null }; teams: { team: string; earns: string }[] };
    const usage = rows.filter((r) => (r.chargeCategory ?? "Usage") === "Usage");
    const expected = sum(usage.filter((r) => r.tags?.lab).map((r) => r.cost)).times(100).dividedBy(sum(usage.map((r) => r.cost))).toDecimalPlaces(2).toNumber();
    expect(c.costCompliancePct).toBe(expected);
    expect(c.resources.compliancePct).toBe(50);
    expect(c.teams.find((t) => t.team === "genomics")!.earns).toBe("chargeback");
    const gate = allot([...args, "--fail-under", "90"]);
    expect(gate.code).toBe(1);
    expect(gate.stderr).toContain(`compliance ${new Decimal(expected).toFixed(2)}% is below --fail-under 90%`);
  });

  it("report: null in report.json, empty in the CSV tables, n/a in Markdown and HTML; chargeback agrees on the billing mode", () => {
    const { data, md, html, read, dir, bill } = report(nothing);
    expect(data.summary.total).toBe(sum(nothing.map((r) => r.cost)).toFixed(2));
    expect(data.summary.costCompliancePct).toBeNull();
    expect(data.summary.unallocatedPct).toBeNull();
    // Budget use is the month's total against the budgets: 0 of 1,400 is 0%, a percentage of something.
    expect(data.summary.budgetUsedPct).toBe(0);
    expect(data.composition.map((c) => c.sharePct).every((p) => p === null)).toBe(true);
    expect(data.compliance.costCompliancePct).toBeNull();
    expect(data.compliance.resources.compliancePct).toBeNull();
    expect(data.compliance.byKey.map((k) => k.compliancePct)).toEqual([null]);
    expect(data.teams.map((t) => [t.team, t.compliancePct, t.earns])).toEqual([["genomics", null, "showback"], ["imaging", null, "showback"]]);

    const teamsCsv = read("tables/teams.csv").trim().split("\n").map((l) => l.split(","));
    const col = teamsCsv[0]!.indexOf("compliancePct");
    expect(teamsCsv.slice(1).map((r) => r[col])).toEqual(["", ""]);
    expect(read("tables/compliance-by-key.csv").trim().split("\n")[1]!.split(",").at(-1)).toBe("");
    expect(read("tables/composition.csv").trim().split("\n").slice(1).every((l) => l.endsWith(","))).toBe(true);

    expect(md).toContain("n/a of usage cost carries every required tag");
    expect(md).toMatch(/^\| research \| genomics \|.*\| auto → showback \| n\/a \|$/m);
    expect(data.withheld.anomalies).toBe("No anomalies: the input has no daily usage cost in 2026-10.");
    expect(data.forecast.map((f) => [f.monthEndLow, f.nextLow])).toEqual([[null, null], [null, null]]);
    expect(html).toContain("<b>n/a</b>of usage cost");
    for (const page of [md, html]) expect(page).not.toMatch(/100\.0%|(?<![\d.])0\.0% of usage/);

    const out = join(dir, "chargeback");
    const cb = allot(["chargeback", "--config", join(dir, "allot.yaml"), "--input", bill, "--month", "2026-10", "--out", out]);
    expect(cb.code, cb.stderr).toBe(0);
    const invoices = (JSON.parse(readFileSync(join(out, "invoices.json"), "utf8")) as { invoices: { party: string; mode: string }[] }).invoices;
    expect(invoices.map((i) => [i.party, i.mode])).toEqual(data.teams.map((t) => [t.team, t.earns]));
    expect(readFileSync(join(out, "budgets.csv"), "utf8")).toBe("team,budget,allocated,variance,usedPct,status\ngenomics,1000.00,0.00,1000.00,0,under\nimaging,400.00,0.00,400.00,0,under\n");
  });

  it("must fail: with usage and a non-zero total the same figures are numbers, recomputed", () => {
    const rows: BillRow[] = [...nothing, { cost: "300", resource: "a", tags: { lab: "genomics" } }, { cost: "100", resource: "b", tags: { lab: "imaging" } }];
    const { data, md } = report(rows);
    const total = sum(rows.map((r) => r.cost));
    expect(data.summary.costCompliancePct).toBe(100);
    expect(data.summary.unallocatedPct).toBe(0);
    expect(data.summary.budgetUsedPct).toBe(total.times(100).dividedBy(1400).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber());
    expect(data.teams.map((t) => [t.team, t.compliancePct, t.earns, t.usedPct])).toEqual([["genomics", 100, "chargeback", 30], ["imaging", 100, "showback", 25]]);
    expect(md).toContain("100.00% of usage cost carries every required tag");
  });
});

describe("the real FOCUS 1.0 sample (../shared/data), a first month for an org whose teams have none of its resources", () => {
  it("no movers or forecast, said; the teams' compliance is n/a while the bill's is 0% of something; compliance, report and chargeback agree", () => {
    const dir = tempDir();
    const config = writeLab(dir);
    const input = join(sharedData, "focus-1.0-sample", "focus_sample.csv");
    const out = join(dir, "report");
    const run = allot(["report", "--config", config, "--input", input, "--month", "2024-09", "--out", out, "--quiet", "--format", "json,md,csv"]);
    expect(run.code, run.stderr).toBe(0);
    const data = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as Report;
    expect(data.summary.topDrivers).toEqual([]);
    expect(data.withheld.movers).toBe("No biggest movers and no change from last month: the input has no 2024-08 to compare with.");
    expect(data.withheld.forecast).toBe("No next-month forecast and no last month's forecast: they need 3 months of history, and the input has 1 (2024-09).");
    expect(data.withheld.anomalies).toMatch(/^Anomalies are judged from 2024-09-08 on/);
    expect(data.forecast.every((f) => f.nextLow === null && f.nextHigh === null)).toBe(true);
    // No row carries a `lab` tag: the bill's usage is 0% compliant (a share of something), each lab's is n/a (of nothing).
    expect(data.compliance.costCompliancePct).toBe(0);
    expect(data.teams.map((t) => [t.team, t.compliancePct, t.earns])).toEqual([["genomics", null, "showback"], ["imaging", null, "showback"]]);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/^\| research \| genomics \|.*\| auto → showback \| n\/a \|$/m);

    const c = JSON.parse(allot(["compliance", "--config", config, "--input", input, "--month", "2024-09", "--json"]).stdout) as { teams: { team: string; earns: string; compliancePct: number | null }[]; costCompliancePct: number | null };
    expect(c.costCompliancePct).toBe(data.compliance.costCompliancePct);
    expect(c.teams.map((t) => [t.team, t.compliancePct, t.earns])).toEqual(data.teams.map((t) => [t.team, t.compliancePct, t.earns]));
    const cb = allot(["chargeback", "--config", config, "--input", input, "--month", "2024-09", "--out", join(dir, "cb")]);
    expect(cb.code, cb.stderr).toBe(0);
    const invoices = (JSON.parse(readFileSync(join(dir, "cb", "invoices.json"), "utf8")) as { invoices: { party: string; mode: string }[] }).invoices;
    expect(invoices.map((i) => [i.party, i.mode])).toEqual(data.teams.map((t) => [t.team, t.earns]));
  });
});
