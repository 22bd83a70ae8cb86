// Amounts read as written, or said: an empty EffectiveCost next to a BilledCost, more than 18 decimal
// places, GCP credits of the wrong shape, billing currencies that are not ISO 4217 codes, adjustments from
// YAML. Bills and the org (a Quebec maple cooperative reporting in CAD, billed in EUR too) are written
// here; expected figures are recomputed with decimal.js over the rows the test wrote.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { loadAdjustments } from "../../reports/read/adjustments";
import { withDuckDB } from "../../reports/read/duckdb";
import { allot, tempDir } from "../helpers";

const EUR = "1.4712345678901234567";

function writeOrg(dir: string, extra = ""): string {
  const file = join(dir, "maple.yaml");
  writeFileSync(file, `version: 1
currency: CAD
exchangeRates: { EUR: "${EUR}" }
${extra}tags:
  required:
    - { key: equipe, values: org.teams }
org:
  units:
    - id: cooperative
      teams:
        - { id: sirop, owner: sirop@erable.ca, costCenter: QC-100, budget: 2500 }
        - { id: erable, owner: erable@erable.ca, costCenter: QC-200, budget: 1500 }
allocation:
  rules:
    - { name: par-equipe, method: direct, keys: [equipe] }
`);
  return file;
}

interface Row {
  billed: string;
  effective: string;
  currency?: string;
  team?: string;
}

function writeBill(dir: string, rows: readonly Row[], name = "bill.csv"): string {
  const file = join(dir, name);
  const cell = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = rows.map((r) => [cell(r.billed), cell(r.effective), r.currency ?? "CAD", "2026-10-01", "2026-10-02", "Usage", "AWS", "Amazon EC2", `"${JSON.stringify({ equipe: r.team ?? "sirop" }).replace(/"/g, '""')}"`].join(","));
  writeFileSync(file, `BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargeCategory,ProviderName,ServiceName,Tags\n${lines.join("\n")}\n`);
  return file;
}

const inCad = (amount: string, currency = "CAD") => new Decimal(amount).times(currency === "EUR" ? EUR : 1);
const total = (values: Decimal[]) => values.reduce((a, b) => a.plus(b), new Decimal(0));
const isEmpty = (text: string) => text === "" || text === "NULL";

