// Hostile file names and encodings: each input is read once, as itself, and money never changes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
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
