// Hostile file names and encodings: each input is read once, as itself, and money never changes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { sqlString, withDuckDB } from "../../reports/read/duckdb";
import { allot, root, tempDir } from "../helpers";

const config = join(root, "allot.yaml");
const HEADER = "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName\n";
const bill = (...costs: string[]) => HEADER + costs.map((c) => `${c},${c},USD,2026-10-01,Usage,AWS,EC2\n`).join("");

function totalCost(...input: string[]): string {
  const run = allot(["compliance", "--config", config, "--json", "--quiet", "--input", ...input]);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { totalCost: string }).totalCost;
}

describe("--input: globs are expanded by allot, files read as literal paths", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "a.csv"), bill("10.25"));
  writeFileSync(join(dir, "b.csv"), bill("20"));
  writeFileSync(join(dir, "*.csv"), bill("100"));
  writeFileSync(join(dir, "[ab].csv"), bill("1000"));

  it("a glob reads every match once, files named *.csv and [ab].csv included", () => {
    expect(totalCost(join(dir, "*.csv"))).toBe("1130.25");
  });

  it("a file named like a glob, escaped or matching nothing else, is read as itself", () => {
    expect(totalCost(join(dir, "\\[ab\\].csv"))).toBe("1000");
    expect(totalCost(join(dir, "\\*.csv"))).toBe("100");
    const lone = tempDir();
    writeFileSync(join(lone, "[x].csv"), bill("7.5"));
    expect(totalCost(join(lone, "[x].csv"))).toBe("7.5");
  });

  it("the same rows with CRLF line endings, or gzipped, are counted once", () => {
    const twin = tempDir();
    const text = bill("1.10", "2.20");
    writeFileSync(join(twin, "lf.csv"), text);
    writeFileSync(join(twin, "crlf.csv"), text.replace(/\n/g, "\r\n"));
    writeFileSync(join(twin, "lf.csv.gz"), gzipSync(text));
    expect(totalCost(join(twin, "*"))).toBe("3.3");
  });

  it("different rows in CRLF files are still all counted", () => {
    const two = tempDir();
    writeFileSync(join(two, "a.csv"), bill("1.10").replace(/\n/g, "\r\n"));
    writeFileSync(join(two, "b.csv"), bill("2.20").replace(/\n/g, "\r\n"));
    expect(totalCost(join(two, "*.csv"))).toBe("3.3");
  });
});

describe("CSV files that cannot be billing exports say what they are, and a column named like allot's own is no problem", () => {
  const config = join(root, "allot.yaml");
  it("an empty file, or one holding only a byte order mark, is empty; must fail: one with a header is read", () => {
    const dir = tempDir();
    for (const [name, bytes] of [["empty.csv", ""], ["bom.csv", "\uFEFF\r\n"]] as const) {
      writeFileSync(join(dir, name), bytes);
      const run = allot(["compliance", "--config", config, "--input", join(dir, name)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`allot: ${join(dir, name)}: the file is empty (no header and no rows); export it again\n`);
    }
    writeFileSync(join(dir, "header.csv"), "\uFEFFBilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName,Tags\n1,1,USD,2026-10-01,Usage,AWS,Amazon EC2,\n");
    expect(allot(["compliance", "--config", config, "--input", join(dir, "header.csv"), "--json"]).code).toBe(0);
  });

  it("a file with its own column named filename, in any case, CSV or Parquet, is read like any other", async () => {
    const dir = tempDir();
    const files: string[] = [];
    for (const [column, cost] of [["filename", "1.25"], ["FileName", "0.75"]] as const) {
      const file = join(dir, `with-${column}.csv`);
      writeFileSync(file, `${column},BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName,Tags\nx.csv,${cost},${cost},USD,2026-10-01,Usage,AWS,Amazon EC2,\n`);
      files.push(file);
    }
    const parquet = join(dir, "with-filename.parquet");
    // As DuckDB writes a file read with filename = true: its name column comes along.
    await withDuckDB((db) => db.run(`COPY (SELECT 2.5 AS BilledCost, 2.5 AS EffectiveCost, 'USD' AS BillingCurrency, TIMESTAMP '2026-10-01' AS BillingPeriodStart, 'Usage' AS ChargeCategory, 'AWS' AS ProviderName, 'Amazon S3' AS ServiceName, 'x' AS filename) TO ${sqlString(parquet)} (FORMAT parquet)`));
    expect(totalCost(...files, parquet)).toBe("4.5");
  });
});
