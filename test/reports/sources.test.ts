import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseCostModel } from "../../model";
import { measureCompliance } from "../../reports/compliance/compliance";
import { Decimal } from "../../reports/money";
import { loadChargeGroups, loadCharges, type LoadOptions } from "../../reports/read/charges";
import { withDuckDB } from "../../reports/read/duckdb";
import { parseTagSet } from "../../reports/read/tags";
import { allot, root, sharedData, tempDir } from "../helpers";

const fixtures = join(__dirname, "..", "fixtures");
const sampleYaml = readFileSync(join(root, "allot.yaml"), "utf8");
/** The sample model, on another cost basis and with rates of 1, so totals can be compared with a file's own. */
const modelFor = (basis: "BilledCost" | "EffectiveCost", rates = "") =>
  parseCostModel(sampleYaml.replace("costBasis: EffectiveCost", `costBasis: ${basis}${rates ? `\nexchangeRates: { ${rates} }` : ""}`), "allot.yaml");

async function load(files: string[], basis: "BilledCost" | "EffectiveCost" = "EffectiveCost", options: LoadOptions = {}, rates = "") {
  const model = modelFor(basis, rates);
  return withDuckDB(async (db) => {
    const charges = await loadCharges(db, model, files, { byResource: true, ...options });
    return { charges, compliance: (await measureCompliance(db, model, await loadChargeGroups(db, model, files, { byResource: true, ...options }))).report };
  });
}

const totalOf = (charges: Awaited<ReturnType<typeof load>>["charges"]) => Decimal.sum(0, charges.undated.cost, ...charges.allMonths.map((r) => r.cost));

/**
 * A file's own total, summed independently: the column as text, cast per row, summed in JS. Cells are
 * taken to the 18 decimals the reader's DECIMAL(38,18) holds (rounded half-up, as DuckDB casts): the Azure
 * amortized sample writes more, and that cut is not yet reported (issue 13, item 7).
 */
async function ownTotal(file: string, column: string) {
  const reader = file.endsWith(".jsonl") ? `read_json_auto('${file}')` : `read_csv('${file}', header = true, all_varchar = true, nullstr = ['', 'NULL'])`;
  const cells = await withDuckDB(async (db) => (await db.runAndReadAll(`SELECT CAST("${column}" AS VARCHAR) AS v FROM ${reader}`)).getRowObjectsJS());
  return Decimal.sum(0, ...cells.map((c) => new Decimal(c.v === null ? "0" : String(c.v)).toDecimalPlaces(18, Decimal.ROUND_HALF_UP)));
}

