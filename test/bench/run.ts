// `npm run bench`: allot against the floor of its own engine. For each size (BENCH_SIZES, default 100k, 1M
// and 10M rows of one month) and format (Parquet and CSV), on the same cached `allot sample` files and in
// the same run: a bare DuckDB GROUP BY over the columns a report needs, then `allot compliance`,
// `allot allocate` and `allot report` end to end, each as its own process (median wall time of BENCH_RUNS
// runs, peak RSS, rows/s, ratio to the baseline). Then the policy pack over gRPC. Writes
// docs/benchmarks.md and docs/benchmarks.json; where a target is missed it says so and profiles the report.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { loadCostModel } from "../../model";
import { withDuckDB } from "../../reports/read/duckdb";
import { generateSample } from "../../reports/sample/generate";
import { SAMPLE_VERSION } from "../../reports/sample/truth";
import { measureNode, profileNode, type Measured } from "./measure";
import { benchPolicyPack } from "./policy-pack";

const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "reports", "cli", "main.js");
const SIZES = (process.env.BENCH_SIZES ?? "100000,1000000,10000000").split(",").map(Number);
const FORMATS = ["parquet", "csv"] as const;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MONTH = "2026-10";
const TARGET_RATIO = 2;
const TARGET_RSS_MB = 2048;

type Format = (typeof FORMATS)[number];
interface Stage extends Measured {
  rowsPerSecond: number;
  ratioToBaseline: number;
}
interface Case {
  rows: number;
  format: Format;
  inputMb: number;
  baseline: Stage;
  compliance: Stage;
  allocate: Stage;
  report: Stage;
  target: { applies: boolean; withinRatio: boolean; underRss: boolean; met: boolean };
  profile?: { where: string; ms: number; pct: number }[];
}

/** The sample for a size and format, generated once into out/bench/ and reused by later runs. */
async function sample(rows: number, format: Format): Promise<string> {
  const dir = join(root, "out", "bench", `sample-v${SAMPLE_VERSION}-${rows}-${format}`);
  if (!existsSync(join(dir, "truth.json"))) {
    console.log(`generating ${rows.toLocaleString("en-US")} rows as ${format} in ${dir} (once) ...`);
    const modelFile = join(root, "allot.yaml");
    await generateSample({ out: dir, rows, months: 1, endMonth: MONTH, format, seed: 42, model: loadCostModel(modelFile), modelFile });
  }
  return dir;
}

const baselineSql = (glob: string, format: Format) => {
  const scan = format === "parquet" ? `read_parquet('${glob}')` : `read_csv('${glob}', header = true)`;
  // The groups stay in DuckDB (only their count and total come back), as allot's own aggregates do.
  return `SELECT COUNT(*) AS groups, SUM(cost) AS cost FROM (SELECT BillingPeriodStart, CAST(ChargePeriodStart AS DATE) AS day, BillingCurrency, ProviderName,
    SubAccountId, ServiceName, ServiceCategory, RegionId, ChargeCategory, ResourceId, ResourceType, Tags, SUM(EffectiveCost) AS cost FROM ${scan} GROUP BY ALL)`;
};

