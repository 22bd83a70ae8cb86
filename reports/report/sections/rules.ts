// Allocation rules and what each moved this month; and the unallocated cost by rule and reason.

import { roundParts } from "../../allocate/present";
import { Totals } from "../../totals";
import { section } from "../context";

/** Lines no rule matched, kept apart from any rule's name. */
const NO_RULE = "\u0000";

export const rules = section("rules", ({ model, current, shown }) => {
  const exact = (allocated: boolean) => Totals.of(current.lines, (l) => ((l.target !== null) === allocated ? (l.rule ?? NO_RULE) : null), (l) => l.amount);
  const allocated = roundParts(exact(true), shown.allocated, shown.places);
  const unallocated = roundParts(exact(false), shown.unallocated, shown.places);
  return model.allocationRules.map((r) => ({
    rule: r.name,
    method: r.method === "tiered" ? `tiered (${r.tiers.map((t) => `${t.name}: ${t.method}`).join(", ")})` : r.method,
    stage: r.stage ?? (r.method === "direct" ? 0 : 1),
    match: r.match ? JSON.stringify(r.match) : "everything left",
    allocated: allocated.amount(r.name).toFixed(2),
    unallocated: unallocated.amount(r.name).toFixed(2),
  }));
});

export const unallocated = section("unallocated", ({ shown }) => {
  return [...shown.unallocatedByReason]
    .map(([key, amount]) => {
      const [rule, reason] = JSON.parse(key) as [string | null, string];
      return { reason, rule, amount };
    })
    .filter((u) => !u.amount.isZero())
    .sort((a, b) => b.amount.comparedTo(a.amount) || a.reason.localeCompare(b.reason))
    .map((u) => ({ ...u, amount: u.amount.toFixed(2) }));
});