describe("an empty EffectiveCost next to a BilledCost", () => {
  const rows: Row[] = [
    { billed: "10.00", effective: "9.50", currency: "EUR" },
    { billed: "4.25", effective: "", currency: "EUR" },
    { billed: "3.10", effective: "NULL", team: "erable" },
    { billed: "2.00", effective: "2.00", team: "erable" },
  ];

  it("takes the BilledCost, and says how many rows and what they came to, on stderr and in the report", () => {
    const dir = tempDir();
    const config = writeOrg(dir);
    const bill = writeBill(dir, rows);
    const run = allot(["allocate", "--config", config, "--input", bill, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const expected = total(rows.map((r) => inCad(isEmpty(r.effective) ? r.billed : r.effective, r.currency)));
    const fellBack = total(rows.filter((r) => isEmpty(r.effective)).map((r) => inCad(r.billed, r.currency)));
    expect(new Decimal((JSON.parse(run.stdout) as { totalCost: string }).totalCost).equals(expected)).toBe(true);
    expect(run.stderr).toContain(`allot: warning: 2 rows had no EffectiveCost; their BilledCost, ${fellBack.toFixed()} CAD, was used instead\n`);
    expect((JSON.parse(run.stdout) as { warnings: string[] }).warnings).toEqual([`2 rows had no EffectiveCost; their BilledCost, ${fellBack.toFixed()} CAD, was used instead`]);

    const out = join(dir, "report");
    const report = allot(["report", "--config", config, "--input", bill, "--out", out, "--format", "md"]);
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain(`2 rows had no EffectiveCost; their BilledCost, ${fellBack.toFixed()} CAD, was used instead.`);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("CA$");
  });

  it("works the other way round with costBasis: BilledCost", () => {
    const dir = tempDir();
    const config = writeOrg(dir, "costBasis: BilledCost\n");
    const swapped = rows.map((r) => ({ ...r, billed: r.effective, effective: r.billed }));
    const run = allot(["compliance", "--config", config, "--input", writeBill(dir, swapped), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const expected = total(swapped.map((r) => inCad(isEmpty(r.billed) ? r.effective : r.billed, r.currency)));
    expect(new Decimal((JSON.parse(run.stdout) as { totalCost: string }).totalCost).equals(expected)).toBe(true);
    const fellBack = total(swapped.filter((r) => isEmpty(r.billed)).map((r) => inCad(r.effective, r.currency)));
    expect(run.stderr).toContain(`warning: 2 rows had no BilledCost; their EffectiveCost, ${fellBack.toFixed()} CAD, was used instead`);
    expect((JSON.parse(run.stdout) as { amounts: unknown }).amounts).toEqual({ fellBack: { rows: 2, cost: fellBack.toFixed(), column: "EffectiveCost" }, empty: 0, cut: { rows: 0, amount: "0" } });
    const text = allot(["compliance", "--config", config, "--input", join(dir, "bill.csv"), "--quiet"]);
    expect(text.stdout).toContain(`2 rows had no BilledCost; their EffectiveCost (CA$${fellBack.toFixed(2)}) was used instead.`);
  });

  it("does not fall back on an EffectiveCost that is there but does not parse: the run stops naming file and line", () => {
    const dir = tempDir();
    const bill = writeBill(dir, [rows[0]!, { billed: "4.25", effective: "4.2.5" }]);
    const run = allot(["allocate", "--config", writeOrg(dir), "--input", bill]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${bill}:3: EffectiveCost "4.2.5" is not a decimal number`);
  });

  for (const bad of ["abc", "1,2"]) {
    it(`must fail: an empty EffectiveCost next to a BilledCost ${JSON.stringify(bad)} that does not parse is no 0: the run stops naming file and line`, () => {
      const dir = tempDir();
      const bill = writeBill(dir, [rows[0]!, rows[3]!, { billed: bad, effective: "" }]);
      const run = allot(["allocate", "--config", writeOrg(dir), "--input", bill, "--json"]);
      expect(run.code, run.stdout).toBe(2);
      expect(run.stderr).toBe(`allot: ${bill}:4: EffectiveCost is empty and BilledCost ${JSON.stringify(bad)}, taken in its place, is not a decimal number; fix the export, or pass --skip-bad-rows to skip such rows and report them\n`);
    });
  }

  it("with --skip-bad-rows, such a row is skipped and counted, and the rest add up (BilledCost basis too)", () => {
    const dir = tempDir();
    const kept = [rows[0]!, rows[1]!, rows[3]!];
    const bill = writeBill(dir, [...kept, { billed: "", effective: "1,2" }, { billed: "abc", effective: "" }]);
    const run = allot(["compliance", "--config", writeOrg(dir), "--input", bill, "--json", "--skip-bad-rows"]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { totalCost: string; skipped: { rows: number; unreadableAmounts: number }; amounts: { empty: number } };
    // The row with "1,2" as EffectiveCost is unreadable on its own; the one with "abc" as BilledCost only through the fallback.
    expect(out.skipped).toMatchObject({ rows: 2, unreadableAmounts: 2 });
    expect(out.amounts.empty).toBe(0);
    expect(new Decimal(out.totalCost).equals(total(kept.map((r) => inCad(isEmpty(r.effective) ? r.billed : r.effective, r.currency))))).toBe(true);

    const billed = allot(["compliance", "--config", writeOrg(dir, "costBasis: BilledCost\n"), "--input", writeBill(dir, [rows[3]!, { billed: "", effective: "x1" }], "billed.csv")]);
    expect(billed.code).toBe(2);
    expect(billed.stderr).toContain(`billed.csv:3: BilledCost is empty and EffectiveCost "x1", taken in its place, is not a decimal number`);
  });

  it("an empty basis next to an empty other column still counts as 0, and says so", () => {
    const dir = tempDir();
    const run = allot(["compliance", "--config", writeOrg(dir), "--input", writeBill(dir, [rows[3]!, { billed: "", effective: "" }]), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("1 row had neither EffectiveCost nor BilledCost and count as 0");
  });

  it("says nothing when every row has its EffectiveCost", () => {
    const dir = tempDir();
    const run = allot(["allocate", "--config", writeOrg(dir), "--input", writeBill(dir, [rows[0]!, rows[3]!])]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/warning/);
  });
});

describe("amounts with more than 18 decimal places", () => {
  const long = ["0.1234567890123456789012", "-1.0000000000000000005", "1.2345678901234567891e-5", "7.00000000000000000049"];

  it("are read rounded to 18 places, and the rows and what was cut off are said", () => {
    const dir = tempDir();
    const written = [...long, "5.10"];
    const bill = writeBill(dir, written.map((v) => ({ billed: v, effective: v })));
    const run = allot(["allocate", "--config", writeOrg(dir), "--input", bill, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const exact = written.map((v) => new Decimal(v));
    const rounded = exact.map((d) => d.toDecimalPlaces(18, Decimal.ROUND_HALF_UP));
    const cut = total(exact.map((d, i) => d.minus(rounded[i]!)));
    expect(new Decimal((JSON.parse(run.stdout) as { totalCost: string }).totalCost).equals(total(rounded))).toBe(true);
    expect(run.stderr).toContain(`allot: warning: 4 rows had amounts with more than 18 decimal places, read rounded to 18: ${cut.toFixed()} CAD in total was cut off\n`);
  });

  it("converts what was cut off like the amounts, and counts the real Azure amortized sample's three", () => {
    const dir = tempDir();
    const azure = join(__dirname, "..", "..", "..", "shared", "data", "azure-cost-details", "EA_AmortizedCost_Small.csv");
    const config = join(dir, "usd.yaml");
    writeFileSync(config, readFileSync(writeOrg(dir), "utf8").replace("currency: CAD", "currency: USD"));
    const run = allot(["compliance", "--config", config, "--input", azure]);
    expect(run.code, run.stderr).toBe(0);
    const costs = parseCsvColumn(readFileSync(azure, "utf8").replace(/^\uFEFF/, ""), "Cost").map((v) => new Decimal(v));
    const cut = costs.filter((d) => d.decimalPlaces() > 18);
    const off = total(cut.map((d) => d.minus(d.toDecimalPlaces(18, Decimal.ROUND_HALF_UP))));
    expect(cut.length).toBe(3);
    expect(run.stderr).toContain(`warning: 3 rows had amounts with more than 18 decimal places, read rounded to 18: ${off.toFixed()} USD in total was cut off`);
  });

  it("counts exponent notation too, hostile exponents included, exact to 37 places", () => {
    const dir = tempDir();
    const written = ["1e-400", "1E-20", "-5e-19", "0.5", "1e-9999"];
    const run = allot(["allocate", "--config", writeOrg(dir), "--input", writeBill(dir, written.map((v) => ({ billed: v, effective: v }))), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const cuts = written.map((v) => new Decimal(v)).map((d) => d.minus(d.toDecimalPlaces(18, Decimal.ROUND_HALF_UP))).filter((c) => !c.isZero());
    const shown = total(cuts.map((c) => c.toDecimalPlaces(37, Decimal.ROUND_HALF_UP)));
    expect(run.stderr).toContain(`warning: ${cuts.length} rows had amounts with more than 18 decimal places, read rounded to 18: ${shown.toFixed()} CAD in total was cut off`);
    expect((JSON.parse(run.stdout) as { totalCost: string }).totalCost).toBe(total(written.map((v) => new Decimal(v).toDecimalPlaces(18, Decimal.ROUND_HALF_UP))).toFixed());
    const refused = allot(["allocate", "--config", writeOrg(dir), "--input", writeBill(dir, [{ billed: "1e-99999", effective: "1e-99999" }])]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`EffectiveCost "1e-99999" is not a decimal number`);
  });

  it("says nothing for 18 places or fewer, trailing zeros included", () => {
    const dir = tempDir();
    const bill = writeBill(dir, ["0.123456789012345678", "1.50000000000000000000000"].map((v) => ({ billed: v, effective: v })));
    const run = allot(["allocate", "--config", writeOrg(dir), "--input", bill]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/decimal places/);
  });
});

/** The values of one column of a simple CSV (quoted fields with commas allowed). */
function parseCsvColumn(text: string, column: string): string[] {
  const rows = text.trim().split(/\r?\n/).map((line) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]!.replace(/^"|"$/g, "").replace(/""/g, '"')));
  const index = rows[0]!.indexOf(column);
  return rows.slice(1).map((r) => r[index]!).filter((v) => v !== "");
}

describe("GCP credits", () => {
  const usage = (project: string, credits: unknown) =>
    JSON.stringify({
      service: { description: "Compute Engine" }, usage_start_time: "2026-10-03T00:00:00Z", project: { id: project, labels: [{ key: "equipe", value: "sirop" }] },
      labels: [], cost: 10.5, currency: "CAD", ...(credits === undefined ? {} : { credits }), invoice: { month: "202610" }, cost_type: "regular",
    });

  it("sums a list of {name, amount} into a Credit row", () => {
    const dir = tempDir();
    const file = join(dir, "gcp.jsonl");
    writeFileSync(file, [usage("p1", [{ name: "SUD", amount: -1.25 }, { name: "Promo", amount: -0.5 }]), usage("p2", []), usage("p3", undefined), usage("p4", null)].join("\n") + "\n");
    const run = allot(["allocate", "--config", writeOrg(dir), "--input", file, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const expected = new Decimal("10.5").times(4).minus("1.25").minus("0.5");
    expect(new Decimal((JSON.parse(run.stdout) as { totalCost: string }).totalCost).equals(expected)).toBe(true);
  });

  it("reads JSON amounts as the file wrote them, not as doubles, and says what 18 places cut off", () => {
    const dir = tempDir();
    const file = join(dir, "gcp.jsonl");
    const row = (cost: string, credits: string) =>
      `{"labels":[{"key":"cost","value":"x"}],"service":{"description":"Compute Engine"},"usage_start_time":"2026-10-03T00:00:00Z","project":{"id":"p1","labels":[{"key":"equipe","value":"sirop"}]},"cost":${cost},"currency":"CAD","credits":${credits},"invoice":{"month":"202610"},"cost_type":"regular"}`;
    const costs = ["0.30000000000000000001", "12.5"];
    const credits = ["-0.10000000000000000001", "-1e-25", "-2"];
    writeFileSync(file, `${row(costs[0]!, `[{"name":"a","amount":${credits[0]},"type":"X"},{"name":"b","amount":${credits[1]}}]`)}\n${row(costs[1]!, `[{"name":"c","amount":${credits[2]}}]`)}\n`);
    const run = allot(["allocate", "--config", writeOrg(dir), "--input", file, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const exact = total([...costs, ...credits].map((v) => new Decimal(v)));
    const cut = total([...costs, ...credits].map((v) => new Decimal(v)).map((d) => d.minus(d.toDecimalPlaces(18, Decimal.ROUND_HALF_UP))));
    expect(cut.isZero()).toBe(false);
    expect((JSON.parse(run.stdout) as { totalCost: string }).totalCost).toBe(exact.minus(cut).toFixed());
    expect(run.stderr).toContain(`warning: 2 rows had amounts with more than 18 decimal places, read rounded to 18: ${cut.toFixed()} CAD in total was cut off`);
  });

  it("Parquet: a credits column of another type makes every row with credits unreadable; DOUBLE amounts' cut is said", async () => {
    const dir = tempDir();
    const good = join(dir, "good.parquet");
    const bad = join(dir, "bad.parquet");
    const select = (credits: string) => `SELECT {'description': 'Compute Engine'} AS service, {'id': 'p9', 'labels': [{'key': 'equipe', 'value': 'sirop'}]} AS project,
      [] :: STRUCT(key VARCHAR, value VARCHAR)[] AS labels, TIMESTAMP '2026-10-03' AS usage_start_time, CAST(1.2345678901234567e-05 AS DOUBLE) AS cost, 'CAD' AS currency,
      ${credits} AS credits, {'month': '202610'} AS invoice, 'regular' AS cost_type`;
    await withDuckDB(async (db) => {
      await db.run(`COPY (${select("[{'name': 'SUD', 'amount': CAST(-0.5 AS DOUBLE)}]")}) TO '${good}' (FORMAT parquet)`);
      await db.run(`COPY (${select("'[{\"name\": \"SUD\", \"amount\": -0.5}]'")}) TO '${bad}' (FORMAT parquet)`);
    });
    const ok = allot(["allocate", "--config", writeOrg(dir), "--input", good, "--json"]);
    expect(ok.code, ok.stderr).toBe(0);
    // A DOUBLE is its shortest round-trip text, as JavaScript prints it too: 0.000012345678901234568.
    const cost = new Decimal(String(1.2345678901234567e-5));
    const rounded = cost.toDecimalPlaces(18, Decimal.ROUND_HALF_UP);
    expect((JSON.parse(ok.stdout) as { totalCost: string }).totalCost).toBe(rounded.minus("0.5").toFixed());
    expect(ok.stderr).toContain(`warning: 1 row had amounts with more than 18 decimal places, read rounded to 18: ${cost.minus(rounded).toFixed()} CAD in total was cut off`);
    const refused = allot(["allocate", "--config", writeOrg(dir), "--input", bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`allot: ${bad}: credits of type VARCHAR are not a list of {name, amount} with decimal amounts`);
  });

  for (const [what, credits] of [
    ["a string", "oops"],
    ["an object", { name: "SUD", amount: -1 }],
    ["an amount that is text", [{ name: "SUD", amount: "abc" }]],
    ["no amount", [{ name: "SUD" }]],
    ["a bare number", [-1]],
  ] as const) {
    it(`refuses credits that are ${what}, naming the file and the row`, () => {
      const dir = tempDir();
      const file = join(dir, "gcp.jsonl");
      writeFileSync(file, [usage("p1", [{ name: "SUD", amount: -1.25 }]), usage("bad-project", credits)].join("\n") + "\n");
      const run = allot(["allocate", "--config", writeOrg(dir), "--input", file]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^allot: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: credits .* are not a list of \\{name, amount\\} with decimal amounts \\(the row of project bad-project from 2026-10-03T00:00:00Z\\); fix the export, or pass --skip-bad-rows`));
      expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
      const skipped = allot(["compliance", "--config", writeOrg(dir), "--input", file, "--skip-bad-rows", "--json"]);
      expect(skipped.code, skipped.stderr).toBe(0);
      const report = JSON.parse(skipped.stdout) as { totalCost: string; skipped: { rows: number; unreadableAmounts: number } };
      expect(report.skipped).toMatchObject({ rows: 1, unreadableAmounts: 1 });
      expect(new Decimal(report.totalCost).equals(new Decimal("10.5").times(2).minus("1.25"))).toBe(true);
    });
  }
});

describe("billing currencies", () => {
  it("refuses a BillingCurrency that is not an ISO 4217 code, naming the file and the closest code", () => {
    const dir = tempDir();
    const bill = writeBill(dir, [{ billed: "1", effective: "1", currency: "cad" }]);
    const run = allot(["allocate", "--config", writeOrg(dir), "--input", bill]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`allot: ${bill}: BillingCurrency "cad" is not an ISO 4217 currency code (did you mean "CAD"?); fix the export's currency column, or check that the file is the export you meant\n`);
  });

  it("keeps the error one short line for a long or varied currency column", () => {
    const dir = tempDir();
    const codes = ["X".repeat(5000), ...Array.from({ length: 8 }, (_, i) => `Q${i}Q`)];
    const bill = writeBill(dir, codes.map((c) => ({ billed: "1", effective: "1", currency: c })));
    const run = allot(["allocate", "--config", writeOrg(dir), "--input", bill]);
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")).toHaveLength(2);
    expect(run.stderr.length).toBeLessThan(400);
    expect(run.stderr).toMatch(/BillingCurrency "Q0Q" is not an ISO 4217 currency code \(nor are "Q1Q", .* and 3 more\)/);
  });

  it("converts an ISO code with its rate, exactly", () => {
    const dir = tempDir();
    const run = allot(["allocate", "--config", writeOrg(dir), "--input", writeBill(dir, [{ billed: "0.01", effective: "0.01", currency: "EUR" }]), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { totalCost: string }).totalCost).toBe(new Decimal("0.01").times(EUR).toFixed());
  });
});

describe("adjustments from YAML", () => {
  const invoices = new Set(["INV-2026-10-sirop"]);
  const load = (text: string) => {
    const file = join(tempDir(), "adjustments.yaml");
    writeFileSync(file, text);
    return { file, read: () => withDuckDB((db) => loadAdjustments(db, file, invoices, "USD")) };
  };

  it("keeps numbers and decimal strings exact", async () => {
    const { read } = load(`- { invoice: INV-2026-10-sirop, amount: 0.1, reason: a, approvedBy: me }
- { invoice: INV-2026-10-sirop, amount: 0.2, reason: b, approvedBy: me }
- { invoice: INV-2026-10-sirop, amount: "-0.30", reason: c, approvedBy: me }
- { invoice: INV-2026-10-sirop, amount: 1e-2, reason: d, approvedBy: me }
`);
    const amounts = (await read()).map((a) => a.amount);
    expect(amounts.map((a) => a.toFixed())).toEqual(["0.1", "0.2", "-0.3", "0.01"]);
    // As doubles, 0.1 + 0.2 - 0.3 is not 0.
    expect(total(amounts).toFixed()).toBe("0.01");
  });

  it("refuses an amount finer than the currency's minor unit, which no invoice can carry", async () => {
    const { file, read } = load(`- { invoice: INV-2026-10-sirop, amount: "-0.30000000000000000001", reason: c, approvedBy: me }
`);
    await expect(read()).rejects.toThrow(`${file}:1: amount -0.30000000000000000001 has more decimal places than USD has (2)`);
  });

  it("refuses a number with more digits than YAML numbers hold, naming file, line and the quoted fix", async () => {
    const { file, read } = load(`- { invoice: INV-2026-10-sirop, amount: 0.1, reason: a, approvedBy: me }
- { invoice: INV-2026-10-sirop, amount: -0.30000000000000000001, reason: c, approvedBy: me }
`);
    await expect(read()).rejects.toThrow(`${file}:2:41: [1].amount: the number -0.30000000000000000001 has more digits than allot reads exactly from a YAML number (it would become -0.3); quote it ("-0.30000000000000000001")`);
  });

  it("refuses .inf and .nan as amounts", async () => {
    await expect(load(`- { invoice: INV-2026-10-sirop, amount: .inf, reason: a, approvedBy: me }\n`).read()).rejects.toThrow(/amount "Infinity" is not a decimal number/);
  });
});

describe("CSV files of different dialects in one run", () => {
  it("are each read in their own (comma, semicolon, tab), detected once a file: the total is every row's", () => {
    const dir = tempDir();
    const header = ["BilledCost", "EffectiveCost", "BillingCurrency", "BillingPeriodStart", "ChargePeriodStart", "ChargeCategory", "ProviderName", "ServiceName", "Tags"];
    // Amounts differ by file (no two files hold the same charges), with a decimal comma's worth of traps: quoted fields holding the other delimiters.
    const files: [string, string, string[][]][] = [
      ["comma.csv", ",", [["1.10", "1.05", "sirop"], ["2.20", "2.15", "erable"]]],
      ["semicolon.csv", ";", [["3.30", "3.25", "sirop"], ["4.40", "4.35", "erable"]]],
      ["tab.tsv", "\t", [["5.50", "5.45", "sirop"], ["6.60", "6.55", "erable"]]],
    ];
    const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
    for (const [name, delim, rows] of files) {
      const lines = rows.map(([billed, effective, team], i) => [billed, effective, "CAD", "2026-10-01", `2026-10-0${i + 1}`, "Usage", "AWS", quote(`Amazon EC2${delim === "," ? ";" : ","} ${name}`), quote(JSON.stringify({ equipe: team, note: "a,b;c\td" }))].join(delim));
      writeFileSync(join(dir, name), `${header.join(delim)}\n${lines.join("\n")}\n`);
    }
    const run = allot(["allocate", "--config", writeOrg(dir), ...files.flatMap(([name]) => ["--input", join(dir, name)]), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { totalCost: string; teams: { team: string; amount: string }[] };
    const rows = files.flatMap(([, , r]) => r);
    expect(summary.totalCost).toBe(total(rows.map(([, effective]) => new Decimal(effective!))).toFixed());
    expect(summary.teams.find((t) => t.team === "erable")?.amount).toBe(total(rows.filter((r) => r[2] === "erable").map((r) => new Decimal(r[1]!))).toFixed(2));
  });
});
