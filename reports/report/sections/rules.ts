// Allocation rules and what each moved this month; and the unallocated cost by rule and reason.

import { section } from "../context";

export const rules = section("rules", ({ model, run: { presented } }) => {
  // Unions of the rounding tree's nodes, so a rule's figures add up to its targets' and reasons' as shown.
  const allocated = presented.cut((l) => (l.target !== null ? l.rule : null));
  const unallocated = presented.cut((l) => (l.target === null ? l.rule : null));
  return model.allocationRules.map((r) => ({
    rule: r.name,
    method: r.method === "tiered" ? `tiered (${r.tiers.map((t) => `${t.name}: ${t.method}`).join(", ")})` : r.method,
    stage: r.stage ?? (r.method === "direct" ? 0 : 1),
    match: r.match ? JSON.stringify(r.match) : "everything left",
    allocated: allocated.amount(r.name).toFixed(presented.places),
    unallocated: unallocated.amount(r.name).toFixed(presented.places),
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
    .map((u) => ({ ...u, amount: u.amount.toFixed(shown.places) }));
});

