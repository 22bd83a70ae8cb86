// Composition: the month's cost by service category bucket.
import { shownAmounts, shownShares } from "../../money";
import { Totals } from "../../totals";
import { section } from "../context";

const CATEGORY_BUCKETS: [RegExp, string][] = [
  [/^compute$/i, "Compute"],
  [/^storage$/i, "Storage"],
  [/^network/i, "Network"],
  [/^databases?$/i, "Databases"],
  [/^(ai|machine learning|ai and machine learning)/i, "AI/ML"],
];

/** The buckets partition the month's cost: shown by largest remainder, they add up to the total shown and to 100%. */
export const composition = section("composition", (ctx) => {
  const ranked = Totals.of(ctx.run.rows, (row) => CATEGORY_BUCKETS.find(([re]) => re.test(row.serviceCategory ?? ""))?.[1] ?? "Other", (row) => row.cost).ranked();
  const shown = shownAmounts(ranked.map(([, cost]) => cost), ctx.model.currency);
  const shares = shownShares(ranked.map(([, cost]) => cost), ctx.current.total, 1);
  return ranked.map(([category], i) => ({ category, cost: shown[i]!, sharePct: shares[i]! }));
});
