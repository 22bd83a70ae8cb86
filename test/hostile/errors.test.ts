// Misread input is named for what is wrong with it, in one line with exit 2, never a stack trace.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { diagnoseCsv } from "../../reports/read/diagnose";
import { allot, root, tempDir } from "../helpers";

const config = join(root, "allot.yaml");
const HEADER = "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName\n";
const row = (cost: string) => `${cost},${cost},USD,2026-10-01,Usage,AWS,EC2\n`;

function expectOneLine(args: string[], message: RegExp) {
  const run = allot(args);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/unknown billing export schema|\n\s+at /);
}

describe("CSV exports DuckDB cannot sniff", () => {
  it("a ragged row names the file and line", () => {
    const file = join(tempDir(), "bill.csv");
    writeFileSync(file, HEADER + row("1") + "2,2,USD,2026-10-01,Usage,AWS\n" + row("3"));
    expectOneLine(["compliance", "--config", config, "--input", file, "--quiet"], /bill\.csv:3: the row has 6 fields where the header has 7; fix the row/);
  });

  it("a truncated .csv.gz says it is cut short", () => {
    const file = join(tempDir(), "bill.csv.gz");
    const gz = gzipSync(HEADER + row("1").repeat(2000));
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    expectOneLine(["compliance", "--config", config, "--input", file, "--quiet"], /bill\.csv\.gz: the gzip file is truncated or corrupt .*export it again/);
  });

  it("a carriage return inside a quoted value is named with its line", async () => {
    const file = join(tempDir(), "bill.csv");
    writeFileSync(file, HEADER + row("1") + '2,2,USD,2026-10-01,Usage,AWS,"EC\r2"\n');
    expect(await diagnoseCsv(file)).toMatch(/^:3: a quoted value holds a carriage return/);
    writeFileSync(file, (HEADER + row("1") + '2,2,USD,2026-10-01,Usage,AWS,"EC\r\n2"\n').replace(/(?<!\r)\n/g, "\r\n"));
    expect(await diagnoseCsv(file)).toBeNull();
  });
});

describe("the CLI itself", () => {
  it("allot --version prints the package version", () => {
    const run = allot(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version);
  });

  it("allot sample --out on an existing file", () => {
    const file = join(tempDir(), "taken");
    writeFileSync(file, "mine\n");
    expectOneLine(["sample", "--out", file, "--rows", "2000", "--months", "1"], /--out .*taken: is a file, not a directory; pass a new or empty directory/);
    expect(readFileSync(file, "utf8")).toBe("mine\n");
  });
});

describe("amounts past what exact decimals hold", () => {
  it("a SUM overflow names the file whose amounts overflow, not 'an input file'", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "ok.csv"), HEADER + row("1.5"));
    writeFileSync(join(dir, "huge.csv"), HEADER + row("99999999999999999999") + row("99999999999999999999"));
    for (const command of ["compliance", "allocate"]) {
      expectOneLine([command, "--config", config, "--input", join(dir, "ok.csv"), join(dir, "huge.csv")], /^allot: \S+huge\.csv: amounts add up past what exact decimals hold \(20 digits before the point; /);
    }
  });
});
