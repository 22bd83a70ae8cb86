import { describe, expect, it } from "vitest";
import { findAnomalies, forecastMonthEnd, forecastNext, jumpsFromNothing, mad, median } from "../../reports/report/insights";

describe("robust statistics", () => {
  it("median and scaled MAD", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBeCloseTo(1.4826, 6);
  });
});

describe("anomalies", () => {
  const steady = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100, 102, 98];

  it("flags a jump far above the median of the days before, with its size", () => {
    const found = findAnomalies([...steady, 600, 101]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ index: 14, value: 600, baseline: 100, jump: 500 });
    // Absolute deviations from 100 have median 1, so sigma is 1.4826 and the jump is 337 robust sigmas.
    expect(found[0]!.score).toBeCloseTo(500 / 1.4826, 6);
  });

  it("does not flag ordinary noise, small jumps, or drops", () => {
    expect(findAnomalies([...steady, 104, 95, 110])).toEqual([]);
    expect(findAnomalies([...steady, 120], 0, { window: 14, threshold: 4, minimumJump: 25, minimumHistory: 7 })).toEqual([]);
    expect(findAnomalies([...steady, 0])).toEqual([]);
  });

  it("judges a day only with seven known days before it and a baseline above zero", () => {
    // Data known from index 14 on: a spike on its third day (16) has two days of history and is not judged.
    const series = [...Array(16).fill(100), 900, ...Array(6).fill(100)] as number[];
    expect(findAnomalies(series, 14, undefined, 14)).toEqual([]);
    // must fail: with the days before known, the same spike is flagged; and so is a spike with 7 known days before it.
    expect(findAnomalies(series, 14).map((a) => a.index)).toEqual([16]);
    expect(findAnomalies([...series, 900], 14, undefined, 14).map((a) => a.index)).toEqual([23]);
    // A jump from a $0 median has nothing to be measured against: not judged, but named.
    expect(findAnomalies([...Array(10).fill(0), 500])).toEqual([]);
    expect(jumpsFromNothing([...Array(10).fill(0), 500, 20])).toEqual([10]);
    expect(jumpsFromNothing([...Array(10).fill(1), 500])).toEqual([]);
    expect(findAnomalies([...Array(10).fill(1), 500]).map((a) => a.index)).toEqual([10]);
  });

  it("flags any jump above the minimum over a flat baseline, and judges only from the given day", () => {
    const flat = Array(10).fill(50) as number[];
    expect(findAnomalies([...flat, 80]).map((a) => a.score)).toEqual([Infinity]);
    expect(findAnomalies([...flat, 80, 50], 11)).toEqual([]);
  });
});

describe("forecasts", () => {
  it("a perfect line forecasts its next point with no spread", () => {
    expect(forecastNext([10, 20, 30, 40])).toEqual({ value: 50, low: 50, high: 50 });
  });

  it("a noisy line gets a least-squares forecast and a t-based 95% interval", () => {
    // y = 10, 12, 11, 15 -> slope 1.4, intercept 9.9; next (x=4) = 15.5; residuals 0.1, 0.7, -1.7, 0.9 -> SE sqrt(4.2/2).
    const f = forecastNext([10, 12, 11, 15])!;
    expect(f.value).toBeCloseTo(15.5, 9);
    const spread = 4.303 * Math.sqrt(4.2 / 2) * Math.sqrt(1 + 1 / 4 + (4 - 1.5) ** 2 / 5);
    expect(f.high! - f.value).toBeCloseTo(spread, 9);
    expect(f.value - f.low!).toBeCloseTo(spread, 9);
  });

  it("no forecast from fewer than three months: one or two points make no interval", () => {
    expect(forecastNext([])).toBeNull();
    expect(forecastNext([9])).toBeNull();
    expect(forecastNext([5, 9])).toBeNull();
    // must fail: three points are enough for a line with an interval.
    expect(forecastNext([5, 9, 11])).not.toBeNull();
  });

  it("month-end from a partial month: mean run-rate, interval from the daily spread", () => {
    expect(forecastMonthEnd(Array(7).fill(10) as number[], 30)).toEqual({ value: 300, low: 300, high: 300 });
    const week = [8, 12, 8, 12, 8, 12, 8];
    const f = forecastMonthEnd(week, 10);
    const mean = 68 / 7;
    const sd = Math.sqrt(week.reduce((a, v) => a + (v - mean) ** 2, 0) / 6);
    expect(f.value).toBeCloseTo(68 + mean * 3, 9);
    expect(f.high! - f.value).toBeCloseTo(1.96 * sd * Math.sqrt(3), 9);
    expect(forecastMonthEnd([1, 2, 3], 3)).toEqual({ value: 6, low: 6, high: 6 });
  });

  it("no month-end interval from fewer than seven days of a partial month, never a zero-width one from one day", () => {
    expect(forecastMonthEnd([8, 12], 4)).toEqual({ value: 40, low: null, high: null });
    expect(forecastMonthEnd([10], 30)).toEqual({ value: 300, low: null, high: null });
    expect(forecastMonthEnd([], 30)).toEqual({ value: 0, low: null, high: null });
  });
});