async function benchCase(rows: number, format: Format): Promise<Case> {
  const dir = await sample(rows, format);
  const glob = join(dir, "focus", format === "parquet" ? "*.parquet" : "*.csv");
  const inputMb = Math.round(Number((await withDuckDB(async (db) => (await db.runAndReadAll(`SELECT SUM(size) AS s FROM read_blob('${glob}')`)).getRowObjectsJS()))[0]!.s) / 2 ** 20);
  const common = ["--config", join(dir, "allot.yaml"), "--input", glob, "--month", MONTH];
  const usage = ["--metrics", join(dir, "metrics.csv"), "--metering", join(dir, "metering.csv")];
  const out = mkdtempSync(join(tmpdir(), "allot-bench-report-"));
  const commands = {
    baseline: [join(__dirname, "baseline.cjs"), baselineSql(glob, format)],
    compliance: [cli, "compliance", ...common, "--json", "--quiet"],
    allocate: [cli, "allocate", ...common, ...usage, "--json"],
    report: [cli, "report", ...common, ...usage, "--out", out, "--quiet"],
  };
  const measured = {} as Record<keyof typeof commands, Measured>;
  for (const [name, args] of Object.entries(commands) as [keyof typeof commands, string[]][]) {
    process.stdout.write(`  ${rows.toLocaleString("en-US")} ${format} ${name} ...`);
    measured[name] = measureNode(args, RUNS);
    process.stdout.write(` ${measured[name].ms} ms, ${measured[name].peakRssMb} MiB\n`);
  }
  const stage = (m: Measured): Stage => ({ ...m, rowsPerSecond: Math.round(rows / (m.ms / 1000)), ratioToBaseline: Number((m.ms / measured.baseline.ms).toFixed(2)) });
  const report = stage(measured.report);
  const applies = rows >= 10_000_000;
  const withinRatio = report.ratioToBaseline <= TARGET_RATIO;
  const underRss = report.peakRssMb < TARGET_RSS_MB;
  const result: Case = {
    rows, format, inputMb,
    baseline: stage(measured.baseline), compliance: stage(measured.compliance), allocate: stage(measured.allocate), report,
    target: { applies, withinRatio, underRss, met: withinRatio && underRss },
  };
  if (applies && !result.target.met) {
    console.log(`  target missed: profiling allot report on ${rows} ${format} rows ...`);
    result.profile = profileNode(commands.report);
  }
  rmSync(out, { recursive: true, force: true });
  return result;
}

async function machine() {
  const duckdb = await withDuckDB(async (db) => String((await db.runAndReadAll("SELECT version() AS v")).getRowObjectsJS()[0]!.v));
  return { cpu: cpus()[0]?.model.trim() ?? "unknown", cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, duckdb, platform: `${process.platform} ${process.arch}` };
}

const fmt = (n: number) => n.toLocaleString("en-US");
const secs = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);

