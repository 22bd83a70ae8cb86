// `npm run bench`: allot against honest floors on its own engine. Three parts, each optional (BENCH_PARTS,
// default all of sizes,cardinality,foreign,policy):
// - sizes: the sample's month at BENCH_SIZES rows (default 100k, 1M, 10M) as Parquet and CSV;
// - cardinality: the 1M-row month with 300,000 and 1,000,000 distinct tag sets (a Name tag per resource);
// - foreign: a 1M-row CSV shaped like the real FOCUS 1.0 sample (its 44 columns, JSON tags, quirks), with
//   allot compliance against a pandas script doing the same compliance (python3-pandas from Debian,
//   installed when missing, skipped with a notice when it cannot be).
// Every allot command runs as its own process (median wall time of BENCH_RUNS runs, peak RSS) next to two
// floors over the same file: the plain scan (one pass summing the cost) and a bare DuckDB GROUP BY at
// tag-set x day grain (what a report's daily series by tags needs, and no more). Money is checked: allocate's
// total must equal the input's, to the last digit, and pandas must agree with allot on compliant cost.
// Writes docs/benchmarks.md and docs/benchmarks.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import Decimal from "decimal.js";
import { loadCostModel } from "../../model";
import { withDuckDB } from "../../reports/read/duckdb";
import { generateSample } from "../../reports/sample/generate";
import { SAMPLE_VERSION } from "../../reports/sample/truth";
import { measureNode, measureProcess, profileNode, type Measured } from "./measure";
import { benchPolicyPack } from "./policy-pack";
import { readCsv } from "../money/bills";
import { foreignCsv, withDistinctTagSets } from "./shapes";

const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "allot.js");
const SIZES = (process.env.BENCH_SIZES ?? "100000,1000000,10000000").split(",").map(Number);
/** Size:format pairs to leave out, e.g. 10000000:csv (a 7.4 GiB file); said in the results. */
const SKIP = new Set((process.env.BENCH_SKIP ?? "").split(",").filter(Boolean));
const PARTS = new Set((process.env.BENCH_PARTS ?? "sizes,cardinality,foreign,policy").split(","));
const FORMATS = ["parquet", "csv"] as const;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MONTH = "2026-10";
const TARGETS = { reportAt10M: 2, reportAnyCardinality: 3, peakRssMb: 2048, fasterThanPandas: 5, pandasMemoryShare: 1 / 3 };

