import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCostModel, parseCostModel } from "../../model";
import { Decimal } from "../../reports/money";
import { withDuckDB } from "../../reports/read/duckdb";
import { renderMarkdown } from "../../reports/render/markdown";
import { buildMonthReport } from "../../reports/report/month";
import type { Truth } from "../../reports/sample/truth";
import { allot, makeSample, root, sharedData, tempDir } from "../helpers";

let sample: { out: string; truth: Truth };
beforeAll(async () => {
  sample = await makeSample({ rows: 20_000, months: 3 });
});

const sum = (values: Iterable<Decimal>) => Decimal.sum(0, ...values);

describe("allot report on the sample matches truth.json to the last digit", () => {
  for (const basis of ["EffectiveCost", "BilledCost"] as const) {
    it(`every month, on ${basis}`, async () => {
      const text = readFileSync(join(sample.out, "allot.yaml"), "utf8").replace("costBasis: EffectiveCost", `costBasis: ${basis}`);
      const model = parseCostModel(text);
      for (const [month, expected] of Object.entries(sample.truth.months)) {
        const report = await buildMonthReport(model, [join(sample.out, "focus", "*.parquet")], { month: month });
        const a = report.attribution;
        expect(a.total.toFixed(6), month).toBe(expected[basis]);
        expect(a.rows).toBe(expected.rows);
        expect(sum(a.unallocated.values()).toFixed(6)).toBe(expected.unallocated[basis]);
        expect(Object.fromEntries([...a.byTeam].map(([t, v]) => [t, v.toFixed(6)]))).toEqual(Object.fromEntries(Object.entries(expected.byTeam).map(([t, v]) => [t, v[basis]])));
        expect(Object.fromEntries([...a.byProvider].map(([p, v]) => [p, v.toFixed(6)]))).toEqual(Object.fromEntries(Object.entries(expected.byProvider).map(([p, v]) => [p, v[basis]])));
        expect(a.compliance.usage.toFixed(6)).toBe(expected.usage[basis]);
        expect(a.compliance.untagged.toFixed(6)).toBe(expected.untaggedUsage[basis]);
        expect(a.compliance.exempt.toFixed(6)).toBe(expected.exemptUsage[basis]);
        expect(sum(a.byTeam.values()).plus(sum(a.unallocated.values())).equals(a.total)).toBe(true);
      }
    });
  }

  it("reads CSV and gzip CSV to the same figures as Parquet", async () => {
    const model = loadCostModel(join(sample.out, "allot.yaml"));
    const csv = await makeSample({ rows: 20_000, months: 3, format: "csv.gz" });
    const fromParquet = await buildMonthReport(model, [join(sample.out, "focus", "*")], { month: "2026-09" });
    const fromCsv = await buildMonthReport(model, [join(csv.out, "focus", "*.csv.gz")], { month: "2026-09" });
    expect(fromCsv.attribution.total.equals(fromParquet.attribution.total)).toBe(true);
    expect([...fromCsv.attribution.unallocated].map(([k, v]) => [k, v.toFixed()])).toEqual([...fromParquet.attribution.unallocated].map(([k, v]) => [k, v.toFixed()]));
  });
});

describe("the Markdown report", () => {
  it("matches the golden file (UPDATE_GOLDEN=1 rewrites it)", async () => {
    const model = loadCostModel(join(sample.out, "allot.yaml"));
    const report = await buildMonthReport(model, [join(sample.out, "focus", "*.parquet")], { month: "2026-10" });
    const markdown = renderMarkdown(report, model.chargebackThreshold);
    const golden = join(__dirname, "golden", "report-2026-10.md");
    if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, markdown);
    expect(markdown).toBe(readFileSync(golden, "utf8"));
  });

  it("is byte-identical across runs of the CLI", () => {
    const outs = [tempDir(), tempDir()];
    for (const out of outs) {
      const run = allot(["report", "--config", join(sample.out, "allot.yaml"), "--input", join(sample.out, "focus", "*.parquet"), "--out", out]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("October 2026");
    }
    expect(readFileSync(join(outs[0]!, "report.md"))).toEqual(readFileSync(join(outs[1]!, "report.md")));
  });

  it("escapes hostile tag values and keeps table rows intact", async () => {
    const dir = tempDir();
    const header = "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName,Tags";
    const hostile = JSON.stringify({ team: "x|<script>alert(1)</script>", "cost-center": "[click](http://evil)" }).replace(/"/g, '""');
    writeFileSync(join(dir, "bill.csv"), `${header}\n1.00,1.00,USD,2026-10-01,Usage,AWS,EC2,"${hostile}"\n2.50,2.50,USD,2026-10-01,Usage,AWS,EC2,\n`);
    const run = allot(["report", "--config", join(root, "allot.yaml"), "--input", join(dir, "bill.csv"), "--out", dir]);
    expect(run.code).toBe(0);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).not.toContain("<script>");
    expect(md).not.toContain("](http");
    expect(md).toContain("x\\|&lt;script&gt;");
    expect(md).toContain("**$3.50**");
  });
});

