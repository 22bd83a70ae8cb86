// Running and measuring benchmarked commands as separate processes: wall time per run, peak RSS from the
// kernel's own accounting (rss.cjs), and a CPU profile summary for where the time goes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export interface Measured {
  /** Median wall time over the runs, ms. */
  ms: number;
  runsMs: number[];
  /** Peak RSS of the slowest-memory run, MiB. */
  peakRssMb: number;
  /** What the last run printed. */
  output: string;
}

/** Runs `node args` `runs` times as a child process; fails loudly when the command does. */
export function measureNode(args: string[], runs: number): Measured {
  const scratch = mkdtempSync(join(tmpdir(), "allot-bench-"));
  const rssFile = join(scratch, "rss");
  const runsMs: number[] = [];
  let peak = 0;
  let output = "";
  try {
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const child = spawnSync(process.execPath, ["--require", join(__dirname, "rss.cjs"), ...args], { env: { ...process.env, BENCH_RSS_FILE: rssFile, CI: "1" }, encoding: "utf8", maxBuffer: 1 << 28 });
      runsMs.push(Math.round(performance.now() - started));
      if (child.status !== 0) throw new Error(`node ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
      peak = Math.max(peak, Number(readFileSync(rssFile, "utf8")));
      output = child.stdout;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { ms: median(runsMs), runsMs, peakRssMb: Math.round(peak / 1024), output };
}

/** Runs any program `runs` times (wall time only; the program reports its own peak memory in its output). */
export function measureProcess(command: string[], runs: number): Measured {
  const runsMs: number[] = [];
  let output = "";
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const child = spawnSync(command[0]!, command.slice(1), { encoding: "utf8", maxBuffer: 1 << 28 });
    runsMs.push(Math.round(performance.now() - started));
    if (child.status !== 0) throw new Error(`${command.join(" ")} exited ${child.status}: ${child.stderr}`);
    output = child.stdout;
  }
  return { ms: median(runsMs), runsMs, peakRssMb: 0, output };
}

/**
 * Runs `node args` once under the V8 sampling profiler and sums self time per function on the main
 * thread. DuckDB works on its own threads, so time the main thread spends waiting on it shows as (idle).
 */
export function profileNode(args: string[]): { where: string; ms: number; pct: number }[] {
  const dir = mkdtempSync(join(tmpdir(), "allot-profile-"));
  try {
    const child = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", dir, ...args], { env: { ...process.env, CI: "1" }, encoding: "utf8", maxBuffer: 1 << 28 });
    if (child.status !== 0) throw new Error(`profiling node ${args.join(" ")} failed: ${child.stderr}`);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) return [];
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
      nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
      samples: number[];
      timeDeltas: number[];
    };
    const name = new Map(profile.nodes.map((n) => {
      const { functionName, url, lineNumber } = n.callFrame;
      const where = url ? `${functionName || "(anonymous)"} ${url.replace(/^file:\/\//, "").replace(/^.*\/(node_modules|dist)\//, "$1/")}:${lineNumber + 1}` : functionName;
      return [n.id, where];
    }));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const where = name.get(id) ?? "(unknown)";
      self.set(where, (self.get(where) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    return [...self].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([where, ms]) => ({ where, ms: Math.round(ms), pct: Number(((ms * 100) / total).toFixed(1)) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