function markdown(results: { machine: Awaited<ReturnType<typeof machine>>; runs: number; cases: Case[]; policyPack: Awaited<ReturnType<typeof benchPolicyPack>> }): string {
  const { machine: m, cases, policyPack: p } = results;
  const lines = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (test/bench/run.ts); the numbers below are from its last run, and",
    "[benchmarks.json](benchmarks.json) has them all, with every run's time.",
    "",
    `**Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GiB; Node ${m.node}; DuckDB ${m.duckdb}; ${m.platform}.`,
    "",
    `Data: \`allot sample\` for one month (${MONTH}), seed 42, with its metrics and AI usage log, as Parquet and as CSV. Each command runs`,
    `as its own process, ${results.runs} times; the time is the median wall time, start-up included, and memory is the peak`,
    "RSS the kernel counted for the process, DuckDB's memory included.",
    "",
    "**Baseline:** one bare DuckDB `GROUP BY` over the columns a report needs (billing period, day, currency, provider,",
    "account, service, category, region, charge category, resource, resource type, tags), summing EffectiveCost;",
    "only the number of groups and their total come back to JavaScript.",
    "It is the floor for any tool on this engine: no validation, no exact decimals, no output.",
    "",
    "| Rows | Format | Input | Command | Time (s) | Rows/s | Peak RSS (MiB) | × baseline |",
    "|---:|---|---:|---|---:|---:|---:|---:|",
  ];
  for (const c of cases) {
    for (const name of ["baseline", "compliance", "allocate", "report"] as const) {
      const s = c[name];
      lines.push(`| ${fmt(c.rows)} | ${c.format} | ${fmt(c.inputMb)} MiB | ${name === "baseline" ? "DuckDB GROUP BY" : `allot ${name}`} | ${secs(s.ms)} | ${fmt(s.rowsPerSecond)} | ${fmt(s.peakRssMb)} | ${s.ratioToBaseline.toFixed(2)} |`);
    }
  }
  lines.push("", "## Targets", "", `\`allot report\` on 10M rows within ${TARGET_RATIO}x its format's baseline and under ${fmt(TARGET_RSS_MB)} MiB peak RSS.`, "");
  const targeted = cases.filter((c) => c.target.applies);
  if (targeted.length === 0) lines.push("Not measured in this run: it had no 10M-row case (BENCH_SIZES).");
  for (const c of targeted) {
    lines.push(`- ${c.format}: ${c.report.ratioToBaseline.toFixed(2)}x the baseline, ${fmt(c.report.peakRssMb)} MiB: **${c.target.met ? "met" : `missed (${[!c.target.withinRatio && "time", !c.target.underRss && "memory"].filter(Boolean).join(" and ")})`}**.`);
    if (c.profile) {
      lines.push("", `  Where the report's time goes on ${c.format} (self time on the main thread; (idle) is waiting for DuckDB's threads):`, "", "  | Function | ms | % |", "  |---|---:|---:|");
      for (const f of c.profile) lines.push(`  | \`${f.where.replace(/\|/g, "\\|")}\` | ${fmt(f.ms)} | ${f.pct} |`);
      lines.push("");
    }
  }
  lines.push(
    "",
    "## Policy pack",
    "",
    `A ${fmt(p.resources)}-resource stack (AWS, GCP and Azure types, provider default tags, violations) analysed over the`,
    "Analyzer gRPC protocol, as `pulumi preview` runs it:",
    "",
    "| Measure | Value |",
    "|---|---:|",
    `| Start-up (process to first answer), median of 3 | ${fmt(p.startupMs)} ms |`,
    `| Analyze, one call at a time | ${fmt(p.grpcSequentialPerSecond)} resources/s |`,
    `| Analyze, 32 calls in flight | ${fmt(p.grpcConcurrent32PerSecond)} resources/s |`,
    `| AnalyzeStack of all ${fmt(p.resources)} | ${fmt(p.analyzeStackMs)} ms (${fmt(p.stackViolations)} stack diagnostics) |`,
    `| In process, both resource policies | ${p.inProcessMicrosPerResource} µs per resource |`,
    "",
  );
  return lines.join("\n");
}

async function main() {
  const info = await machine();
  console.log(`machine: ${info.cpu}, ${info.cores} cores, ${info.memoryGb} GiB, Node ${info.node}, DuckDB ${info.duckdb}`);
  mkdirSync(join(root, "out", "bench"), { recursive: true });
  const cases: Case[] = [];
  for (const rows of SIZES) for (const format of FORMATS) cases.push(await benchCase(rows, format));
  console.log("  policy pack over gRPC ...");
  const policyPack = await benchPolicyPack();
  const results = { machine: info, runs: RUNS, month: MONTH, targets: { reportRatioToBaseline: TARGET_RATIO, reportPeakRssMb: TARGET_RSS_MB }, cases, policyPack };
  writeFileSync(join(root, "docs", "benchmarks.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(root, "docs", "benchmarks.md"), markdown(results));
  console.table(cases.map((c) => ({ rows: c.rows, format: c.format, baselineMs: c.baseline.ms, complianceMs: c.compliance.ms, allocateMs: c.allocate.ms, reportMs: c.report.ms, reportX: c.report.ratioToBaseline, reportRssMb: c.report.peakRssMb })));
  console.table(policyPack);
  for (const c of cases.filter((x) => x.target.applies)) {
    console.log(`${c.format}: allot report is ${c.report.ratioToBaseline}x the baseline at ${c.report.peakRssMb} MiB: target ${c.target.met ? "met" : "MISSED"}`);
    for (const f of c.profile ?? []) console.log(`  ${String(f.pct).padStart(5)}%  ${f.where}`);
  }
  console.log("wrote docs/benchmarks.md and docs/benchmarks.json");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