describe("every sample in ../shared/data is read to its own total, to the last digit", () => {
  const cases: { file: string; column: string }[] = [
    { file: join(sharedData, "focus-1.0-sample", "focus_sample.csv"), column: "BilledCost" },
    { file: join(sharedData, "aws-cur-legacy", "sample-anonymous-aws-export-dataset.csv"), column: "lineItem/UnblendedCost" },
    { file: join(sharedData, "azure-cost-details", "EA_ActualCost_Small.csv"), column: "Cost" },
    { file: join(sharedData, "azure-cost-details", "EA_AmortizedCost_Small.csv"), column: "Cost" },
    { file: join(sharedData, "azure-cost-details", "sample-anonymous-ea-export-dataset.csv"), column: "CostInBillingCurrency" },
    ...readdirSync(join(sharedData, "focus-synthetic-goldens"))
      .filter((f) => f.includes("cost_and_usage") || f.startsWith("consolidated"))
      .map((f) => ({ file: join(sharedData, "focus-synthetic-goldens", f), column: "BilledCost" })),
  ];
  for (const { file, column } of cases) {
    it(file.slice(sharedData.length + 1), async () => {
      const { charges } = await load([file], "BilledCost", {}, "EUR: 1, CAD: 1");
      expect(totalOf(charges).toFixed()).toBe((await ownTotal(file, column)).toFixed());
      expect(charges.files[0]!.source.id).toBe(file.includes("cur-legacy") ? "aws-cur-legacy" : file.includes("azure-cost-details") ? "azure-cost-details" : "focus");
    });
  }

  it("reads an older Azure export (Cost) beside a newer one (CostInBillingCurrency): each file by its own columns", async () => {
    const dir = tempDir();
    const older = join(sharedData, "azure-cost-details", "EA_ActualCost_Small.csv");
    // The newer export of another subscription and month: Cost renamed as later exports name it.
    const text = readFileSync(older, "utf8").replace(/^\uFEFF/, "");
    const [header, ...lines] = text.split(/\r?\n/);
    const newer = join(dir, "newer.csv");
    writeFileSync(newer, [header!.replace(/(^|,)Cost(,|$)/, "$1CostInBillingCurrency$2"), ...lines.map((l) => l.replaceAll("09/", "10/").replaceAll("1caaa5a3-2b66-438e-8ab4-bce37d518c5d", "00000000-0000-0000-0000-00000000000b"))].join("\n"));
    const { charges } = await load([older, newer], "BilledCost");
    const byMonth = (m: string) => Decimal.sum(0, ...charges.allMonths.filter((r) => r.month === m).map((r) => r.cost));
    // Before, the pair was read as one group with CostInBillingCurrency, and the older file's rows as empty amounts: 0.
    expect(byMonth("2023-09").toFixed()).toBe((await ownTotal(older, "Cost")).toFixed());
    expect(byMonth("2023-10").toFixed()).toBe((await ownTotal(newer, "CostInBillingCurrency")).toFixed());
    expect(byMonth("2023-09").isZero()).toBe(false);
  });

  it("names what the other samples are instead of misreading them", async () => {
    const dir = join(sharedData, "focus-synthetic-goldens");
    for (const file of readdirSync(dir).filter((f) => f.includes("contract_commitment"))) {
      await expect(load([join(dir, file)])).rejects.toThrow("is a FOCUS 1.3 contract commitment dataset: it lists commitments, not charges; pass the cost and usage dataset");
    }
    for (const file of readdirSync(dir).filter((f) => f.startsWith("scenarios_"))) {
      await expect(load([join(dir, file)])).rejects.toThrow(/looks like FOCUS but lacks .*BillingPeriodStart.*; export the full cost and usage dataset/);
    }
  });

  it("converts other billing currencies with allot.yaml's rates, exactly", async () => {
    const file = join(sharedData, "azure-cost-details", "sample-anonymous-ea-export-dataset.csv");
    const { charges } = await load([file], "BilledCost", {}, "CAD: 0.74");
    expect(totalOf(charges).toFixed()).toBe((await ownTotal(file, "CostInBillingCurrency")).times("0.74").toFixed());
  });
});

