#!/usr/bin/env node
// The `allot` command line. Each command validates its flags, runs, and maps a UserError to one line on
// stderr with exit code 2; anything else is a bug and says so.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { loadCostModel, UserError } from "../../model";
import { renderMarkdown } from "../render/markdown";
import { buildMonthReport, type MonthReport } from "../report/month";
import { formatMoney, formatShare, monthName } from "../render/format";
import { Decimal } from "../money";
import { generateSample, SAMPLE_DEFAULTS, type SampleFormat } from "../sample/generate";
import { sampleModelFile } from "../paths";
import { measureCompliance } from "../compliance/compliance";
import { renderComplianceText } from "../compliance/text";
import { loadChargeGroups } from "../read/charges";
import { withDuckDB } from "../read/duckdb";
import { progressReporter } from "./progress";
import { renderAllocationText } from "../allocate/text";
import { summarize, writeAllocationTable } from "../allocate/output";
import { runAllocation } from "../allocate/run";
import { loadAdjustments } from "../chargeback/adjustments";
import { buildInvoices, invoiceId } from "../chargeback/invoices";
import { writeChargeback } from "../chargeback/write";

function wholeNumber(flag: string, min: number, max: number) {
  return (value: string) => {
    const n = /^\d+$/.test(value.replace(/_/g, "")) ? Number(value.replace(/_/g, "")) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

function percentFlag(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > 100) throw new InvalidArgumentError(`expected a percentage from 0 to 100, got "${value}"`);
  return n;
}

function monthFlag(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError(`expected a month as YYYY-MM, e.g. 2026-10, got "${value}"`);
  return value;
}

export interface ReportResult {
  report: MonthReport;
  file: string;
}

export async function runReport(options: { config: string; input: string[]; month?: string; out: string; templates?: string; skipBadRows?: boolean }): Promise<ReportResult> {
  const model = loadCostModel(options.config);
  const report = await buildMonthReport(model, options.input, { ...(options.month ? { month: options.month } : {}), skipBadRows: options.skipBadRows ?? false });
  const markdown = renderMarkdown(report, model.chargebackThreshold, options.templates);
  const out = resolve(options.out);
  try {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "report.md"), markdown);
  } catch (error) {
    throw new UserError(`--out ${options.out}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose a writable directory`);
  }
  return { report, file: join(out, "report.md") };
}

export function summary(report: MonthReport): string {
  const a = report.attribution;
  const unallocated = Decimal.sum(0, ...a.unallocated.values());
  return `${monthName(report.month)}: ${formatMoney(a.total, report.currency)} ${report.costBasis}, ${formatShare(a.total.minus(unallocated), a.total)} to teams, ${formatShare(a.compliance.untagged, a.compliance.usage)} of usage untagged`;
}

