// The allocation as people read it: amounts rounded to the currency's minor unit once, as a tree, by
// largest remainder at every level: the bill rounded, then each target (or unallocated reason), then each
// rule within it, then each service, then each tier, then each line. A figure that is a node of the tree,
// or a union of nodes (a target's amount by rule, a rule's total, an invoice's line by service and rule, a
// cluster's workload and idle per owner), is
// the sum of its shown lines, so an --out row, a --json figure and a report cell are cuts of one rounding
// and add up; and no part is rounded from its lines' roundings, so sub-cent lines never drift a part.
// The only rounding line left is the month's sub-cent residue: the bill minus the bill rounded.
import type { CostModel } from "../../model";
import { Decimal, minorUnits, roundLargestRemainder, roundMoney } from "../money";
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
  /**
   * Shown amounts summed by a key over the lines (lines whose key is null left out). Exact for any key that
   * is a union of the tree's nodes: target, rule, tier, or any coarser grouping of them.
   */
  cut(key: (line: AllocationLine) => string | null | undefined): Totals;
}

/** An unallocated line's key: its rule and reason. */
export const unallocatedKey = (l: Pick<AllocationLine, "rule" | "reason">) => JSON.stringify([l.rule, l.reason ?? "unallocated"]);

/** The levels of the rounding tree, coarsest first; lines are the leaves. */
const LEVELS: readonly ((l: AllocationLine) => string)[] = [
  (l) => (l.target !== null ? `t${l.target}` : `u${unallocatedKey(l)}`),
  (l) => l.rule ?? "",
  // Invoice lines are by service and rule: a level of its own, so they are nodes of the tree too.
  (l) => l.group.service ?? "",
  (l) => l.tier ?? "",
];

/** Rounds the lines `indices` so they add up to `whole`, level by level; writes each line's shown amount. */
function roundTree(lines: readonly AllocationLine[], indices: readonly number[], level: number, whole: Decimal, places: number, out: Decimal[]): void {
  if (level === LEVELS.length) {
    const parts = roundLargestRemainder(indices.map((i) => lines[i]!.amount), places, whole);
    indices.forEach((line, j) => (out[line] = parts[j]!));
    return;
  }
  const groups = new Map<string, number[]>();
  for (const i of indices) {
    const key = LEVELS[level]!(lines[i]!);
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  }
  const keys = [...groups.keys()].sort();
  const shown = roundLargestRemainder(keys.map((k) => sumOf(groups.get(k)!.map((i) => lines[i]!.amount))), places, whole);
  keys.forEach((k, n) => roundTree(lines, groups.get(k)!, level + 1, shown[n]!, places, out));
}

export function presentAllocation(model: Pick<CostModel, "currency" | "teams" | "projects">, result: AllocationResult): PresentedAllocation {
  const places = minorUnits(model.currency);
  const lines: Decimal[] = new Array(result.lines.length);
  roundTree(result.lines, [...result.lines.keys()], 0, roundMoney(result.total, model.currency), places, lines);
  const cut = (key: (line: AllocationLine) => string | null | undefined) => Totals.of(result.lines.keys(), (i) => key(result.lines[i]!), (i) => lines[i]!);
  const targets = cut((l) => l.target);
  return {
    places,
    lines,
    targets,
    unallocated: cut((l) => (l.target === null ? unallocatedKey(l) : null)),
    rolled: rollUpTargets(model, targets),
    allocated: targets.total(),
    rounding: result.total.minus(sumOf(lines)),
    cut,
  };
}