describe("compliance on hand-checked fixtures, one per source", () => {
  it("FOCUS: the generated sample's untagged usage, exactly as truth.json has it", async () => {
    const dir = tempDir();
    const run = allot(["sample", "--out", dir, "--rows", "6000", "--months", "2", "--format", "csv"]);
    expect(run.code, run.stderr).toBe(0);
    const truth = JSON.parse(readFileSync(join(dir, "truth.json"), "utf8")) as { months: Record<string, { usage: { EffectiveCost: string }; untaggedUsage: { EffectiveCost: string } }> };
    const { compliance } = await load([join(dir, "focus", "*.csv")]);
    const month = truth.months[compliance.month]!;
    expect(compliance.usageCost).toBe(new Decimal(month.usage.EffectiveCost).toFixed());
    expect(new Decimal(compliance.usageCost).minus(compliance.compliantCost).toFixed()).toBe(new Decimal(month.untaggedUsage.EffectiveCost).toFixed());
  });

  it("GCP BigQuery export (JSON lines): project and resource labels, credits beside the measure", async () => {
    const { compliance } = await load([join(fixtures, "gcp-billing.jsonl")]);
    expect(compliance).toMatchObject({ month: "2026-10", totalCost: "16.55", usageCost: "16.75", compliantCost: "10.5", costCompliancePct: 62.69, otherCharges: { Credit: "-1.25", Tax: "1.05" } });
    expect(compliance.resources).toEqual({ total: 3, compliant: 1, compliancePct: 33.33 });
    expect(compliance.topUntagged.map((u) => [u.resourceId.split("/").pop(), u.problems])).toEqual([
      ["warehouse", ["missing environment"]],
      ["catalog-images", ['team="search" not allowed']],
    ]);
  });

  it("GCP BigQuery export (Parquet, FLOAT64 costs) reads to the same figures", async () => {
    const dir = tempDir();
    const parquet = join(dir, "gcp.parquet");
    await withDuckDB((db) => db.run(`COPY (SELECT * FROM read_json_auto('${join(fixtures, "gcp-billing.jsonl")}')) TO '${parquet}' (FORMAT parquet)`));
    const { compliance } = await load([parquet]);
    expect(compliance).toMatchObject({ totalCost: "16.55", usageCost: "16.75", compliantCost: "10.5", otherCharges: { Credit: "-1.25", Tax: "1.05" } });
  });

  it("GCP BigQuery export (CSV with nested columns flattened to JSON text) reads to the same figures", async () => {
    const dir = tempDir();
    const csv = join(dir, "gcp.csv");
    await withDuckDB((db) =>
      db.run(`COPY (SELECT billing_account_id, service.description AS "service.description", usage_start_time, project.id AS "project.id",
                to_json(project.labels) AS "project.labels", to_json(labels) AS labels, resource.global_name AS "resource.global_name",
                CAST(cost AS VARCHAR) AS cost, currency, to_json(credits) AS credits, invoice.month AS "invoice.month", cost_type
              FROM read_json_auto('${join(fixtures, "gcp-billing.jsonl")}')) TO '${csv}' (FORMAT csv, HEADER)`),
    );
    const { compliance, charges } = await load([csv]);
    expect(charges.files[0]!.source.id).toBe("gcp-bigquery");
    expect(compliance).toMatchObject({ totalCost: "16.55", usageCost: "16.75", compliantCost: "10.5", otherCharges: { Credit: "-1.25", Tax: "1.05" } });
  });

  it("AWS CUR 2.0 (CSV and Parquet with a MAP): user_ prefixes, aliases, Savings Plan effective cost", async () => {
    const csv = join(fixtures, "aws-cur2.csv");
    const { compliance, charges } = await load([csv]);
    expect(totalOf(charges).toFixed()).toBe("19.1456789012");
    expect(compliance).toMatchObject({ usageCost: "17.9456789012", compliantCost: "15.4456789012", costCompliancePct: 86.07, otherCharges: { Adjustment: "0", Tax: "1.2" } });
    expect((await load([csv], "BilledCost")).compliance.totalCost).toBe("16.0456789012");
    const dir = tempDir();
    const parquet = join(dir, "cur2.parquet");
    await withDuckDB((db) =>
      db.run(`COPY (SELECT * REPLACE (CAST(resource_tags::JSON AS MAP(VARCHAR, VARCHAR)) AS resource_tags, CAST(line_item_unblended_cost AS DECIMAL(30,10)) AS line_item_unblended_cost)
              FROM read_csv('${csv}', header = true, all_varchar = true)) TO '${parquet}' (FORMAT parquet)`),
    );
    expect((await load([parquet])).compliance).toMatchObject({ usageCost: "17.9456789012", compliantCost: "15.4456789012" });
    // The same charges as CSV and as Parquet are refused (read/overlap.ts); another account's Parquet DECIMAL
    // beside CSV text in one run: DuckDB unifies the amount types, nothing is lost.
    await expect(load([csv, parquet])).rejects.toThrow(/hold the same charges: \d+ of the \d+ rows .*; pass only one of them$/);
    const other = join(dir, "cur2-other-account.parquet");
    await withDuckDB((db) => db.run(`COPY (SELECT * REPLACE ('999999999999' AS line_item_usage_account_id) FROM read_parquet('${parquet}')) TO '${other}' (FORMAT parquet)`));
    expect((await load([csv, other])).compliance).toMatchObject({ usageCost: "35.8913578024", compliantCost: "30.8913578024" });
  });

  it("AWS legacy CUR: resourceTags/user: columns, padded values trimmed, an empty value flagged", async () => {
    const { compliance } = await load([join(fixtures, "aws-cur-legacy-tags.csv")]);
    expect(compliance).toMatchObject({ usageCost: "10", compliantCost: "7.25", costCompliancePct: 72.5, otherCharges: { Credit: "-1" } });
    expect(compliance.byKey.find((k) => k.key === "environment")).toMatchObject({ emptyCost: "2.75" });
  });

  it("Azure cost details: brace-less tags, M/D/YYYY dates, Refund as a correction outside the measure", async () => {
    const { compliance } = await load([join(fixtures, "azure-cost-details.csv")]);
    expect(compliance).toMatchObject({ month: "2026-10", usageCost: "5", compliantCost: "3.5", costCompliancePct: 70, otherCharges: { Adjustment: "-0.75", Purchase: "10" } });
  });

  it("AWS FOCUS with Tags as a Parquet MAP, and Microsoft FocusCost with x_ columns", async () => {
    const dir = tempDir();
    const awsCsv = join(sharedData, "focus-synthetic-goldens", "aws_1_2_cost_and_usage_rows100_seed42.csv");
    const awsParquet = join(dir, "aws-focus.parquet");
    const focusCost = join(dir, "focuscost.csv");
    await withDuckDB(async (db) => {
      await db.run(`COPY (SELECT * REPLACE (CAST(Tags::JSON AS MAP(VARCHAR, VARCHAR)) AS Tags) FROM read_csv('${awsCsv}', header = true, all_varchar = true)) TO '${awsParquet}' (FORMAT parquet)`);
      await db.run(`COPY (SELECT *, BilledCost AS x_BilledCostInUsd, 'rg-app' AS x_ResourceGroupName FROM read_csv('${join(sharedData, "focus-synthetic-goldens", "azure_1_2_cost_and_usage_rows100_seed42.csv")}', header = true, all_varchar = true)) TO '${focusCost}' (FORMAT csv, HEADER)`);
    });
    const fromCsv = (await load([awsCsv])).compliance;
    const fromMap = (await load([awsParquet])).compliance;
    expect(fromMap.totalCost).toBe(fromCsv.totalCost);
    expect(fromMap.compliantCost).toBe(fromCsv.compliantCost);
    expect(fromMap.byKey).toEqual(fromCsv.byKey);
    expect((await load([focusCost])).charges.files[0]!.source.id).toBe("focus");
  });
});