type Format = "parquet" | "csv";
interface Stage extends Omit<Measured, "output"> {
  rowsPerSecond: number;
  /** Against the GROUP BY at tag-set x day grain over the same file. */
  ratioToGroupBy: number;
  ratioToScan: number;
}
interface Case {
  /** What the input is: the sample at a size, the sample with many tag sets, or the foreign CSV. */
  kind: "sample" | "tag sets" | "foreign";
  rows: number;
  format: Format;
  inputMb: number;
  tagSets: number;
  groupBy: Stage;
  groupByGroups: number;
  scan: Stage;
  commands: Record<string, Stage>;
  /** Money and agreement checks, each a sentence; `ok` false when one failed. */
  checks: { what: string; ok: boolean }[];
  pandas?: Stage & { agrees: boolean };
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

const scanOf = (glob: string, format: Format) => (format === "parquet" ? `read_parquet('${glob}')` : `read_csv('${glob}', header = true, all_varchar = true)`);
// CSV is read as text, as allot reads it: type sniffing guesses wrong on real exports, so the floors cast only what they sum.
const costOf = (format: Format) => (format === "parquet" ? "EffectiveCost" : "CAST(EffectiveCost AS DOUBLE)");

/**
 * The floor for the report's grain: one GROUP BY day and tag text, summing cost; only the count and total
 * come back. The day is taken the fastest way we know, as allot takes it: the plain CAST of a Parquet
 * TIMESTAMPTZ to DATE asks the time zone library for every row, 0.7 s of a 10M-row month, which would
 * flatter every ratio.
 */
const groupBySql = (glob: string, format: Format) => {
  const day = format === "parquet" ? "CAST(make_timestamp(epoch_us(ChargePeriodStart)) AS DATE)" : "left(ChargePeriodStart, 10)";
  return `SELECT COUNT(*) AS groups, SUM(cost) AS cost FROM (SELECT ${day} AS day, Tags, SUM(${costOf(format)}) AS cost FROM ${scanOf(glob, format)} GROUP BY ALL)`;
};

/** The read floor: one pass summing the cost column, no grouping. */
const scanSql = (glob: string, format: Format) => `SELECT COUNT(*) AS n, SUM(${costOf(format)}) AS cost FROM ${scanOf(glob, format)}`;

const inputSize = (files: string[]) => Math.round(files.reduce((n, f) => n + statSync(f).size, 0) / 2 ** 20);

/** Measures the floors and the commands on one input; commands are [name, args] run by node. */
async function measureCase(label: string, base: Omit<Case, "groupBy" | "groupByGroups" | "scan" | "commands" | "checks">, glob: string, commands: [string, string[]][]): Promise<Case> {
  const measured = new Map<string, Measured>();
  const run = (name: string, args: string[]) => {
    process.stdout.write(`  ${label} ${name} ...`);
    const m = measureNode(args, RUNS);
    process.stdout.write(` ${m.ms} ms, ${m.peakRssMb} MiB\n`);
    measured.set(name, m);
    return m;
  };
  const groupBy = run("group by", [join(__dirname, "baseline.cjs"), groupBySql(glob, base.format)]);
  const scan = run("scan", [join(__dirname, "baseline.cjs"), scanSql(glob, base.format)]);
  for (const [name, args] of commands) run(name, args);
  const stage = ({ output: _, ...m }: Measured): Stage => ({
    ...m,
    rowsPerSecond: Math.round(base.rows / (m.ms / 1000)),
    ratioToGroupBy: Number((m.ms / groupBy.ms).toFixed(2)),
    ratioToScan: Number((m.ms / scan.ms).toFixed(2)),
  });
  return {
    ...base,
    groupBy: stage(groupBy),
    groupByGroups: Number((JSON.parse(groupBy.output) as [string, number])[0]),
    scan: stage(scan),
    commands: Object.fromEntries(commands.map(([name]) => [name, stage(measured.get(name)!)])),
    checks: [],
    ...({ outputs: Object.fromEntries(commands.map(([name]) => [name, measured.get(name)!.output])) } as object),
  };
}

const outputsOf = (c: Case) => (c as unknown as { outputs: Record<string, string> }).outputs;
const dropOutputs = (c: Case): Case => {
  const { outputs: _, ...rest } = c as Case & { outputs?: unknown };
  return rest;
};

/** The sample's allot.yaml with one more shared pool, matched on resource ids: every RDS database, split evenly. */
function resourceRuleConfig(dir: string): string {
  const file = join(dir, "allot-resource-rule.yaml");
  const yaml = readFileSync(join(dir, "allot.yaml"), "utf8");
  const rule = "    - name: shared-databases\n      stage: 1\n      match: { resourceId: \"arn:aws:rds:*\" }\n      method: even\n";
  const at = yaml.indexOf("    - name: taxes-and-support\n");
  if (at < 0) throw new Error(`${join(dir, "allot.yaml")}: no rule taxes-and-support to put the resource id rule before`);
  writeFileSync(file, yaml.slice(0, at) + rule + yaml.slice(at));
  return file;
}

/** The three commands on one bill, with the sample's side inputs, and allocate with a rule on resource ids. */
function sampleCommands(dir: string, input: string, out: string): [string, string[]][] {
  const common = ["--config", join(dir, "allot.yaml"), "--input", input, "--month", MONTH];
  const usage = ["--metrics", join(dir, "metrics.csv"), "--metering", join(dir, "metering.csv"), "--k8s", join(dir, "opencost", "*.json")];
  return [
    ["allot compliance", [cli, "compliance", ...common, "--json", "--quiet"]],
    ["allot allocate", [cli, "allocate", ...common, ...usage, "--json"]],
    ["allot report", [cli, "report", ...common, ...usage, "--out", out, "--quiet"]],
    [RESOURCE_RULE, [cli, "allocate", "--config", resourceRuleConfig(dir), ...common.slice(2), ...usage, "--json"]],
  ];
}

const RESOURCE_RULE = "allot allocate, a rule on resource ids";

/** allocate --json's totalCost (with and without the resource id rule) must be the sample's own total for the month, to the last digit. */
function conservationChecks(c: Case, truthTotal: Decimal): { what: string; ok: boolean }[] {
  return ["allot allocate", RESOURCE_RULE].map((command) => {
    const total = new Decimal((JSON.parse(outputsOf(c)[command]!) as { totalCost: string }).totalCost);
    const ok = total.equals(truthTotal);
    return { what: `${command === RESOURCE_RULE ? "allocate's total with a rule on resource ids" : "allocate's total"} ${total.toFixed()} ${ok ? "equals" : "DIFFERS FROM"} the input's ${truthTotal.toFixed()}`, ok };
  });
}

async function sampleCase(rows: number, format: Format): Promise<Case> {
  const dir = await sample(rows, format);
  const glob = join(dir, "focus", format === "parquet" ? "*.parquet" : "*.csv");
  const focus = join(dir, "focus");
  const files = readdirSync(focus).filter((f) => f.endsWith(`.${format}`)).map((f) => join(focus, f));
  const out = mkdtempSync(join(tmpdir(), "allot-bench-report-"));
  const truth = JSON.parse(readFileSync(join(dir, "truth.json"), "utf8")) as { months: Record<string, { EffectiveCost: string }> };
  const c = await measureCase(`${rows.toLocaleString("en-US")} ${format}`, { kind: "sample", rows, format, inputMb: inputSize(files), tagSets: 0 }, glob, sampleCommands(dir, glob, out));
  c.checks.push(...conservationChecks(c, new Decimal(truth.months[MONTH]!.EffectiveCost)));
  if (rows >= 10_000_000 && format === "parquet" && c.commands["allot report"]!.ratioToGroupBy > TARGETS.reportAt10M) {
    console.log(`  target missed: profiling allot report on ${rows} ${format} rows ...`);
    c.profile = profileNode(sampleCommands(dir, glob, out)[2]![1]);
  }
  rmSync(out, { recursive: true, force: true });
  return dropOutputs(c);
}

async function cardinalityCases(): Promise<Case[]> {
  const rows = 1_000_000;
  const dir = await sample(rows, "parquet");
  const truth = JSON.parse(readFileSync(join(dir, "truth.json"), "utf8")) as { months: Record<string, { EffectiveCost: string }> };
  const cases: Case[] = [];
  for (const distinct of [300_000, 1_000_000]) {
    const { file, tagSets } = await withDistinctTagSets(join(dir, "focus", "*.parquet"), join(root, "out", "bench"), distinct);
    const out = mkdtempSync(join(tmpdir(), "allot-bench-report-"));
    const c = await measureCase(`${rows.toLocaleString("en-US")} parquet, ${tagSets.toLocaleString("en-US")} tag sets`, { kind: "tag sets", rows, format: "parquet", inputMb: inputSize([file]), tagSets }, file, sampleCommands(dir, file, out));
    c.checks.push(...conservationChecks(c, new Decimal(truth.months[MONTH]!.EffectiveCost)));
    rmSync(out, { recursive: true, force: true });
    cases.push(dropOutputs(c));
  }
  return cases;
}

/** python3 with pandas: found, installed from Debian when apt-get can, or null with the reason. */
function pandas(): { python: string } | { skipped: string } {
  // Debian's python3-pandas is for Debian's python3, which a pyenv or venv python3 on PATH may shadow.
  const candidates = ["python3", "/usr/bin/python3"];
  const found = () => candidates.find((python) => spawnSync(python, ["-c", "import pandas"], { encoding: "utf8" }).status === 0);
  const has = () => found() !== undefined;
  if (has()) return { python: found()! };
  console.log("  python3-pandas is missing: installing it with apt-get (Debian) ...");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo", "-n"];
  const install = spawnSync(sudo[0] ?? "apt-get", [...sudo.slice(1), ...(sudo.length ? ["apt-get"] : []), "install", "-y", "--no-install-recommends", "python3-pandas"], { encoding: "utf8" });
  if (install.status === 0 && has()) return { python: found()! };
  return { skipped: `python3-pandas is not installed and apt-get could not install it (${(install.stderr || install.error?.message || "").split("\n").filter(Boolean).pop() ?? "no output"})` };
}

async function foreignCase(): Promise<{ case: Case; pandasSkipped?: string }> {
  const copies = Number(process.env.BENCH_FOREIGN_COPIES ?? 1000);
  const sampleCsv = join(root, "..", "shared", "data", "focus-1.0-sample", "focus_sample.csv");
  const file = await foreignCsv(sampleCsv, join(root, "out", "bench"), copies);
  const config = join(__dirname, "foreign", "allot.yaml");
  const month = "2024-09";
  const rows = copies * 1000;
  const tagSets = await withDuckDB(async (db) => Number((await db.runAndReadAll(`SELECT COUNT(DISTINCT Tags) AS n FROM read_csv('${file}', header = true, all_varchar = true)`)).getRowObjectsJS()[0]!.n));
  const c = await measureCase(`foreign ${rows.toLocaleString("en-US")} csv`, { kind: "foreign", rows, format: "csv", inputMb: inputSize([file]), tagSets }, file, [
    ["allot compliance", [cli, "compliance", "--config", config, "--input", file, "--month", month, "--json", "--quiet"]],
  ]);
  const allot = JSON.parse(outputsOf(c)["allot compliance"]!) as { usageCost: string; compliantCost: string; resources: { total: number; compliant: number } };
  const found = pandas();
  if ("skipped" in found) {
    console.log(`  pandas skipped: ${found.skipped}`);
    return { case: dropOutputs(c), pandasSkipped: found.skipped };
  }
  process.stdout.write("  pandas compliance ...");
  const m = measureProcess([found.python, join(__dirname, "foreign", "compliance.py"), file, month], RUNS);
  const result = JSON.parse(m.output) as { usageCost: number; compliantCost: number; resources: { total: number; compliant: number }; peakRssKib: number };
  const peakRssMb = Math.round(result.peakRssKib / 1024);
  process.stdout.write(` ${m.ms} ms, ${peakRssMb} MiB\n`);
  // pandas sums floats: agreement is to the cent, where allot's figures are exact.
  const agrees = Math.abs(result.compliantCost - Number(allot.compliantCost)) < 0.01 && Math.abs(result.usageCost - Number(allot.usageCost)) < 0.01
    && result.resources.total === allot.resources.total && result.resources.compliant === allot.resources.compliant;
  c.checks.push({
    what: `pandas's compliant cost ${result.compliantCost.toFixed(2)} of ${result.usageCost.toFixed(2)} and ${fmt(result.resources.compliant)} of ${fmt(result.resources.total)} resources ${agrees ? "agree with" : "DISAGREE WITH"} allot's ${new Decimal(allot.compliantCost).toFixed(2)} of ${new Decimal(allot.usageCost).toFixed(2)} and ${fmt(allot.resources.compliant)} of ${fmt(allot.resources.total)}`,
    ok: agrees,
  });
  // The month's usage in the real sample, summed with Decimal from its raw rows (no allot code): the copies hold it `copies` times.
  const own = readCsv(readFileSync(sampleCsv, "utf8"))
    .filter((r) => r.BillingPeriodStart!.startsWith(month) && r.ChargeCategory!.toLowerCase() === "usage" && !["", "NULL"].includes(r.EffectiveCost!))
    .reduce((total, r) => total.plus(r.EffectiveCost!), new Decimal(0));
  const copiesOk = new Decimal(allot.usageCost).equals(own.times(copies));
  c.checks.push({ what: `allot's usage total ${new Decimal(allot.usageCost).toFixed()} ${copiesOk ? "is" : "IS NOT"} ${copies} times the sample's own ${own.toFixed()}, summed from its raw rows`, ok: copiesOk });
  c.pandas = {
    ms: m.ms, runsMs: m.runsMs, peakRssMb, agrees,
    rowsPerSecond: Math.round(rows / (m.ms / 1000)), ratioToGroupBy: Number((m.ms / c.groupBy.ms).toFixed(2)), ratioToScan: Number((m.ms / c.scan.ms).toFixed(2)),
  };
  return { case: dropOutputs(c) };
}

async function machine() {
  const duckdb = await withDuckDB(async (db) => String((await db.runAndReadAll("SELECT version() AS v")).getRowObjectsJS()[0]!.v));
  const found = pandas();
  const python = spawnSync("python" in found ? found.python : "python3", ["-c", "import pandas, sys; print(sys.version.split()[0], pandas.__version__)"], { encoding: "utf8" });
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown", cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, duckdb, platform: `${process.platform} ${process.arch}`,
    pandas: python.status === 0 ? python.stdout.trim() : null,
  };
}

