#!/usr/bin/env node
// The `allot` command line. Each command validates its flags, runs, and maps a UserError to one line on
// stderr with exit code 2; anything else is a bug and says so.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { COMPLIANCE_PLACES, loadCostModel, shareBelowBar, UserError } from "../../model";
import { renderMarkdown } from "../render/markdown";
import { renderHtml } from "../render/html";
import { reportTables } from "../render/tables";
import { prepareTemplates } from "../render/templates";
import { preloadCharts } from "../render/charts";
import { csvLine } from "../text/escape";
import { buildReport, type BuiltReport, type ReportData } from "../report/build";
import { readSigningKey, sha256File, verify, writeManifest } from "../report/provenance";
import { prepareReportDir } from "../report/out-dir";
import { formatMoney, formatPercent, monthName } from "../text/format";
import { Decimal } from "../money";
import { generateSample, SAMPLE_DEFAULTS, type SampleFormat } from "../sample/generate";
import { allotVersion, sampleModelFile } from "../paths";
import { renderComplianceText } from "../compliance/text";
import { withDuckDB } from "../read/duckdb";
import { progressReporter } from "./progress";
import { renderAllocationText } from "../allocate/text";
import { summarize, writeAllocationTable } from "../allocate/output";
import { runMonth, type Month } from "../month/pipeline";
import type { ChargeGroups } from "../read/charges";
import { loadAdjustments } from "../read/adjustments";
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

const FORMATS = ["md", "html", "csv", "json"] as const;
type Format = (typeof FORMATS)[number];

function formatsFlag(value: string): Format[] {
  const list = value.split(",").map((f) => f.trim());
  const unknown = list.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0 || list.length === 0) throw new InvalidArgumentError(`expected a comma-separated list of ${FORMATS.join(", ")}, got "${value}"`);
  return list as Format[];
}

function generatedAtFlag(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError(`expected an ISO date-time such as 2026-11-01T06:00:00Z, got "${value}"`);
  return value;
}

export interface ReportCliOptions {
  config: string;
  input: string[];
  k8s?: string[];
  month?: string;
  out: string;
  format?: Format[];
  templates?: string;
  metrics?: string;
  metering?: string;
  adjustments?: string;
  skipBadRows?: boolean;
  generatedAt?: string;
  quiet?: boolean;
  /** Write into an --out that holds files allot did not write. */
  force?: boolean;
  /** An Ed25519 private key (PEM) that signs the manifest. */
  signKey?: string;
}

/** Builds the month's report and writes each format, then the manifest over inputs, config and outputs. */
export async function runReport(o: ReportCliOptions): Promise<{ built: BuiltReport; files: string[] }> {
  const signingKey = o.signKey === undefined ? undefined : readSigningKey(o.signKey);
  const clearPreviousRun = prepareReportDir(o.out, Boolean(o.force));
  const progress = progressReporter(Boolean(o.quiet));
  const formats = new Set(o.format ?? FORMATS);
  // The templates, the chart modules and the inputs' hashes for the manifest need no figure of the bill:
  // they are made ready while DuckDB scans it.
  const hashes = new Map<string, Promise<string>>();
  const whileScanning = (files: readonly string[]) => {
    for (const file of files) if (!hashes.has(file)) hashes.set(file, sha256File(file));
    for (const hash of hashes.values()) hash.catch(() => undefined);
    prepareTemplates(formats, o.templates);
    if (formats.has("html")) preloadCharts();
  };
  let built: BuiltReport;
  try {
    built = await buildReport(
      { config: o.config, input: o.input, skipBadRows: Boolean(o.skipBadRows), ...(o.month ? { month: o.month } : {}), ...(o.metrics ? { metrics: o.metrics } : {}), ...(o.metering ? { metering: o.metering } : {}), ...(o.adjustments ? { adjustments: o.adjustments } : {}), ...(o.k8s ? { k8s: o.k8s } : {}), ...(progress.onProgress ? { onProgress: progress.onProgress } : {}), whileScanning },
      o.generatedAt ?? null,
    );
  } finally {
    progress.stop();
  }
  const dir = resolve(o.out);
  const outputs: [string, string][] = [];
  if (formats.has("md")) outputs.push(["report.md", renderMarkdown(built.data, o.templates)]);
  if (formats.has("html")) outputs.push(["report.html", await renderHtml(built.data, o.templates)]);
  if (formats.has("json")) outputs.push(["report.json", `${JSON.stringify(built.data, null, 2)}\n`]);
  if (formats.has("csv")) for (const [name, rows] of Object.entries(reportTables(built.data))) outputs.push([join("tables", `${name}.csv`), rows.map((r) => csvLine(r.map((v) => v ?? ""))).join("")]);
  const files: string[] = [];
  try {
    clearPreviousRun();
    for (const [name, content] of outputs) {
      const file = join(dir, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      files.push(file);
    }
    files.push(...(await writeManifest(dir, { month: built.data.month, generatedAt: o.generatedAt ?? null, config: o.config, inputs: built.files, hashes, ...(signingKey ? { signingKey } : {}) })));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`--out ${o.out}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose a writable directory`);
  }
  return { built, files };
}

