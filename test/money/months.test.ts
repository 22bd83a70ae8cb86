// Months: without --month, the latest month with substantial data, said on stderr with the reason; a
// warning when the month is much smaller than the month before.
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { chooseMonth } from "../../reports/read/charges";
import { allot, tempDir } from "../helpers";
import { sum, writeFocus, writeOrg, type BillRow } from "./bills";

function strayBill() {
  const dir = tempDir();
  const rows: BillRow[] = [
    ...Array.from({ length: 50 }, (_, i): BillRow => ({ cost: "0.41", month: "2026-09", day: String((i % 28) + 1).padStart(2, "0"), tags: { team: i % 2 ? "a" : "b" }, resource: `r${i}` })),
    { cost: "0.24", month: "2026-10", tags: { team: "a" }, resource: "stray" },
  ];
  return { rows, bill: writeFocus(dir, "bill.csv", rows), config: writeOrg(dir, "") };
}

describe("the month reported", () => {
  it("a stray $0.24 row in a later month does not make that month the report's, and stderr says why", () => {
    const { rows, bill, config } = strayBill();
    const run = allot(["allocate", "--config", config, "--input", bill, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const s = JSON.parse(run.stdout) as { month: string; totalCost: string };
    expect(s.month).toBe("2026-09");
    expect(s.totalCost).toBe(sum(rows.filter((r) => r.month === "2026-09").map((r) => r.cost)).toFixed());
    expect(run.stderr).toContain("allot: reporting 2026-09, the latest month with substantial data");
    expect(run.stderr).toContain("2026-10 (1 row, 0.24)");
  });

  it("must fail: asking for the stray month reports it, with a warning that it is much smaller", () => {
    const { bill, config } = strayBill();
    const run = allot(["allocate", "--config", config, "--input", bill, "--json", "--month", "2026-10"]);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { month: string }).month).toBe("2026-10");
    expect(run.stderr).toMatch(/^allot: warning: 2026-10 \(1 row, 0\.24\) is much smaller than the month before, 2026-09 \(50 rows, 20\.50\)/);
  });

  it("the latest month when it is substantial, said so", () => {
    const size = (month: string, rows: number, cost: string) => ({ month, rows, cost: new Decimal(cost) });
    expect(chooseMonth([size("2026-09", 100, "50"), size("2026-10", 90, "45")], "USD")).toEqual({ month: "2026-10", reason: "reporting 2026-10, the latest month in the input; pass --month to choose another", warnings: [] });
    expect(chooseMonth([size("2026-09", 100, "50"), size("2026-10", 9, "45")], "USD").month).toBe("2026-09");
    expect(chooseMonth([size("2026-09", 100, "50"), size("2026-10", 9, "45")], "USD", "2026-10").reason).toBeNull();
  });
});
