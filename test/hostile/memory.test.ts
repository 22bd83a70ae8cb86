// DuckDB's memory limit and threads come from ALLOT_MEMORY_LIMIT and ALLOT_THREADS: a bad value is one
// line naming the variable; running out of the limit is one line saying what to raise, never a stack trace
// or a "truncated file"; a workable limit gives the same figures.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root, tempDir } from "../helpers";
import { sum, writeFocus, writeOrg, type BillRow } from "../money/bills";

const ROWS: BillRow[] = Array.from({ length: 40 }, (_, i) => ({ cost: `${i}.25`, resource: `r${i}`, tags: { team: i % 2 ? "a" : "b" } }));

function run(env: Record<string, string>) {
  const dir = tempDir();
  const result = spawnSync(process.execPath, [join(root, "dist", "allot.js"), "allocate", "--config", writeOrg(dir, ""), "--input", writeFocus(dir, "bill.csv", ROWS), "--json"], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("DuckDB's memory limit and threads", () => {
  it("a workable limit and thread count give the bill's figures", () => {
    const result = run({ ALLOT_MEMORY_LIMIT: "256MB", ALLOT_THREADS: "1" });
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { totalCost: string }).totalCost).toBe(sum(ROWS.map((r) => r.cost)).toFixed());
  });

  it("must fail: a limit DuckDB cannot work in is one line saying what to raise", () => {
    const result = run({ ALLOT_MEMORY_LIMIT: "1MB" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^allot: DuckDB needs more than its memory limit of 1MB.*raise ALLOT_MEMORY_LIMIT/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toMatch(/truncated|internal error|at .*\.js/);
  });

  it("must fail: values that are not a size or a thread count are named", () => {
    expect(run({ ALLOT_MEMORY_LIMIT: "lots" }).stderr).toBe("allot: ALLOT_MEMORY_LIMIT=lots: expected a size such as 1GB or 512MB\n");
    expect(run({ ALLOT_THREADS: "0" }).stderr).toBe("allot: ALLOT_THREADS=0: expected a whole number of threads, 1 or more\n");
  });
});
