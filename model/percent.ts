// Percentages, decided once for every command and format: a part of a whole, rounded half up where shown.
// There is no percentage of nothing: with a zero whole the answer is null, which JSON keeps as null, CSV
// leaves empty and Markdown, HTML and the terminal show as "n/a" (never 0% or 100% of 0).
import { Decimal } from "./decimal";

/** `part` in percent of `whole`, exact; null when the whole is zero. */
export function exactPercent(part: Decimal, whole: Decimal): Decimal | null {
  return whole.isZero() ? null : part.times(100).dividedBy(whole);
}

/** An exact percentage as shown: rounded half up to `places`; null stays null. */
export function roundPercent(pct: Decimal | null, places: number): number | null {
  return pct === null ? null : pct.toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toNumber();
}

/** `part` in percent of `whole`, rounded half up to `places`; null when the whole is zero. */
export function percentOf(part: Decimal, whole: Decimal, places: number): number | null {
  return roundPercent(exactPercent(part, whole), places);
}

/** The change from `before` to `now` in percent of the size of `before`; null without a before, or a zero one. */
export function changePercent(now: Decimal, before: Decimal | undefined, places: number): number | null {
  return before === undefined ? null : percentOf(now.minus(before), before.abs(), places);
}

/** Places of a tag compliance share, wherever it is measured and shown (a share is rounded once, to these). */
export const COMPLIANCE_PLACES = 2;

/**
 * A share as shown beside a bar it was judged below: rounded to `places` as every share is, and where that
 * rounding reaches the bar, said so: "80.00% (below 80% unrounded)". The pack's stack threshold message and
 * a team's compliance beside the billing mode it earned are both written here.
 */
export function shareBelowBar(rounded: number, bar: number, places: number): string {
  const shown = `${new Decimal(rounded).toFixed(places)}%`;
  return rounded >= bar ? `${shown} (below ${bar}% unrounded)` : shown;
}