const fmt = (n: number) => n.toLocaleString("en-US");
const secs = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
type Results = { machine: Awaited<ReturnType<typeof machine>>; runs: number; cases: Case[]; skipped?: string[]; pandasSkipped?: string; policyPack?: Awaited<ReturnType<typeof benchPolicyPack>> };

function table(cases: Case[]): string[] {
  const lines = ["| Input | Rows | Tag sets | Size | Command | Time (s) | Rows/s | Peak RSS (MiB) | × GROUP BY | × scan |", "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|"];
  for (const c of cases) {
    const input = c.kind === "sample" ? `sample, ${c.format}` : c.kind === "tag sets" ? `sample + Name tags, ${c.format}` : "FOCUS 1.0 sample shape, csv";
    const rows: [string, Stage][] = [["DuckDB scan", c.scan], [`DuckDB GROUP BY tag set × day (${fmt(c.groupByGroups)} groups)`, c.groupBy], ...Object.entries(c.commands), ...(c.pandas ? [["pandas compliance (Python)", c.pandas] as [string, Stage]] : [])];
    for (const [name, s] of rows) {
      lines.push(`| ${input} | ${fmt(c.rows)} | ${c.tagSets ? fmt(c.tagSets) : ""} | ${fmt(c.inputMb)} MiB | ${name} | ${secs(s.ms)} | ${fmt(s.rowsPerSecond)} | ${fmt(s.peakRssMb)} | ${s.ratioToGroupBy.toFixed(2)} | ${s.ratioToScan.toFixed(2)} |`);
    }
  }
  return lines;
}

