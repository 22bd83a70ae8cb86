import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCostModel, UserError } from "../../model";
import { withDuckDB } from "../../reports/read/duckdb";
import { generateSample, minimumRows } from "../../reports/sample/generate";
import { makeSample, sampleModelFile, tempDir } from "../helpers";

async function query(sql: string) {
  return withDuckDB(async (db) => (await db.runAndReadAll(sql)).getRowObjectsJS());
}

const csvScan = (dir: string) => `read_csv('${dir}/focus/*.csv*', header = true, all_varchar = true)`;

describe("allot sample", () => {
  it("writes exactly --rows rows whose sums equal truth.json per month and provider", async () => {
    const { out, truth } = await makeSample({ format: "csv", rows: 4000 });
    const rows = await query(`
      SELECT left(BillingPeriodStart, 7) AS month, ProviderName AS provider, COUNT(*) AS n,
             CAST(SUM(CAST(BilledCost AS DECIMAL(38,10))) AS VARCHAR) AS billed,
             CAST(SUM(CAST(EffectiveCost AS DECIMAL(38,10))) AS VARCHAR) AS effective
      FROM ${csvScan(out)} GROUP BY ALL ORDER BY ALL`);
    expect(rows.reduce((n, r) => n + Number(r.n), 0)).toBe(4000);
    expect(truth.total.rows).toBe(4000);
    for (const r of rows) {
      const expected = truth.months[String(r.month)]!.byProvider[String(r.provider)]!;
      expect(Number(r.billed)).not.toBeNaN();
      expect(String(r.billed).replace(/0+$/, "")).toBe(expected.BilledCost.replace(/0+$/, ""));
      expect(String(r.effective).replace(/0+$/, "")).toBe(expected.EffectiveCost.replace(/0+$/, ""));
    }
  });

  it("is deterministic: the same seed gives byte-identical files, another seed does not", async () => {
    const a = await makeSample({ format: "csv", rows: 3000 });
    const b = await makeSample({ format: "csv", rows: 3000 });
    const c = await makeSample({ format: "csv", rows: 3000, seed: 8 });
    const bytes = (dir: string) => ["truth.json", "metrics.csv", ...readdirSync(join(dir, "focus")).map((f) => join("focus", f))].map((f) => readFileSync(join(dir, f), "utf8"));
    expect(bytes(a.out)).toEqual(bytes(b.out));
    expect(bytes(c.out)).not.toEqual(bytes(a.out));
  });

  it("carries what real bills carry: commitments, credits, taxes, a correction, tag defects, anomalies", async () => {
    const { out, truth } = await makeSample({ format: "csv.gz", rows: 8000 });
    const [facts] = await query(`
      SELECT
        COUNT(*) FILTER (WHERE ChargeCategory = 'Purchase' AND CAST(EffectiveCost AS DECIMAL(38,10)) = 0) AS purchases,
        COUNT(*) FILTER (WHERE CommitmentDiscountStatus = 'Used' AND CAST(BilledCost AS DECIMAL(38,10)) = 0 AND CAST(EffectiveCost AS DECIMAL(38,10)) > 0) AS amortized,
        COUNT(*) FILTER (WHERE CommitmentDiscountStatus = 'Unused') AS unused,
        COUNT(*) FILTER (WHERE ChargeCategory = 'Credit' AND CAST(BilledCost AS DECIMAL(38,10)) < 0) AS credits,
        COUNT(*) FILTER (WHERE ChargeCategory = 'Tax') AS taxes,
        COUNT(*) FILTER (WHERE ChargeClass = 'Correction' AND ChargePeriodStart < BillingPeriodStart) AS corrections,
        COUNT(*) FILTER (WHERE Tags LIKE '%"Team":%') AS alias_keys,
        COUNT(*) FILTER (WHERE Tags LIKE '%"team":""%') AS empty_values,
        COUNT(*) FILTER (WHERE Tags LIKE '%"team":"search"%') AS retired,
        COUNT(*) FILTER (WHERE Tags IS NULL AND ChargeCategory = 'Usage') AS untagged,
        COUNT(*) FILTER (WHERE ServiceCategory = 'AI and Machine Learning') AS ai,
        COUNT(*) FILTER (WHERE SkuMeter LIKE '%p4d%' OR SkuMeter LIKE '%A100%') AS gpu,
        COUNT(DISTINCT ProviderName) AS providers,
        COUNT(DISTINCT ChargePeriodStart) AS days
      FROM ${csvScan(out)}`);
    expect(facts).toMatchObject({ providers: 3n, taxes: 3n, corrections: 1n });
    for (const key of ["purchases", "amortized", "unused", "credits", "alias_keys", "empty_values", "retired", "untagged", "ai", "gpu"]) {
      expect(Number(facts![key]), key).toBeGreaterThan(0);
    }
    expect(Number(facts!.days)).toBeGreaterThanOrEqual(92);
    expect(truth.anomalies.map((a) => a.workload).sort()).toEqual(["data-warehouse", "ml-training-gpu", "shared-nat"]);
    expect(truth.anomalies.every((a) => Number(a.extraEffectiveCost) > 0)).toBe(true);
    const first = truth.months["2026-08"]!;
    expect(first.BilledCost).not.toBe(first.EffectiveCost);
  });

  it("writes Parquet with exact DECIMAL cost columns", async () => {
    const { out, truth } = await makeSample({ rows: 3000 });
    const types = await query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${out}/focus/*.parquet')) WHERE column_name IN ('BilledCost', 'EffectiveCost')`);
    expect(types.map((t) => t.column_type)).toEqual(["DECIMAL(18,6)", "DECIMAL(18,6)"]);
    const [sum] = await query(`SELECT CAST(SUM(EffectiveCost) AS VARCHAR) AS total FROM read_parquet('${out}/focus/*.parquet')`);
    expect(sum!.total).toBe(truth.total.EffectiveCost);
  });

  it("writes usage metrics for every team and metric", async () => {
    const { out } = await makeSample({ rows: 3000, months: 1 });
    const metrics = await query(`SELECT metric, COUNT(DISTINCT team) AS teams FROM read_csv('${out}/metrics.csv') GROUP BY 1 ORDER BY 1`);
    expect(metrics.map((m) => m.metric)).toEqual(["headcount", "k8s-cpu-hours", "llm-tokens", "requests"]);
    expect(metrics.find((m) => m.metric === "headcount")!.teams).toBe(8n);
  });

  it("refuses a row count too small to hold every workload", async () => {
    const model = loadCostModel(sampleModelFile);
    await expect(generateSample({ out: tempDir(), rows: minimumRows(6) - 1, months: 6, endMonth: "2026-10", format: "csv", seed: 1, model, modelFile: sampleModelFile })).rejects.toThrow(UserError);
    await expect(generateSample({ out: tempDir(), rows: minimumRows(6), months: 6, endMonth: "2026-10", format: "csv", seed: 1, model, modelFile: sampleModelFile })).resolves.toMatchObject({ total: { rows: minimumRows(6) } });
  });
});