export function summary(d: ReportData): string {
  return `${monthName(d.month)}: ${formatMoney(new Decimal(d.summary.total), d.currency)} ${d.costBasis}, ${formatMoney(new Decimal(d.summary.unallocated), d.currency)} unallocated, ${formatPercent(d.summary.costCompliancePct, COMPLIANCE_PLACES)} of usage tagged, ${d.summary.overBudget.length} teams over budget, ${d.summary.anomalies} anomalies`;
}

/**
 * What the CLI says on stderr about the input and the config: inputs set aside, the month reported and why,
 * what to check in it, and what in allot.yaml matches nothing in it (month/unmatched.ts).
 */
type InputNotes = Pick<ChargeGroups, "monthChoice" | "setAside"> & { warnings: readonly string[] };

const inputNotes = (run: Month): InputNotes => ({ monthChoice: run.groups.monthChoice, setAside: run.groups.setAside, warnings: run.warnings });

/** Every warning of the run, as stderr says them and --json lists them: the month's input first, then allot.yaml's. */
const warningsOf = (notes: InputNotes | undefined): string[] => (notes ? [...notes.monthChoice.warnings, ...notes.warnings] : []);

function sayMonth(notes: InputNotes | undefined): void {
  if (!notes) return;
  const choice = notes.monthChoice;
  for (const s of notes.setAside) process.stderr.write(`allot: ${s.note}\n`);
  for (const line of [...(choice.reason ? [choice.reason] : []), ...warningsOf(notes).map((w) => `warning: ${w}`)]) process.stderr.write(`allot: ${line}\n`);
}

/** A command that reads billing exports: --config, --input, --month and --skip-bad-rows, worded the same everywhere. */
function billingCommand(cli: Command, name: string, description: string): Command {
  return cli
    .command(name)
    .description(description)
    .requiredOption("--config <file>", "the cost model, allot.yaml")
    .requiredOption("--input <files...>", "billing export files or globs (CSV, CSV.gz, Parquet, JSON lines)")
    .option("--month <YYYY-MM>", "billing month (default: the latest with substantial data, said on stderr)", monthFlag)
    .option("--skip-bad-rows", "skip rows that cannot be read, and report how many and what they were worth")
    .option("--k8s <files...>", "OpenCost allocation data for a shared Kubernetes cluster: saved /allocation JSON responses or OpenCost's CSV export (files or globs)");
}