export function program(): Command {
  const cli = new Command("allot")
    .description("Cloud and AI cost accountability: tag standard, budgets, showback and chargeback reports.")
    .exitOverride();

  cli
    .command("sample")
    .description("Generate deterministic FOCUS 1.2 billing data for the sample organisation, with metrics and truth.json.")
    .requiredOption("--out <dir>", "directory to write into (its focus/ folder is replaced)")
    .option("--rows <n>", "total number of charge rows", wholeNumber("--rows", 1, 1_000_000_000), SAMPLE_DEFAULTS.rows)
    .option("--months <m>", "number of months", wholeNumber("--months", 1, 36), SAMPLE_DEFAULTS.months)
    .option("--end-month <YYYY-MM>", "the last month", monthFlag, SAMPLE_DEFAULTS.endMonth)
    .addOption(new Option("--format <format>", "file format").choices(["csv", "csv.gz", "parquet"]).default(SAMPLE_DEFAULTS.format))
    .option("--seed <s>", "random seed", wholeNumber("--seed", 0, 2 ** 32 - 1), SAMPLE_DEFAULTS.seed)
    .action(async (o: { out: string; rows: number; months: number; endMonth: string; format: SampleFormat; seed: number }) => {
      const truth = await generateSample({ ...o, model: loadCostModel(sampleModelFile), modelFile: sampleModelFile });
      console.log(`wrote ${truth.total.rows} rows over ${o.months} months to ${resolve(o.out)} (total EffectiveCost ${truth.total.EffectiveCost} USD; see truth.json)`);
    });

  cli
    .command("compliance")
    .description("Measure tag compliance of billing exports: share of usage cost and resources with every required tag.")
    .requiredOption("--config <file>", "the cost model, allot.yaml")
    .requiredOption("--input <files...>", "billing export files or globs (CSV, CSV.gz, Parquet, JSON lines)")
    .option("--month <YYYY-MM>", "billing month (default: the latest in the input)", monthFlag)
    .option("--json", "print one JSON document instead of tables")
    .option("--fail-under <pct>", "exit 1 when the share of compliant usage cost is below this percentage", percentFlag)
    .option("--skip-bad-rows", "skip rows that cannot be read, and report how many and what they were worth")
    .option("--quiet", "no progress bar")
    .action(async (o: { config: string; input: string[]; month?: string; json?: boolean; failUnder?: number; skipBadRows?: boolean; quiet?: boolean }) => {
      const model = loadCostModel(o.config);
      const progress = progressReporter(Boolean(o.quiet || o.json));
      const report = await withDuckDB(async (db) => {
        try {
          const groups = await loadChargeGroups(db, model, o.input, { ...(o.month ? { month: o.month } : {}), skipBadRows: Boolean(o.skipBadRows), byResource: true, ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) });
          return await measureCompliance(db, model, groups);
        } finally {
          progress.stop();
        }
      });
      process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : renderComplianceText(report));
      if (o.failUnder !== undefined && report.costCompliancePct < o.failUnder) {
        process.stderr.write(`allot: compliance ${report.costCompliancePct}% is below --fail-under ${o.failUnder}%\n`);
        process.exitCode = 1;
      }
    });

  cli
    .command("allocate")
    .description("Allocate a month's bill to teams by the rules in allot.yaml, exactly; print totals or write the allocated cost table.")
    .requiredOption("--config <file>", "the cost model, allot.yaml")
    .requiredOption("--input <files...>", "billing export files or globs")
    .option("--metrics <file>", "usage metrics (date, metric, team, kind, quantity) for proportional, weighted and activity rules")
    .option("--month <YYYY-MM>", "billing month (default: the latest in the input)", monthFlag)
    .option("--json", "print totals and allocations as JSON (amounts as decimal strings)")
    .option("--out <file>", "write the allocated cost table: .csv or .parquet")
    .option("--skip-bad-rows", "skip rows that cannot be read, and report them")
    .action(async (o: { config: string; input: string[]; metrics?: string; month?: string; json?: boolean; out?: string; skipBadRows?: boolean }) => {
      const summary = await withDuckDB(async (db) => {
        const run = await runAllocation(db, { ...o, byResource: Boolean(o.out) });
        if (o.out) await writeAllocationTable(db, run.model, run.result, resolve(o.out));
        return summarize(run.model, run.charges.month, run.result);
      });
      process.stdout.write(o.json ? `${JSON.stringify(summary, null, 2)}\n` : renderAllocationText(summary));
      if (o.out && !o.json) process.stdout.write(`wrote ${resolve(o.out)}\n`);
    });

  cli
    .command("chargeback")
    .description("Write a month's invoices (JSON and CSV), budget status and audit trail, with reviewed adjustments applied.")
    .requiredOption("--config <file>", "the cost model, allot.yaml")
    .requiredOption("--input <files...>", "billing export files or globs")
    .option("--metrics <file>", "usage metrics for the allocation rules")
    .option("--month <YYYY-MM>", "billing month (default: the latest in the input)", monthFlag)
    .requiredOption("--out <dir>", "directory for invoices.json, invoices.csv, budgets.csv and audit.json")
    .option("--adjustments <file>", "reviewed credits and debits: invoice, amount, reason, approvedBy (CSV or YAML)")
    .option("--skip-bad-rows", "skip rows that cannot be read, and report them")
    .action(async (o: { config: string; input: string[]; metrics?: string; month?: string; out: string; adjustments?: string; skipBadRows?: boolean }) => {
      const written = await withDuckDB(async (db) => {
        const run = await runAllocation(db, o);
        const month = run.charges.month;
        const parties = new Set([...run.model.teams.keys(), ...run.model.units.map((u) => u.id)].map((p) => invoiceId(month, p)));
        const adjustments = o.adjustments ? await loadAdjustments(db, o.adjustments, parties) : [];
        const { invoices, budgets } = buildInvoices(run.model, month, run.result, run.teamCompliance, adjustments);
        return writeChargeback(resolve(o.out), { month, invoices, budgets, adjustments, unallocated: run.result.unallocated.toFixed() });
      });
      process.stdout.write(`${written.map((f) => `wrote ${f}`).join("\n")}\n`);
    });

  cli
    .command("report")
    .description("Write a month's cost report (Markdown) from FOCUS billing exports.")
    .requiredOption("--config <file>", "the cost model, allot.yaml")
    .requiredOption("--input <files...>", "billing export files or globs (CSV, CSV.gz, Parquet)")
    .option("--month <YYYY-MM>", "billing month (default: the latest in the input)", monthFlag)
    .requiredOption("--out <dir>", "directory for report.md")
    .option("--templates <dir>", "directory with templates that override the bundled ones")
    .option("--skip-bad-rows", "skip rows that cannot be read, and report how many and what they were worth")
    .action(async (o: { config: string; input: string[]; month?: string; out: string; templates?: string; skipBadRows?: boolean }) => {
      const { report, file } = await runReport(o);
      console.log(`wrote ${file}\n${summary(report)}`);
    });
  return cli;
}

/** Runs the CLI; returns the exit code instead of exiting so tests and `npm start` can call it. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: "user" });
    // A command that reports a failed gate (compliance --fail-under) sets the exit code itself.
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UserError) {
      process.stderr.write(`allot: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`allot: internal error, please report it with the command you ran: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
