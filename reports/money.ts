// Exact money: decimal.js only, and rounding to the currency's minor unit by largest remainder so the
// rounded parts always add up to the rounded whole.
import Decimal from "decimal.js";

export { Decimal };

/** Wide enough that no sum of bill amounts rounds on the way. */
const Wide = Decimal.clone({ precision: 1e9 });

/**
 * Sums decimals of any count, as `Decimal.sum` does (exact on the way, rounded once to Decimal's
 * precision), but by looping: `Decimal.sum(0, ...values)` passes one argument per value and overflows the
 * call stack at about 150,000.
 */
export function sumOf(values: Iterable<Decimal>): Decimal {
  let sum = new Wide(0);
  for (const v of values) sum = sum.plus(v);
  return new Decimal(sum.toSignificantDigits(Decimal.precision, Decimal.rounding).toString());
}

/** Minor-unit digits per ISO 4217 code; 2 unless listed. */
const MINOR_UNITS: Record<string, number> = { JPY: 0, KRW: 0, CLP: 0, ISK: 0, VND: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/**
 * Rounds each part to `places` decimals so that the rounded parts sum exactly to the whole rounded
 * half-up (away from zero): every part is floored, then the units left over go one each to the parts
 * with the largest remainders (ties to the earlier part). Works for negative parts (credits) too.
 */
export function roundLargestRemainder(parts: readonly Decimal[], places: number): Decimal[] {
  const unit = new Decimal(1).dividedBy(new Decimal(10).pow(places));
  const total = sumOf(parts).toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  const floors = parts.map((p) => p.toDecimalPlaces(places, Decimal.ROUND_FLOOR));
  let left = total.minus(sumOf(floors)).dividedBy(unit).toNumber();
  const order = parts
    .map((p, i) => ({ i, remainder: p.minus(floors[i]!) }))
    .sort((a, b) => b.remainder.comparedTo(a.remainder) || a.i - b.i);
  const rounded = floors.slice();
  for (const { i } of order) {
    if (left <= 0) break;
    rounded[i] = rounded[i]!.plus(unit);
    left--;
  }
  return rounded;
}
