// One decision for every percentage: null of nothing, rounded half up otherwise; budget use through it.
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { budgetUse, changePercent, percentOf } from "../../model";

const d = (v: string) => new Decimal(v);
const alerts = { budgetAlerts: [] };

describe("percentages", () => {
  it("of nothing is null, never 0 or 100", () => {
    expect(percentOf(d("0"), d("0"), 1)).toBeNull();
    expect(percentOf(d("5"), d("0"), 2)).toBeNull();
    expect(changePercent(d("10"), d("0"), 1)).toBeNull();
    expect(changePercent(d("10"), undefined, 1)).toBeNull();
  });

  it("must fail: of something, rounded half up, recomputed", () => {
    expect(percentOf(d("1"), d("3"), 2)).toBe(33.33);
    expect(percentOf(d("1"), d("8"), 1)).toBe(12.5);
    expect(percentOf(d("0.00125"), d("1"), 2)).toBe(0.13);
    expect(percentOf(d("0"), d("7"), 1)).toBe(0);
    // Change against the size of the month before, so a negative one still reads as growth.
    expect(changePercent(d("-5"), d("-10"), 1)).toBe(50);
  });

  it("budget use: percent and status from one function; a zero budget is spent by any cost", () => {
    expect(budgetUse(alerts, d("85"), d("100"))).toEqual({ usedPct: d("85"), status: "at risk" });
    expect(budgetUse(alerts, d("101"), d("100")).status).toBe("over");
    expect(budgetUse(alerts, d("1"), d("0"))).toEqual({ usedPct: null, status: "over" });
    expect(budgetUse(alerts, d("0"), d("0"))).toEqual({ usedPct: null, status: "under" });
  });
});
