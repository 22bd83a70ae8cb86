// A progress bar with rows/s on stderr while DuckDB reads, only for a person at a terminal: never in CI,
// in a pipe, or with --quiet.
import { SingleBar } from "cli-progress";
import type { LoadOptions } from "../read/charges";

export function progressReporter(quiet: boolean): { onProgress?: LoadOptions["onProgress"]; stop(): void } {
  if (quiet || !process.stderr.isTTY || process.env.CI) return { stop: () => undefined };
  const bar = new SingleBar({ format: "reading {bar} {percentage}% | {rows} rows | {rate} rows/s", stream: process.stderr, hideCursor: true, clearOnComplete: true });
  const started = Date.now();
  let running = false;
  return {
    onProgress: ({ percentage, rowsProcessed }) => {
      const rows = Number(rowsProcessed);
      const payload = { rows: rows.toLocaleString("en-US"), rate: Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000)).toLocaleString("en-US") };
      if (!running) {
        bar.start(100, 0, payload);
        running = true;
      }
      bar.update(Math.round(percentage), payload);
    },
    stop: () => {
      if (running) bar.stop();
    },
  };
}
