// Preloaded (node --require) into each benchmarked process: on exit, writes the process's peak resident
// set size in KiB (DuckDB's native memory included) to the file named by BENCH_RSS_FILE.
process.on("exit", () => require("node:fs").writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
