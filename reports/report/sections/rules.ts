// Allocation rules and what each moved this month; and the unallocated cost by rule and reason.

import { Totals } from "../../totals";
import { section } from "../context";

export const rules = section("rules", ({ model, current }) => {
  const allocated = Totals.of(current.lines, (l) => (l.target !== null ? l.rule : null), (l) => l.amount);
  const unallocated = Totals.of(current.lines, (l) => (l.target === null ? l.rule : null), (l) => l.amount);
  return model.allocationRules.map((r) => ({
    rule: r.name,
    method: r.method === "tiered" ? `tiered (${r.tiers.map((t) => `${t.name}: ${t.method}`).join(", ")})` : r.method,
    stage: r.stage ?? (r.method === "direct" ? 0 : 1),
    match: r.match ? JSON.stringify(r.match) : "everything left",
    allocated: allocated.amount(r.name).toFixed(2),
    unallocated: unallocated.amount(r.name).toFixed(2),
  }));
});

export const unallocated = section("unallocated", ({ current }) => {
  const totals = Totals.of(current.lines, (l) => (l.target === null ? JSON.stringify([l.rule, l.reason ?? "unallocated"]) : null), (l) => l.amount);
  return [...totals]
    .map(([key, amount]) => {
      const [rule, reason] = JSON.parse(key) as [string | null, string];
      return { reason, rule, amount };
    })
    .filter((u) => !u.amount.isZero())
    .sort((a, b) => b.amount.comparedTo(a.amount) || a.reason.localeCompare(b.reason))
    .map((u) => ({ ...u, amount: u.amount.toFixed(2) }));
});