/** Each target with its measured figure: met or missed, never left out. */
function targets(r: Results): string[] {
  const lines: string[] = [];
  const verdict = (ok: boolean) => (ok ? "**met**" : "**missed**");
  for (const c of r.cases.filter((x) => x.kind === "sample" && x.rows >= 10_000_000 && x.format === "parquet")) {
    const s = c.commands["allot report"]!;
    lines.push(`- \`allot report\` on ${fmt(c.rows)} Parquet rows within ${TARGETS.reportAt10M}x the tag-set × day GROUP BY: ${s.ratioToGroupBy.toFixed(2)}x, ${verdict(s.ratioToGroupBy <= TARGETS.reportAt10M)}.`);
  }
  const cardinality = r.cases.filter((x) => x.kind === "tag sets");
  for (const c of cardinality) {
    const worst = Object.entries(c.commands).sort((a, b) => b[1].ratioToGroupBy - a[1].ratioToGroupBy)[0]!;
    const peak = Math.max(...Object.values(c.commands).map((s) => s.peakRssMb));
    lines.push(`- ${fmt(c.tagSets)} distinct tag sets: every command ran, ${c.checks.every((k) => k.ok) ? "conserving the bill exactly" : "**not conserving the bill**"}; peak ${fmt(peak)} MiB, under ${fmt(TARGETS.peakRssMb)} MiB ${verdict(peak < TARGETS.peakRssMb)}; \`allot report\` ${c.commands["allot report"]!.ratioToGroupBy.toFixed(2)}x the GROUP BY, within ${TARGETS.reportAnyCardinality}x ${verdict(c.commands["allot report"]!.ratioToGroupBy <= TARGETS.reportAnyCardinality)} (slowest: ${worst[0]}, ${worst[1].ratioToGroupBy.toFixed(2)}x).`);
  }
  for (const c of r.cases.filter((x) => x.kind === "foreign")) {
    const a = c.commands["allot compliance"]!;
    if (!c.pandas) {
      lines.push(`- \`allot compliance\` against pandas on the ${fmt(c.rows)}-row CSV: not measured (${r.pandasSkipped ?? "pandas skipped"}).`);
      continue;
    }
    const speedup = c.pandas.ms / a.ms;
    const share = a.peakRssMb / c.pandas.peakRssMb;
    lines.push(`- \`allot compliance\` on the ${fmt(c.rows)}-row CSV at least ${TARGETS.fasterThanPandas}x faster than pandas: ${speedup.toFixed(1)}x, ${verdict(speedup >= TARGETS.fasterThanPandas)}; at most a third of its peak memory: ${Math.round(share * 100)}% (${fmt(a.peakRssMb)} vs ${fmt(c.pandas.peakRssMb)} MiB), ${verdict(share <= TARGETS.pandasMemoryShare)}.`);
  }
  for (const c of r.cases) for (const k of c.checks.filter((x) => !x.ok)) lines.push(`- Check failed on ${c.kind} ${fmt(c.rows)} ${c.format}: ${k.what}.`);
  return lines;
}

