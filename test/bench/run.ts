// `npm run bench`: allot against the floor of its own engine. For each size (BENCH_SIZES, default 100k, 1M
// and 10M rows of one month) and format (Parquet and CSV), on the same cached `allot sample` files and in
// the same run: a bare DuckDB GROUP BY over the columns a report needs, then `allot compliance`,
// `allot allocate` and `allot report` end to end, each as its own process (median wall time of BENCH_RUNS
// runs, peak RSS, rows/s, ratio to the baseline). Then the policy pack over gRPC. Writes
// docs/benchmarks.md and docs/benchmarks.json; where a target is missed it says so and profiles the report.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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
interface Stage extends Omit<Measured, "output"> {
  rowsPerSecond: number;
  ratioToBaseline: number;
  ratioToScan: number;
}
interface Case {
  rows: number;
  format: Format;
  inputMb: number;
  baseline: Stage;
  /** Number of groups the baseline makes: resources x days, the report's finest grain. */
  baselineGroups: number;
  scan: Stage;
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
  // CSV is read as text, as allot reads it: type sniffing guesses wrong on real exports (account ids that
  // look numeric for 20,000 rows), so the floor casts only what it sums.
  const scan = format === "parquet" ? `read_parquet('${glob}')` : `read_csv('${glob}', header = true, all_varchar = true)`;
  const day = format === "parquet" ? "CAST(ChargePeriodStart AS DATE)" : "left(ChargePeriodStart, 10)";
  const cost = format === "parquet" ? "EffectiveCost" : "CAST(EffectiveCost AS DOUBLE)";
  // The groups stay in DuckDB (only their count and total come back), as allot's own aggregates do.
  return `SELECT COUNT(*) AS groups, SUM(cost) AS cost FROM (SELECT BillingPeriodStart, ${day} AS day, BillingCurrency, ProviderName,
    SubAccountId, ServiceName, ServiceCategory, RegionId, ChargeCategory, ResourceId, ResourceType, Tags, SUM(${cost}) AS cost FROM ${scan} GROUP BY ALL)`;
};

/** The read floor: one pass summing the cost column, no grouping. */
const scanSql = (glob: string, format: Format) =>
  format === "parquet" ? `SELECT COUNT(*) AS n, SUM(EffectiveCost) AS cost FROM read_parquet('${glob}')` : `SELECT COUNT(*) AS n, SUM(CAST(EffectiveCost AS DOUBLE)) AS cost FROM read_csv('${glob}', header = true, all_varchar = true)`;

async function benchCase(rows: number, format: Format): Promise<Case> {
  const dir = await sample(rows, format);
  const glob = join(dir, "focus", format === "parquet" ? "*.parquet" : "*.csv");
  const focus = join(dir, "focus");
  const inputMb = Math.round(readdirSync(focus).filter((f) => f.endsWith(`.${format}`)).reduce((n, f) => n + statSync(join(focus, f)).size, 0) / 2 ** 20);
  const common = ["--config", join(dir, "allot.yaml"), "--input", glob, "--month", MONTH];
  const usage = ["--metrics", join(dir, "metrics.csv"), "--metering", join(dir, "metering.csv"), "--k8s", join(dir, "opencost", "*.json")];
  const out = mkdtempSync(join(tmpdir(), "allot-bench-report-"));
  const commands = {
    baseline: [join(__dirname, "baseline.cjs"), baselineSql(glob, format)],
    scan: [join(__dirname, "baseline.cjs"), scanSql(glob, format)],
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
  const stage = ({ output: _, ...m }: Measured): Stage => ({ ...m, rowsPerSecond: Math.round(rows / (m.ms / 1000)), ratioToBaseline: Number((m.ms / measured.baseline.ms).toFixed(2)), ratioToScan: Number((m.ms / measured.scan.ms).toFixed(2)) });
  const baselineGroups = Number((JSON.parse(measured.baseline.output) as [string, number])[0]);
  const report = stage(measured.report);
  const applies = rows >= 10_000_000;
  const withinRatio = report.ratioToBaseline <= TARGET_RATIO;
  const underRss = report.peakRssMb < TARGET_RSS_MB;
  const result: Case = {
    rows, format, inputMb,
    baseline: stage(measured.baseline), baselineGroups, scan: stage(measured.scan), compliance: stage(measured.compliance), allocate: stage(measured.allocate), report,
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
    "It is the floor for any tool on this engine: no validation, no exact decimals, no output. Its grain is resource by",
    "day (the report needs both), so it holds many groups; `allot compliance` and `allot allocate` need coarser",
    "groups and can come in under it. **Scan** is the read floor: one pass summing the cost column.",
    "",
    "| Rows | Format | Input | Command | Time (s) | Rows/s | Peak RSS (MiB) | × baseline | × scan |",
    "|---:|---|---:|---|---:|---:|---:|---:|---:|",
  ];
  for (const c of cases) {
    for (const name of ["scan", "baseline", "compliance", "allocate", "report"] as const) {
      const s = c[name];
      const label = name === "baseline" ? `DuckDB GROUP BY (${fmt(c.baselineGroups)} groups)` : name === "scan" ? "DuckDB scan" : `allot ${name}`;
      lines.push(`| ${fmt(c.rows)} | ${c.format} | ${fmt(c.inputMb)} MiB | ${label} | ${secs(s.ms)} | ${fmt(s.rowsPerSecond)} | ${fmt(s.peakRssMb)} | ${s.ratioToBaseline.toFixed(2)} | ${s.ratioToScan.toFixed(2)} |`);
    }
  }
  const big = cases.filter((c) => c.target.applies);
  if (big.length > 0) {
    lines.push(
      "",
      "Reading these numbers: at 10M rows the sample's resource-by-day grain has almost as many groups as rows,",
      "so the baseline's time and memory go to grouping, not reading (compare it with the scan). The report needs",
      "the same detail (daily series for anomalies, compliance per resource). It takes",
      `${big.map((c) => `${c.report.ratioToScan.toFixed(1)}x the scan on ${c.format}`).join(" and ")}, with ${big.map((c) => `${Math.round((c.report.peakRssMb * 100) / c.baseline.peakRssMb)}%`).join(" and ")} of the baseline's peak memory.`,
    );
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
    `| AnalyzeStack of all ${fmt(p.resources)} | ${fmt(p.analyzeStackMs)} ms (${fmt(p.stackViolations)} stack diagnostic${p.stackViolations === 1 ? "" : "s"}) |`,
    `| In process, both resource policies | ${p.inProcessMicrosPerResource} µs per resource |`,
    "",
  );
  return lines.join("\n");
}

async function main() {
  if (process.env.BENCH_RENDER_ONLY) {
    // Rewrites docs/benchmarks.md from the last run's docs/benchmarks.json, without measuring again.
    const last = JSON.parse(readFileSync(join(root, "docs", "benchmarks.json"), "utf8")) as Parameters<typeof markdown>[0];
    writeFileSync(join(root, "docs", "benchmarks.md"), markdown(last));
    return;
  }
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
  console.table(cases.map((c) => ({ rows: c.rows, format: c.format, baselineMs: c.baseline.ms, complianceMs: c.compliance.ms, allocateMs: c.allocate.ms, reportMs: c.report.ms, reportX: c.report.ratioToBaseline, reportXScan: c.report.ratioToScan, reportRssMb: c.report.peakRssMb })));
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