describe("the tag normaliser", () => {
  it("reads every source's way of writing tags, each source with its own mapping", () => {
    expect(parseTagSet("focus", '{"team":"a","n":1}')).toEqual([["team", "a"], ["n", 1]]);
    expect(parseTagSet("azure-cost-details", '"team": "a","env": "prod"')).toEqual([["team", "a"], ["env", "prod"]]);
    expect(parseTagSet("gcp-bigquery", '{"project":[{"key":"team","value":"a"},{"key":"env","value":"dev"}],"resource":[{"key":"team","value":"b"}]}')).toEqual([["team", "b"], ["env", "dev"]]);
    expect(parseTagSet("aws-cur2", '{"user_team":"a","user_env":"prod","aws_createdBy":"x"}')).toEqual([["team", "a"], ["env", "prod"], ["aws_createdBy", "x"]]);
    expect(parseTagSet("aws-cur-legacy", '{"user:team":"a","aws:createdBy":"x"}')).toEqual([["team", "a"], ["aws:createdBy", "x"]]);
    expect(parseTagSet("focus", '{"team":"NULL"}')).toEqual([]);
    expect(parseTagSet("focus", "NULL")).toEqual([]);
    expect(parseTagSet("focus", "[1,2]")).toBe("unreadable");
    expect(parseTagSet("azure-cost-details", '"team": ')).toBe("unreadable");
    expect(() => parseTagSet("json", "{}")).toThrow(/no billing source "json"/);
  });
});