function markdown(r: Results): string {
  const { machine: m, cases, policyPack: p } = r;
  const lines = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (test/bench/run.ts); the numbers below are from its last run, and",
    "[benchmarks.json](benchmarks.json) has them all, with every run's time.",
    "",
    `**Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GiB; Node ${m.node}; DuckDB ${m.duckdb}; ${m.platform}${m.pandas ? `; Python and pandas ${m.pandas}` : ""}.`,
    "",
    `Each command runs as its own process, ${r.runs} times; the time is the median wall time, start-up included, and memory`,
    "is the peak RSS the kernel counted for the process, DuckDB's memory included. allot's DuckDB runs with its",
    "default settings: a 1 GB memory limit (ALLOT_MEMORY_LIMIT; it spills what it can to disk beyond) and every core (ALLOT_THREADS).",
    "",
    "**Floors**, over the same file, each a bare DuckDB query whose result stays in DuckDB but for a count and a total:",
    "- **scan**: one pass summing the cost column: the read floor.",
    "- **GROUP BY tag set × day**: cost summed by day and tag text: the finest grain a report needs (its daily series",
    "  by team and service come from the tags), with no validation, no exact decimals and no output. The ratio to it",
    "  is the one the targets use. (An earlier version compared with a resource × day GROUP BY, whose millions of",
    "  groups made allot look as fast as its floor; that comparison is gone.) The day is taken from the start's epoch",
    "  microseconds, as allot takes it: DuckDB's plain cast of a Parquet TIMESTAMPTZ to DATE asks the time zone library",
    "  for every row (0.7 s of 10M rows), which would make the floor slower than it needs to be.",
    "",
    "**Inputs:**",
    `- *sample*: \`allot sample\` for one month (${MONTH}), seed 42, with its metrics, AI usage log and OpenCost data.`,
    `  *${RESOURCE_RULE}* runs allocate under the sample's allot.yaml with one more shared pool, \`match: { resourceId: "arn:aws:rds:*" }\`: such a rule once grouped the bill by resource (47 s on 10M rows); the scan now tests the glob on each charge.`,
    "- *sample + Name tags*: the 1M-row sample month with a Name tag added so the bill has 300,000 or 1,000,000",
    "  distinct tag sets (as real AWS accounts do); amounts unchanged, so allocate's total must equal the sample's.",
    "- *FOCUS 1.0 sample shape*: the real FOCUS 1.0 sample's 1,000 rows (44 columns, JSON tags, `NULL` texts, a key",
    "  with a leading space) copied to 1M rows, each copy with its own ResourceId and Name tag, judged against",
    "  [test/bench/foreign/allot.yaml](../test/bench/foreign/allot.yaml), an org written for that data; the pandas",
    "  script [test/bench/foreign/compliance.py](../test/bench/foreign/compliance.py) applies the same standard the way",
    "  a careful analyst would (needed columns only, cost summed per distinct tag text before parsing it) and, like",
    "  allot, counts compliant resources and ranks the costliest untagged; the bench checks that both agree on compliant cost and compliant resources (the ranking is not compared).",
    "",
    ...table(cases),
    ...(r.skipped?.length ? ["", `Not run this time (BENCH_SKIP): ${r.skipped.map((k) => k.replace(":", " rows as ")).join(", ")}.`] : []),
    "",
    "## Targets",
    "",
    ...targets(r),
    "",
    "## Checks",
    "",
    ...cases.flatMap((c) => c.checks.map((k) => `- ${c.kind} ${fmt(c.rows)} ${c.format}${c.tagSets ? ` (${fmt(c.tagSets)} tag sets)` : ""}: ${k.what}.`)),
  ];
  for (const c of cases.filter((x) => x.profile)) {
    lines.push("", `Where \`allot report\` spends its time on ${fmt(c.rows)} ${c.format} rows (self time on the main thread; (idle) is waiting for DuckDB's threads):`, "", "| Function | ms | % |", "|---|---:|---:|");
    for (const f of c.profile!) lines.push(`| \`${f.where.replace(/\|/g, "\\|")}\` | ${fmt(f.ms)} | ${f.pct} |`);
  }
  if (p) {
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
    );
  }
  return `${lines.join("\n")}\n`;
}

