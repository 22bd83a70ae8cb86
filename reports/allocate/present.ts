// The allocation as people read it: amounts rounded to the currency's minor unit once, by largest
// remainder at every level, so an --out row, a --json figure, an invoice line and a report cell are cuts of
// one rounding and add up: lines to their target, targets and unallocated reasons to the bill rounded, teams
// to their units. The only rounding line left is the month's sub-cent residue: the bill minus the bill rounded.
import type { CostModel } from "../../model";
import { Decimal, minorUnits, roundLargestRemainder } from "../money";
import { sumOf, Totals } from "../totals";
import { rollUpTargets, type AllocationLine, type AllocationResult, type RollUp } from "./engine";

/** The reason shown for the month's sub-cent residue. */
export const ROUNDING_REASON = "rounding to the minor unit";

export interface PresentedAllocation {
  /** Decimals of the currency's minor unit. */
  places: number;
  /** Each line's amount as shown, in the order of the result's lines. */
  lines: Decimal[];
  /** Each target's amount as shown. */
  targets: Totals;
  /** Unallocated amounts as shown, keyed by `unallocatedKey`. */
  unallocated: Totals;
  /** Targets rolled up the org, as shown. */
  rolled: RollUp;
  /** The targets' sum as shown. */
  allocated: Decimal;
  /** The bill minus the bill rounded to the minor unit: what no shown figure holds. */
  rounding: Decimal;
}

/**
 * Parts of a shown whole, each rounded at its own grain: exact amounts by key, rounded by largest
 * remainder (keys in order) so they add up to `whole`, the amount already shown for them together.
 */
export function roundParts(exact: ReadonlyMap<string, Decimal>, whole: Decimal, places: number): Totals {
  const keys = [...exact.keys()].sort();
  const rounded = roundLargestRemainder(keys.map((k) => exact.get(k)!), places, whole);
  return new Totals(keys.map((k, i) => [k, rounded[i]!]));
}

/** An unallocated line's key: its rule and reason. */
export const unallocatedKey = (l: Pick<AllocationLine, "rule" | "reason">) => JSON.stringify([l.rule, l.reason ?? "unallocated"]);

const keyOf = (l: AllocationLine) => (l.target !== null ? `t${l.target}` : `u${unallocatedKey(l)}`);

export function presentAllocation(model: Pick<CostModel, "currency" | "teams" | "projects">, result: AllocationResult): PresentedAllocation {
  const places = minorUnits(model.currency);
  const byKey = new Map<string, number[]>();
  result.lines.forEach((l, i) => {
    const key = keyOf(l);
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  });
  const keys = [...byKey.keys()].sort();
  const exact = keys.map((k) => sumOf(byKey.get(k)!.map((i) => result.lines[i]!.amount)));
  const shown = roundLargestRemainder(exact, places, result.total.toDecimalPlaces(places, Decimal.ROUND_HALF_UP));
  const lines: Decimal[] = new Array(result.lines.length);
  keys.forEach((key, k) => {
    const indices = byKey.get(key)!;
    const parts = roundLargestRemainder(indices.map((i) => result.lines[i]!.amount), places, shown[k]!);
    indices.forEach((line, j) => (lines[line] = parts[j]!));
  });
  const targets = Totals.of(result.lines.keys(), (i) => result.lines[i]!.target, (i) => lines[i]!);
  const unallocated = Totals.of(result.lines.keys(), (i) => (result.lines[i]!.target === null ? unallocatedKey(result.lines[i]!) : null), (i) => lines[i]!);
  return {
    places,
    lines,
    targets,
    unallocated,
    rolled: rollUpTargets(model, targets),
    allocated: targets.total(),
    rounding: result.total.minus(sumOf(lines)),
  };
}
