// Composition: the month's cost by service category bucket.
import { shownAmount } from "../../money";
import { Totals } from "../../totals";
import { pct, section } from "../context";

const CATEGORY_BUCKETS: [RegExp, string][] = [
  [/^compute$/i, "Compute"],
  [/^storage$/i, "Storage"],
  [/^network/i, "Network"],
  [/^databases?$/i, "Databases"],
  [/^(ai|machine learning|ai and machine learning)/i, "AI/ML"],
];

export const composition = section("composition", (ctx) =>
  Totals.of(ctx.run.rows, (row) => CATEGORY_BUCKETS.find(([re]) => re.test(row.serviceCategory ?? ""))?.[1] ?? "Other", (row) => row.cost)
    .ranked()
    .map(([category, cost]) => ({ category, cost: shownAmount(cost, ctx.model.currency), sharePct: pct(cost, ctx.current.total) })),
);