async function main() {
  const jsonFile = join(root, "docs", "benchmarks.json");
  if (process.env.BENCH_RENDER_ONLY) {
    // Rewrites docs/benchmarks.md from the last run's docs/benchmarks.json, without measuring again.
    writeFileSync(join(root, "docs", "benchmarks.md"), markdown(JSON.parse(readFileSync(jsonFile, "utf8")) as Results));
    return;
  }
  const info = await machine();
  console.log(`machine: ${info.cpu}, ${info.cores} cores, ${info.memoryGb} GiB, Node ${info.node}, DuckDB ${info.duckdb}`);
  mkdirSync(join(root, "out", "bench"), { recursive: true });
  const results: Results = { machine: info, runs: RUNS, cases: [] };
  if (PARTS.has("sizes")) {
    for (const rows of SIZES) {
      for (const format of FORMATS) {
        if (SKIP.has(`${rows}:${format}`)) results.skipped = [...(results.skipped ?? []), `${rows}:${format}`];
        else results.cases.push(await sampleCase(rows, format));
      }
    }
  }
  if (PARTS.has("cardinality")) results.cases.push(...(await cardinalityCases()));
  if (PARTS.has("foreign")) {
    const foreign = await foreignCase();
    results.cases.push(foreign.case);
    if (foreign.pandasSkipped) results.pandasSkipped = foreign.pandasSkipped;
  }
  if (PARTS.has("policy")) {
    console.log("  policy pack over gRPC ...");
    results.policyPack = await benchPolicyPack();
  }
  writeFileSync(jsonFile, `${JSON.stringify({ ...results, month: MONTH, targets: TARGETS }, null, 2)}\n`);
  writeFileSync(join(root, "docs", "benchmarks.md"), markdown(results));
  console.log(targets(results).join("\n"));
  console.log("wrote docs/benchmarks.md and docs/benchmarks.json");
  if (results.cases.some((c) => c.checks.some((k) => !k.ok))) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
