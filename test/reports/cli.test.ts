import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allot, root, sharedData, tempDir } from "../helpers";

const config = join(root, "allot.yaml");
const focusSample = join(sharedData, "focus-1.0-sample", "focus_sample.csv");

/** Bad input: exit code 2, exactly one line on stderr naming the thing and the fix, no stack trace. */
function expectUserError(args: string[], message: RegExp) {
  const run = allot(args);
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe("allot report: bad input is one clear line and exit 2", () => {
  const out = tempDir();

  it("runs on good input (the case that must pass)", () => {
    const run = allot(["report", "--config", config, "--input", focusSample, "--month", "2024-09", "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("September 2024");
  });

  it("unknown key in allot.yaml", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "allot.yaml"), "currency: USD\ncurrencyy: EUR\ntags: { required: [{ key: team }] }\norg: { units: [{ id: u, teams: [{ id: t, owner: a@b.co, costCenter: C1, budget: 1 }] }] }\n");
    expectUserError(["report", "--config", join(dir, "allot.yaml"), "--input", focusSample, "--out", out], /allot\.yaml:2:\d+: currencyy: unknown key \(did you mean "currency"\?\)/);
  });

  it("missing config", () => {
    expectUserError(["report", "--config", "nope.yaml", "--input", focusSample, "--out", out], /nope\.yaml: cost model not found; pass --config/);
  });

  it("missing input file", () => {
    expectUserError(["report", "--config", config, "--input", "missing.parquet", "--out", out], /--input missing\.parquet: file not found/);
  });

  it("empty glob", () => {
    expectUserError(["report", "--config", config, "--input", join(tempDir(), "*.parquet"), "--out", out], /the glob matches no files/);
  });

  it("a directory given as input", () => {
    expectUserError(["report", "--config", config, "--input", tempDir(), "--out", out], /is not a file/);
  });

  it("unreadable file", () => {
    const dir = tempDir();
    const file = join(dir, "bill.parquet");
    writeFileSync(file, "not parquet at all");
    chmodSync(file, 0o000);
    expectUserError(["report", "--config", config, "--input", file, "--out", out], /bill\.parquet: (cannot be read|.*check its permissions)/);
  });

  it("a month with no data", () => {
    expectUserError(["report", "--config", config, "--input", focusSample, "--month", "2025-01", "--out", out], /--month 2025-01: the input has no charges billed in that month; it has 2024-09/);
  });

  it("a malformed month", () => {
    expectUserError(["report", "--config", config, "--input", focusSample, "--month", "2025-13", "--out", out], /expected a month as YYYY-MM/);
  });

  it("a file of an unknown schema lists its columns and the schemas allot knows", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "export.csv"), "Day,Team,Amount\n2026-10-01,payments,12.50\n");
    expectUserError(["report", "--config", config, "--input", join(dir, "export.csv"), "--out", out], /export\.csv: unknown billing export schema \(columns: Day, Team, Amount\); allot reads FOCUS 1\.0-1\.3 .*; AWS CUR 2\.0 .*; Azure cost details/);
  });

  it("a cost that is not a number is never guessed", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bill.csv"), "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName\n1.00,1.00,USD,2026-10-01,Usage,AWS,EC2\n2.00,twelve,USD,2026-10-01,Usage,AWS,EC2\n");
    expectUserError(["report", "--config", config, "--input", join(dir, "bill.csv"), "--out", out], /bill\.csv:3: EffectiveCost "twelve" is not a decimal number; fix the export, or pass --skip-bad-rows/);
  });

  it("mixed currencies are never summed without a rate", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bill.csv"), "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName\n1.00,1.00,USD,2026-10-01,Usage,AWS,EC2\n2.00,2.00,EUR,2026-10-01,Usage,AWS,EC2\n");
    expectUserError(["report", "--config", config, "--input", join(dir, "bill.csv"), "--out", out], /the input has charges in EUR 2, but .*allot\.yaml reports in USD with no exchange rate for EUR; add exchangeRates: \{ EUR: <USD per EUR> \}/);
  });

  it("an --out that cannot be written", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "");
    expectUserError(["report", "--config", config, "--input", focusSample, "--out", join(dir, "file", "sub")], /--out .*: cannot write the report/);
  });

  it("a missing flag and an unknown flag", () => {
    const run = allot(["report", "--config", config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '--input <files...>' not specified");
    expect(allot(["report", "--bogus"]).code).toBe(2);
  });
});

describe("allot sample", () => {
  it("rejects a bad --rows and --format", () => {
    for (const args of [["--rows", "ten"], ["--rows", "0"], ["--format", "xlsx"]]) {
      const run = allot(["sample", "--out", tempDir(), ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("writes the sample into --out", () => {
    const out = join(tempDir(), "nested");
    mkdirSync(out);
    const run = allot(["sample", "--out", out, "--rows", "2000", "--months", "2", "--format", "csv"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/wrote 2000 rows over 2 months/);
  });
});

describe("allot report --templates", () => {
  it("uses a template from the folder, and the bundled one for the rest", () => {
    const templates = tempDir();
    writeFileSync(join(templates, "report.md.hbs"), "Total for {{month}}: {{summary.total}}\n");
    const out = tempDir();
    const run = allot(["report", "--config", config, "--input", focusSample, "--month", "2024-09", "--out", out, "--templates", templates]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/^Total for 2024-09: \$\d+\.\d\d\n$/);
    const bundled = allot(["report", "--config", config, "--input", focusSample, "--month", "2024-09", "--out", out, "--templates", tempDir()]);
    expect(bundled.code).toBe(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("## Teams");
  });

  it("a template that names a field the report does not have, and a missing folder", () => {
    const templates = tempDir();
    writeFileSync(join(templates, "report.md.hbs"), "{{totl}}\n");
    expectUserError(["report", "--config", config, "--input", focusSample, "--month", "2024-09", "--out", tempDir(), "--templates", templates], /report\.md\.hbs: "totl" not defined in .*; fix the template/);
    expectUserError(["report", "--config", config, "--input", focusSample, "--out", tempDir(), "--templates", "/nonexistent"], /--templates \/nonexistent: not a directory/);
  });

  // Templates are compiled while DuckDB scans the bill; a template that does not compile is still said, once, when the report is rendered.
  it("a template that does not compile: said with its file, and no report written", () => {
    const templates = tempDir();
    writeFileSync(join(templates, "report.html.hbs"), "{{#if summary}}unclosed\n");
    const out = tempDir();
    expectUserError(["report", "--config", config, "--input", focusSample, "--month", "2024-09", "--out", out, "--templates", templates], /report\.html\.hbs: Parse error.*; fix the template/);
    expect(existsSync(join(out, "report.md"))).toBe(false);
  });
});
