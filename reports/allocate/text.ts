// `allot allocate` for a terminal: the totals, then each target's amount by rule.
import { Decimal } from "../money";
import { formatMoney } from "../text/format";
import type { AllocationSummary } from "./output";

export function renderAllocationText(s: AllocationSummary): string {
  const money = (amount: string) => formatMoney(new Decimal(amount), s.currency);
  const rows = s.allocations.map((a) => [a.target, a.kind, money(a.amount), Object.entries(a.byRule).map(([rule, v]) => `${rule} ${money(v)}`).join(", ")]);
  const width = (i: number) => Math.max(...rows.map((r) => r[i]!.length), 6);
  const lines = rows.map((r) => `${r[0]!.padEnd(width(0))}  ${r[1]!.padEnd(width(1))}  ${r[2]!.padStart(width(2))}  ${r[3]}`);
  const unallocated = s.unallocated.map((u) => `  ${money(u.amount).padStart(14)}  ${u.rule ? `${u.rule}: ` : ""}${u.reason}`);
  return [
    `Allocation, ${s.month} (${s.costBasis}, ${s.currency})`,
    `total ${money(s.totalCost)} = allocated ${money(s.allocatedCost)} + unallocated ${money(s.unallocatedCost)}`,
    "",
    ...lines,
    ...(unallocated.length > 0 ? ["", "unallocated:", ...unallocated] : []),
    "",
  ].join("\n");
}