export function program(): Command {
  const cli = new Command("allot")
    .description("Cloud and AI cost accountability: tag standard, budgets, showback and chargeback reports.")
    .version(allotVersion(), "-V, --version", "print allot's version")
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

  billingCommand(cli, "compliance", "Measure tag compliance of billing exports: share of usage cost and resources with every required tag.")
    .option("--json", "print one JSON document instead of tables")
    .option("--fail-under <pct>", "exit 1 when the share of compliant usage cost is below this percentage", percentFlag)
    .option("--quiet", "no progress bar")
    .action(async (o: { config: string; input: string[]; k8s?: string[]; month?: string; json?: boolean; failUnder?: number; skipBadRows?: boolean; quiet?: boolean }) => {
      const progress = progressReporter(Boolean(o.quiet || o.json));
      let notes: InputNotes | undefined;
      const { report, measured } = await withDuckDB(async (db) => {
        try {
          const run = await runMonth(db, { ...o, byResource: true, allocateMonths: 0, ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) });
          notes = inputNotes(run);
          return { report: run.kubernetes ? { ...run.compliance, kubernetes: run.kubernetes } : run.compliance, measured: run.costCompliance };
        } finally {
          progress.stop();
        }
      });
      process.stdout.write(o.json ? `${JSON.stringify({ ...report, warnings: warningsOf(notes) }, null, 2)}\n` : renderComplianceText(report));
      sayMonth(notes);
      // No usage cost to measure is no compliance to fail on: said, not failed. The exact share decides: 79.996% is below 80.
      if (o.failUnder !== undefined && measured === null) process.stderr.write(`allot: --fail-under ${o.failUnder}: no usage cost in ${report.month} to measure, so nothing to fail\n`);
      else if (o.failUnder !== undefined && measured !== null && measured.lessThan(o.failUnder)) {
        // Rounded, a share just below the bar can read as at it: shareBelowBar says so, as everywhere.
        process.stderr.write(`allot: compliance ${shareBelowBar(report.costCompliancePct!, o.failUnder, COMPLIANCE_PLACES)} is below --fail-under ${o.failUnder}%\n`);
        process.exitCode = 1;
      }
    });

  billingCommand(cli, "allocate", "Allocate a month's bill to teams by the rules in allot.yaml, exactly; print totals or write the allocated cost table.")
    .option("--metrics <file>", "usage metrics (date, metric, team, kind, quantity) for proportional, weighted and activity rules")
    .option("--metering <file>", "AI usage log (time, team, product, feature, customer, model, tokens, calls, GPU seconds) for driver: metering")
    .option("--json", "print totals and allocations as JSON (amounts as decimal strings)")
    .option("--out <file>", "write the allocated cost table: .csv or .parquet")
    .action(async (o: { config: string; input: string[]; k8s?: string[]; metrics?: string; metering?: string; month?: string; json?: boolean; out?: string; skipBadRows?: boolean }) => {
      let notes: InputNotes | undefined;
      const summary = await withDuckDB(async (db) => {
        const run = await runMonth(db, { ...o, linesByResource: Boolean(o.out) });
        notes = inputNotes(run);
        if (o.out) await writeAllocationTable(db, run.model, run.allocation, resolve(o.out), run.presented);
        return summarize(run.model, run.month, run.allocation, run.presented);
      });
      process.stdout.write(o.json ? `${JSON.stringify({ ...summary, warnings: warningsOf(notes) }, null, 2)}\n` : renderAllocationText(summary));
      if (o.out && !o.json) process.stdout.write(`wrote ${resolve(o.out)}\n`);
      sayMonth(notes);
    });

  billingCommand(cli, "chargeback", "Write a month's invoices (JSON and CSV), budget status and audit trail, with reviewed adjustments applied.")
    .option("--metrics <file>", "usage metrics for the allocation rules")
    .option("--metering <file>", "AI usage log for rules with driver: metering")
    .requiredOption("--out <dir>", "directory for invoices.json, invoices.csv, budgets.csv and audit.json")
    .option("--adjustments <file>", "reviewed credits and debits: invoice, amount, reason, approvedBy (CSV or YAML)")
    .action(async (o: { config: string; input: string[]; k8s?: string[]; metrics?: string; metering?: string; month?: string; out: string; adjustments?: string; skipBadRows?: boolean }) => {
      let notes: InputNotes | undefined;
      const written = await withDuckDB(async (db) => {
        const run = await runMonth(db, o);
        notes = inputNotes(run);
        const month = run.month;
        const parties = new Set([...run.model.teams.keys(), ...run.model.units.map((u) => u.id)].map((p) => invoiceId(month, p)));
        const adjustments = o.adjustments ? await loadAdjustments(db, o.adjustments, parties, run.model.currency) : [];
        const { invoices, budgets } = buildInvoices(run.model, month, run.allocation, run.teamCompliance, adjustments, run.presented);
        return writeChargeback(resolve(o.out), { month, invoices, budgets, adjustments, unallocated: run.allocation.unallocated.toFixed() });
      });
      process.stdout.write(`${written.map((f) => `wrote ${f}`).join("\n")}\n`);
      sayMonth(notes);
    });

  billingCommand(cli, "report", "Write a month's report: Markdown for a pull request, self-contained HTML, CSV and JSON tables, and a manifest.")
    .requiredOption("--out <dir>", "directory for report.md, report.html, report.json, tables/ and manifest.json")
    .option("--format <list>", "which of md,html,csv,json to write (default: all)", formatsFlag)
    .option("--templates <dir>", "directory with templates that override the bundled ones")
    .option("--metrics <file>", "usage metrics for the allocation rules and cost per unit")
    .option("--metering <file>", "AI usage log: the AI section and rules with driver: metering")
    .option("--adjustments <file>", "reviewed adjustments to apply to invoices")
    .option("--generated-at <iso>", "a timestamp to print in the report (none by default, so reruns are byte-identical)", generatedAtFlag)
    .option("--quiet", "no progress bar")
    .option("--force", "write into an --out that holds files allot did not write (they are listed in the manifest)")
    .option("--sign-key <file>", "sign manifest.json with this Ed25519 private key (PEM), writing manifest.sig")
    .action(async (o: ReportCliOptions) => {
      const { built, files } = await runReport(o);
      console.log(`${files.map((f) => `wrote ${f}`).join("\n")}\n${summary(built.data)}`);
      sayMonth(built);
    });

  cli
    .command("verify")
    .description("Recompute the hashes in a report's manifest.json and list its directory; exit 1 naming any file added, removed or changed.")
    .argument("<dir>", "the directory allot report wrote")
    .option("--public-key <file>", "check manifest.sig against this Ed25519 public key (PEM), so a consistent edit is caught too")
    .action(async (dir: string, o: { publicKey?: string }) => {
      const manifest = join(dir, "manifest.json");
      const { checked, problems, signed } = await verify(resolve(dir), o.publicKey);
      if (problems.length === 0) {
        console.log(signed ? `ok: ${checked} files match ${manifest}, and its signature is valid` : `ok: ${checked} files match ${manifest}; without --public-key this detects accidental changes, not tampering`);
        return;
      }
      process.stderr.write(`allot: ${manifest}: ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems.join(", ")}; regenerate the report with allot report, or find out who changed it\n`);
      process.exitCode = 1;
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