describe("real FOCUS exports from ../shared/data", () => {
  /** The file's own total, summed in JS from the text cells: an independent check of the DuckDB path. */
  async function fileTotal(file: string, column: string, month: string) {
    const cells = await withDuckDB(async (db) =>
      (await db.runAndReadAll(`SELECT ${column} AS v FROM read_csv('${file}', header = true, all_varchar = true, nullstr = ['', 'NULL']) WHERE left(BillingPeriodStart, 7) = '${month}'`)).getRowObjectsJS(),
    );
    return sum(cells.map((c) => new Decimal(c.v === null ? "0" : String(c.v))));
  }

  it("FOCUS 1.0 sample (NULL strings, a key with a leading space, a non-FOCUS Id column)", async () => {
    const file = join(sharedData, "focus-1.0-sample", "focus_sample.csv");
    const model = loadCostModel(join(root, "allot.yaml"));
    const latest = await buildMonthReport(model, [file]);
    expect(latest.month).toBe("2024-10");
    expect(latest.attribution.rows).toBe(1);
    const report = await buildMonthReport(model, [file], { month: "2024-09" });
    expect(report.attribution.rows).toBe(999);
    expect(report.attribution.total.equals(await fileTotal(file, "EffectiveCost", "2024-09"))).toBe(true);
    expect(report.attribution.byProvider.size).toBeGreaterThanOrEqual(2);
    expect(sum(report.attribution.unallocated.values()).equals(report.attribution.total)).toBe(true);
  });

  it("FOCUS 1.2 and 1.3 synthetic exports from three providers", async () => {
    const dir = join(sharedData, "focus-synthetic-goldens");
    const model = loadCostModel(join(root, "allot.yaml"));
    for (const file of ["aws_1_3_cost_and_usage_rows100_seed42.csv", "gcp_1_2_cost_and_usage_rows25_seed7_credits.csv"].map((f) => join(dir, f))) {
      const report = await buildMonthReport(model, [file]);
      expect(report.attribution.total.equals(await fileTotal(file, "EffectiveCost", report.month)), file).toBe(true);
    }
    const both = await buildMonthReport(model, [join(dir, "aws_1_2_cost_and_usage_rows100_seed42.csv"), join(dir, "gcp_1_2_cost_and_usage_rows100_seed42.csv")]);
    expect([...both.attribution.byProvider.keys()].sort()).toEqual(["AWS", "Google Cloud"]);
    // Azure's file bills in EUR: a USD model refuses to add it in rather than sum two currencies.
    await expect(buildMonthReport(model, [join(dir, "consolidated_multi_provider_1_3.csv")])).rejects.toThrow(/the input has charges in EUR [0-9.]+, but .* no exchange rate for EUR/);
  });
});

describe("money is never dropped silently", () => {
  it("charges without a billing period are named in the report with their worth", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bill.csv"), "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName\n1.00,1.00,USD,2026-10-01,Usage,AWS,EC2\n2.50,2.50,USD,,Usage,AWS,EC2\n");
    const run = allot(["report", "--config", join(root, "allot.yaml"), "--input", join(dir, "bill.csv"), "--out", dir]);
    expect(run.code, run.stderr).toBe(0);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).toContain("**$1.00**");
    expect(md).toContain("**Skipped:** 1 charges ($2.50) have no BillingPeriodStart");
  });
});
