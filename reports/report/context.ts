// What every report section reads: the month pipeline's result, the allocation rolled up for this month
// and the one before, the invoices, and the daily series the anomalies and forecasts use. Built once.
import { percentOf, type CostModel } from "../../model";
import { rollUp, type AllocationResult, type RollUp } from "../allocate/engine";
import type { Adjustment, Invoice } from "../chargeback/invoices";
import { Decimal, shownAmount } from "../money";
import type { Month } from "../month/pipeline";
import type { Totals } from "../totals";
import type { ReportData } from "./data";

/** Daily usage cost by owner team and service, from 14 days before the month to its end. */
export interface DailySeries {
  /** Keyed by JSON [team, service]; each day's cost, as a number for the statistics. */
  series: Map<string, Map<string, number>>;
  /** The same days' cost, exact: what a day's cost is shown from. */
  exact: Map<string, Totals>;
  start: Date;
  /** The input's first day with usage cost up to the month's end: days before it are unknown, not $0. Null without any. */
  firstDay: string | null;
}

export interface ReportContext {
  model: CostModel;
  month: string;
  previousMonth: string;
  generatedAt: string | null;
  run: Month;
  current: AllocationResult;
  previous: AllocationResult | undefined;
  rolled: RollUp;
  lastRolled: RollUp | undefined;
  /** Each month of the window rolled up, for trends and forecasts. */
  rolledByMonth: ReadonlyMap<string, RollUp>;
  /** Each month of the window rolled up as shown: its own rounding tree (allocate/present.ts), the month's being `shown`'s. */
  shownByMonth: ReadonlyMap<string, RollUp>;
  invoices: Invoice[];
  adjustments: Adjustment[];
  daily: DailySeries;
  /**
   * Amounts as shown (allocate/present.ts): teams, units, each allocation line and the unallocated cost
   * rounded once by largest remainder, so they add up to the total in cents and match --json and invoices.
   */
  shown: { places: number; teams: ReadonlyMap<string, Decimal>; units: ReadonlyMap<string, Decimal>; allocated: Decimal; unallocated: Decimal; unallocatedByReason: Totals };
  /** Service totals of the month and the month before. */
  services: { now: Totals; before: Totals };
}

/** A part of the report: the key it fills and how, from the context and the sections built before it. */
export interface ReportSection<K extends keyof ReportData = keyof ReportData> {
  key: K;
  build(ctx: ReportContext, built: Partial<ReportData>): ReportData[K];
}

export const section = <K extends keyof ReportData>(key: K, build: ReportSection<K>["build"]): ReportSection<K> => ({ key, build });

export const zero = new Decimal(0);

/** The report's percentages, to one place; null of nothing (model/percent.ts). */
export const pct = (part: Decimal, whole: Decimal) => percentOf(part, whole, 1);

/**
 * A statistic's estimate (a forecast, a baseline) as shown: computed in floating point, then written as
 * every amount is (`shownAmount`). Never for an amount the bill holds: those are shown from exact decimals.
 */
export const shownEstimate = (n: number, currency: string) => shownAmount(new Decimal(n), currency);

export function daysIn(month: string): number {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function previousMonthOf(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

export function lastDayOf(month: string): string {
  return `${month}-${String(daysIn(month)).padStart(2, "0")}`;
}

export function dayList(from: Date, to: string): string[] {
  const days: string[] = [];
  for (const d = new Date(from); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) days.push(d.toISOString().slice(0, 10));
  return days;
}

export function rollUpAll(model: CostModel, allocations: ReadonlyMap<string, AllocationResult>): Map<string, RollUp> {
  return new Map([...allocations].map(([m, r]) => [m, rollUp(model, r.lines)]));
}
