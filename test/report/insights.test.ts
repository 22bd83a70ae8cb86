import { describe, expect, it } from "vitest";
import { findAnomalies, forecastMonthEnd, forecastNext, mad, median } from "../../reports/report/insights";

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
    expect(findAnomalies([...steady, 120], 0, { window: 14, threshold: 4, minimumJump: 25 })).toEqual([]);
    expect(findAnomalies([...steady, 0])).toEqual([]);
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
    const f = forecastNext([10, 12, 11, 15]);
    expect(f.value).toBeCloseTo(15.5, 9);
    const spread = 4.303 * Math.sqrt(4.2 / 2) * Math.sqrt(1 + 1 / 4 + (4 - 1.5) ** 2 / 5);
    expect(f.high - f.value).toBeCloseTo(spread, 9);
    expect(f.value - f.low).toBeCloseTo(spread, 9);
  });

  it("short series repeat the last value within the range seen", () => {
    expect(forecastNext([5, 9])).toEqual({ value: 9, low: 5, high: 9 });
  });

  it("month-end from a partial month: mean run-rate, interval from the daily spread", () => {
    expect(forecastMonthEnd([10, 10, 10], 30)).toEqual({ value: 300, low: 300, high: 300 });
    const f = forecastMonthEnd([8, 12], 4);
    expect(f.value).toBe(40);
    expect(f.high - f.value).toBeCloseTo(1.96 * Math.sqrt(8) * Math.sqrt(2), 9);
    expect(forecastMonthEnd([1, 2, 3], 3)).toEqual({ value: 6, low: 6, high: 6 });
  });
});
