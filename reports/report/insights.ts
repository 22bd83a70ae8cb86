// The report's statistics, as pure functions: anomalies in daily cost against a robust baseline (median and
// MAD of the days before), and forecasts by least squares with a prediction interval. Estimates, not money:
// they run on numbers and are rounded to cents when shown.

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Median absolute deviation, scaled (x1.4826) to estimate the standard deviation of normal data. */
export const mad = (values: readonly number[]): number => {
  const m = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - m)));
};

export interface AnomalyOptions {
  /** Days before each day that form its baseline. */
  window: number;
  /** How many robust standard deviations above the baseline counts as an anomaly. */
  threshold: number;
  /** Smallest jump, in money, worth reporting. */
  minimumJump: number;
  /** Days of data a day needs before it to be judged at all. */
  minimumHistory: number;
}

export const ANOMALY_DEFAULTS: AnomalyOptions = { window: 14, threshold: 4, minimumJump: 25, minimumHistory: 7 };

export interface Anomaly {
  index: number;
  value: number;
  baseline: number;
  /** value - baseline. */
  jump: number;
  /** Robust z-score: jump / (MAD-based sigma); Infinity when the baseline does not vary. */
  score: number;
}

/** The first day (index) that has enough history to be judged, when data starts at index `known`. */
export const firstJudgedDay = (known: number, options: AnomalyOptions = ANOMALY_DEFAULTS) => known + options.minimumHistory;

/**
 * Flags days whose cost jumps above the median of the `window` days before by more than `threshold`
 * robust standard deviations (and by at least `minimumJump`). A flat baseline (MAD 0) flags any jump above
 * the minimum. Only days from `from` on are judged; earlier days only serve as baseline. Days before
 * `known` (the first day of data) are unknown, not zero: a day needs `minimumHistory` known days before
 * it, and a baseline above zero, since a jump from nothing has no scale to be judged against.
 */
export function findAnomalies(series: readonly number[], from = 0, options: AnomalyOptions = ANOMALY_DEFAULTS, known = 0): Anomaly[] {
  const found: Anomaly[] = [];
  for (const { i, history, baseline } of daysWithHistory(series, from, options, known)) {
    if (!(baseline > 0)) continue;
    const sigma = mad(history);
    const jump = series[i]! - baseline;
    if (jump < options.minimumJump) continue;
    const score = sigma === 0 ? Infinity : jump / sigma;
    if (score >= options.threshold) found.push({ index: i, value: series[i]!, baseline, jump, score });
  }
  return found;
}

/** Days with enough history whose cost rose by at least `minimumJump` above a median of zero: not judged, but worth saying. */
export function jumpsFromNothing(series: readonly number[], from = 0, options: AnomalyOptions = ANOMALY_DEFAULTS, known = 0): number[] {
  return [...daysWithHistory(series, from, options, known)].filter(({ i, baseline }) => !(baseline > 0) && series[i]! - baseline >= options.minimumJump).map(({ i }) => i);
}

function* daysWithHistory(series: readonly number[], from: number, options: AnomalyOptions, known: number) {
  for (let i = Math.max(from, firstJudgedDay(known, options)); i < series.length; i++) {
    const history = series.slice(Math.max(known, i - options.window), i);
    yield { i, history, baseline: median(history) };
  }
}

export interface Forecast {
  value: number;
  /** The 95% interval; null without enough history for one. */
  low: number | null;
  high: number | null;
}

/** Months a least-squares forecast needs: a line and at least one degree of freedom for its interval. */
export const FORECAST_MIN_MONTHS = 3;
/** Days of a partial month the month-end interval needs. */
export const MONTH_END_MIN_DAYS = 7;

/**
 * The next value of a series by an ordinary least-squares line through it, with a 95% prediction interval
 * from the residuals (t quantile for the degrees of freedom). Null with fewer than FORECAST_MIN_MONTHS
 * points: one or two points make no interval, only a guess.
 */
export function forecastNext(series: readonly number[]): Forecast | null {
  const n = series.length;
  if (n < FORECAST_MIN_MONTHS) return null;
  const xs = series.map((_, i) => i);
  const meanX = (n - 1) / 2;
  const meanY = series.reduce((a, b) => a + b, 0) / n;
  const sxx = xs.reduce((a, x) => a + (x - meanX) ** 2, 0);
  const slope = xs.reduce((a, x, i) => a + (x - meanX) * (series[i]! - meanY), 0) / sxx;
  const intercept = meanY - slope * meanX;
  const residuals = series.map((y, i) => y - (intercept + slope * i));
  const se = Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / (n - 2));
  const x = n;
  const spread = tQuantile95(n - 2) * se * Math.sqrt(1 + 1 / n + (x - meanX) ** 2 / sxx);
  const value = intercept + slope * x;
  return { value, low: value - spread, high: value + spread };
}

/** Two-sided 95% Student t quantile for small degrees of freedom, 1.96 beyond the table. */
function tQuantile95(df: number): number {
  const table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];
  return table[df - 1] ?? 1.96;
}

/**
 * Month-end cost from the days seen so far: the daily mean times the month's days, with a 95% interval once
 * MONTH_END_MIN_DAYS are seen (one day's spread is no spread). A complete month is its own total.
 */
export function forecastMonthEnd(daily: readonly number[], daysInMonth: number): Forecast {
  const seen = daily.length;
  const total = daily.reduce((a, b) => a + b, 0);
  if (seen >= daysInMonth) return { value: total, low: total, high: total };
  if (seen === 0) return { value: total, low: null, high: null };
  const mean = total / seen;
  if (seen < MONTH_END_MIN_DAYS) return { value: total + mean * (daysInMonth - seen), low: null, high: null };
  const sd = Math.sqrt(daily.reduce((a, v) => a + (v - mean) ** 2, 0) / (seen - 1));
  const remaining = daysInMonth - seen;
  const value = total + mean * remaining;
  const spread = 1.96 * sd * Math.sqrt(remaining);
  return { value, low: value - spread, high: value + spread };
}
