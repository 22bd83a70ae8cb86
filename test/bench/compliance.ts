// Benchmark of `allot compliance` against the floor for any tool on DuckDB: one bare GROUP BY over the
// same Parquet file and columns, in the same run. The sample (BENCH_ROWS rows in one month, default 10M)
// is generated once and cached in out/bench/. Writes out/bench/compliance.json.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCostModel } from "../../model";
import { measureCompliance } from "../../reports/compliance/compliance";
import { loadChargeGroups } from "../../reports/read/charges";
import { withDuckDB } from "../../reports/read/duckdb";
import { generateSample } from "../../reports/sample/generate";

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const RUNS = 3;
const root = join(__dirname, "..", "..");
const dir = join(root, "out", "bench", `sample-${ROWS}-1m`);
const file = join(dir, "focus", "2026-10.parquet");

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs `work` RUNS times, returning the median wall time and the peak RSS seen while it ran. */
async function measure(work: () => Promise<unknown>) {
  const times: number[] = [];
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  clearInterval(timer);
  return { ms: Math.round(median(times)), peakRssMb: Math.round(peak / 2 ** 20) };
}

async function main() {
  const modelFile = join(root, "allot.yaml");
  const model = loadCostModel(modelFile);
  if (!existsSync(join(dir, "truth.json"))) {
    console.log(`generating ${ROWS.toLocaleString("en-US")} rows in ${dir} (once) ...`);
    await generateSample({ out: dir, rows: ROWS, months: 1, endMonth: "2026-10", format: "parquet", seed: 42, model, modelFile });
  }
  const baseline = await measure(() =>
    withDuckDB((db) =>
      db.runAndReadAll(`SELECT BillingPeriodStart, BillingCurrency, ProviderName, SubAccountId, ServiceName, ChargeCategory, ResourceType, Tags, ResourceId,
          SUM(EffectiveCost), COUNT(*) FROM read_parquet('${file}') GROUP BY ALL`),
    ),
  );
  let percent = 0;
  const compliance = await measure(() =>
    withDuckDB(async (db) => {
      const groups = await loadChargeGroups(db, model, [file], { byResource: true });
      percent = (await measureCompliance(db, model, groups)).costCompliancePct;
    }),
  );
  const ratio = Number((compliance.ms / baseline.ms).toFixed(2));
  const results = {
    rows: ROWS,
    baselineMs: baseline.ms,
    complianceMs: compliance.ms,
    ratioToBaseline: ratio,
    rowsPerSecond: Math.round(ROWS / (compliance.ms / 1000)),
    peakRssMb: compliance.peakRssMb,
    costCompliancePct: percent,
    targetWithin2x: ratio <= 2,
  };
  console.table(results);
  console.log(ratio <= 2 ? "compliance is within 2x of the bare DuckDB GROUP BY: target met" : `compliance is ${ratio}x the bare GROUP BY: target MISSED`);
  mkdirSync(join(root, "out", "bench"), { recursive: true });
  writeFileSync(join(root, "out", "bench", "compliance.json"), `${JSON.stringify(results, null, 2)}\n`);
}

void main();