describe("bad input", () => {
  const config = join(root, "allot.yaml");
  const header = "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName";

  it("skips unreadable rows with --skip-bad-rows and says how many and what they were worth", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bill.csv"), `${header}\n1.00,1.00,USD,2026-10-01,Usage,AWS,EC2\n2.00,twelve,USD,2026-10-01,Usage,AWS,EC2\n4.00,4.00,USD,yesterday,Usage,AWS,EC2\n`);
    const failing = allot(["compliance", "--config", config, "--input", join(dir, "bill.csv")]);
    expect(failing.code).toBe(2);
    expect(failing.stderr).toMatch(/bill\.csv:3: EffectiveCost "twelve" is not a decimal number/);
    const run = allot(["compliance", "--config", config, "--input", join(dir, "bill.csv"), "--skip-bad-rows", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { totalCost: string; skipped: unknown };
    expect(report.totalCost).toBe("1");
    expect(report.skipped).toEqual({ rows: 2, cost: "4", unreadableAmounts: 1 });
  });

  it("a bad date stops the run with file and line", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bill.csv"), `${header}\n1.00,1.00,USD,2026-10-01,Usage,AWS,EC2\n4.00,4.00,USD,yesterday,Usage,AWS,EC2\n`);
    const run = allot(["compliance", "--config", config, "--input", join(dir, "bill.csv")]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/bill\.csv:3: billing period "yesterday" is not a date; fix the export, or pass --skip-bad-rows/);
  });

  it("a truncated Parquet file and a truncated gzip file are clear errors", async () => {
    const dir = tempDir();
    const parquet = join(dir, "bill.parquet");
    const gz = join(dir, "bill.csv.gz");
    const rows = Array.from({ length: 20000 }, (_, i) => `${i}.25,${i}.25,USD,2026-10-01,Usage,AWS,EC2-${i % 97}`).join("\n");
    writeFileSync(join(dir, "bill.csv"), `${header}\n${rows}\n`);
    await withDuckDB((db) => db.run(`COPY (SELECT * FROM read_csv('${join(dir, "bill.csv")}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`));
    writeFileSync(parquet, readFileSync(parquet).subarray(0, 2000));
    const zipped = gzipSync(readFileSync(join(dir, "bill.csv")));
    writeFileSync(gz, zipped.subarray(0, Math.floor(zipped.length * 0.6)));
    for (const file of [parquet, gz]) {
      const run = allot(["compliance", "--config", config, "--input", file]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(/bill\.(parquet|csv\.gz): .*(cannot be read|truncated or corrupt)/);
    }
  });

  it("duplicate input files are read once, with a warning", () => {
    const dir = tempDir();
    const file = join(fixtures, "azure-cost-details.csv");
    copyFileSync(file, join(dir, "copy.csv"));
    const run = allot(["compliance", "--config", config, "--input", file, join(dir, "copy.csv"), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { usageCost: string; duplicates: { skipped: string; kept: string }[] };
    expect(report.usageCost).toBe("5");
    expect(report.duplicates).toHaveLength(1);
  });

  it("--fail-under exits 1 below the threshold, 0 at or above it; --json has the documented fields", () => {
    const file = join(fixtures, "azure-cost-details.csv");
    const below = allot(["compliance", "--config", config, "--input", file, "--fail-under", "75", "--json"]);
    expect(below.code).toBe(1);
    expect(below.stderr).toContain("compliance 70.00% is below --fail-under 75%");
    const report = JSON.parse(below.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ currency: "USD", costBasis: "EffectiveCost", totalCost: "14.25", compliantCost: "3.5", costCompliancePct: 70 });
    for (const key of ["byKey", "byProvider", "byAccount", "byService", "byTeam", "topUntagged", "trend", "teams", "resources"]) expect(report, key).toHaveProperty(key);
    expect(allot(["compliance", "--config", config, "--input", file, "--fail-under", "70", "--quiet"]).code).toBe(0);
  });
});
