// Exact money: decimal.js only, and rounding to the currency's minor unit by largest remainder so the
// rounded parts always add up to the rounded whole. Splits keep full precision; only what is shown is
// rounded, once, here.
import { budgetUse, exactPercent, minorUnits, roundPercent, type BudgetStatus, type CostModel } from "../model";
import { Decimal } from "../model/decimal";

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

/** Minor-unit digits per ISO 4217 code, and the symbol printed before an amount (model/currency.ts). */
export { currencySymbol, minorUnits } from "../model";
/** A share beside the bar it was judged below (model/percent.ts), for the text and render layers. */
export { COMPLIANCE_PLACES, shareBelowBar } from "../model";

/**
 * An amount as a person reads it, in `currency`: rounded once, half away from zero, to the currency's minor
 * unit (JPY 1234.5 -> "1235", KWD 1.2345 -> "1.235", USD -> 2 places). Every amount a report, invoice or
 * terminal shows is written here, or is a node of the allocation's rounding tree (allocate/present.ts),
 * which rounds to the same places. A negative amount that rounds to nothing is written without its sign.
 */
export function shownAmount(amount: Decimal, currency: string): string {
  return unsignedZero(roundMoney(amount, currency)).toFixed(minorUnits(currency));
}

/**
 * The parts of a whole as shown beside it, in `currency`: rounded by largest remainder, so the shown parts
 * add up to the shown whole (a month's composition by category), where rounding each alone could miss it.
 * `whole` is the whole as shown when it is itself a part shown so (a product's features add up to the
 * product as its row shows it); by default the parts' sum rounded.
 */
export function shownAmounts(parts: readonly Decimal[], currency: string, whole?: Decimal): string[] {
  return roundLargestRemainder(parts, minorUnits(currency), whole).map((p) => unsignedZero(p).toFixed(minorUnits(currency)));
}

/**
 * The shares of parts that partition a whole, in percent at `places`, by largest remainder so they add up to
 * 100 as shown (three equal thirds read 33.4, 33.3, 33.3, not 99.9); null each when the whole is zero, and
 * each rounded alone when the parts do not add up to the whole.
 */
export function shownShares(parts: readonly Decimal[], whole: Decimal, places: number): (number | null)[] {
  const exact = parts.map((p) => exactPercent(p, whole));
  if (whole.isZero() || !sumOf(parts).equals(whole)) return exact.map((e) => roundPercent(e, places));
  return roundLargestRemainder(exact as Decimal[], places, new Decimal(100)).map((p) => p.toNumber());
}

/**
 * Parts of rows already shown (compliant cost within usage), by largest remainder over the rows so they add
 * up to the parts' total shown, but never past what a row shows: a row whose part is all of it shows its
 * shown amount, a row without any shows none, and no row's part reads more than its amount or less than 0.
 */
export function shownWithin(parts: readonly Decimal[], amounts: readonly Decimal[], amountsShown: readonly string[], currency: string): string[] {
  const places = minorUnits(currency);
  const fixed = parts.map((p, i) => (p.equals(amounts[i]!) ? new Decimal(amountsShown[i]!) : p.isZero() ? new Decimal(0) : null));
  const free = parts.map((_, i) => i).filter((i) => fixed[i] === null);
  const whole = roundMoney(sumOf(parts), currency).minus(sumOf(fixed.filter((f): f is Decimal => f !== null)));
  const rounded = free.length === 0 ? [] : roundLargestRemainder(free.map((i) => parts[i]!), places, whole);
  free.forEach((i, n) => (fixed[i] = Decimal.max(0, Decimal.min(rounded[n]!, new Decimal(amountsShown[i]!)))));
  return fixed.map((f) => unsignedZero(f!).toFixed(places));
}

/** OpenCost's amounts are shown to two places, whatever the org's currency. */
const LIST_PRICE_PLACES = 2;

/**
 * OpenCost's amounts (a cluster's list-price costs, used as shares, never converted to the bill's
 * currency) as shown: two places whatever the org's currency, rounded half away from zero.
 */
export function shownListPrice(amount: string | Decimal): string {
  return unsignedZero(new Decimal(amount).toDecimalPlaces(LIST_PRICE_PLACES, Decimal.ROUND_HALF_UP)).toFixed(LIST_PRICE_PLACES);
}

/** OpenCost amounts that are parts of a whole (a cluster's namespaces), rounded as shownAmounts rounds, to two places. */
export function shownListPrices(parts: readonly Decimal[]): string[] {
  return roundLargestRemainder(parts, LIST_PRICE_PLACES).map((p) => unsignedZero(p).toFixed(LIST_PRICE_PLACES));
}

/** A rounded amount of nothing is written without a sign. */
const unsignedZero = (rounded: Decimal) => (rounded.isZero() ? rounded.abs() : rounded);

/** `to - from` as shown beside them: the shown `to` less the shown `from`, so the three read as a sum. */
export function shownChange(from: Decimal, to: Decimal, currency: string): string {
  return shownAmount(roundMoney(to, currency).minus(roundMoney(from, currency)), currency);
}

/** The currency's smallest shown amount: 0.01 USD, 1 JPY, 0.001 KWD. */
export function oneMinorUnit(currency: string): Decimal {
  return new Decimal(10).pow(-minorUnits(currency));
}

/** `amount` rounded as `shownAmount` writes it, for arithmetic on shown figures (an invoice's markup, the rounding tree's root). */
export function roundMoney(amount: Decimal, currency: string): Decimal {
  return amount.toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP);
}

/** Decimals kept when a charge is split: what a DECIMAL(38,18) column holds, or the amount's own if it has more. */
export const SPLIT_PLACES = 18;

/**
 * Rounds each part to `places` decimals so that the rounded parts sum exactly to `whole` (by default the
 * parts' sum rounded half-up, away from zero): every part is floored, then the units left over go one each
 * to the parts with the largest remainders (ties to the earlier part); a whole below the floors takes units
 * back from the smallest remainders. Works for negative parts (credits) too.
 */
export function roundLargestRemainder(parts: readonly Decimal[], places: number, whole?: Decimal): Decimal[] {
  if (parts.length === 0) return [];
  const unit = new Decimal(10).pow(-places);
  let sum = new Decimal(0);
  for (const p of parts) sum = sum.plus(p);
  const total = whole ?? sum.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  const floors = parts.map((p) => p.toDecimalPlaces(places, Decimal.ROUND_FLOOR));
  let floorSum = new Decimal(0);
  for (const f of floors) floorSum = floorSum.plus(f);
  let left = total.minus(floorSum).dividedBy(unit).toNumber();
  if (!Number.isInteger(left)) throw new Error(`roundLargestRemainder: ${total.toFixed()} is not a whole number of ${unit.toFixed()}`);
  const order = parts
    .map((p, i) => ({ i, remainder: p.minus(floors[i]!) }))
    .sort((a, b) => b.remainder.comparedTo(a.remainder) || a.i - b.i);
  const rounded = floors.slice();
  // Usually fewer units than parts; a whole far from the parts' sum goes round more than once.
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) rounded[order[k]!.i] = rounded[order[k]!.i]!.plus(unit);
  for (let k = order.length - 1; left < 0; k = (k + order.length - 1) % order.length, left++) rounded[order[k]!.i] = rounded[order[k]!.i]!.minus(unit);
  return rounded;
}

/** A budget line as every table shows it (the report's teams and units, chargeback's budgets.csv). */
export interface BudgetFigures {
  budget: Decimal;
  /** The budget less the shown cost: budget - cost = variance as people read them. */
  variance: Decimal;
  /** Percent of the budget used, at one place, from the exact cost. */
  usedPct: number | null;
  status: BudgetStatus;
}

/**
 * The budget figures of a team or unit: status and percent used from its exact cost (budgetUse), the
 * variance from its shown cost. Budgets are written to the currency's minor unit (model/validate.ts), so
 * they are shown as they are.
 */
export function budgetFigures(model: Pick<CostModel, "budgetAlerts">, cost: { exact: Decimal; shown: Decimal }, budget: Decimal): BudgetFigures {
  const use = budgetUse(model, cost.exact, budget);
  return { budget, variance: budget.minus(cost.shown), usedPct: roundPercent(use.usedPct, 1), status: use.status };
}
