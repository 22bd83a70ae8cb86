// Writes a month's chargeback for finance systems: invoices as JSON and as CSV line items, budget status,
// and the audit trail of adjustments. CSV cells are formula-safe.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, parse } from "node:path";
import { UserError } from "../../model";
import { csvLine } from "../text/escape";
import type { Adjustment, BudgetStatus, Invoice } from "./invoices";

export function writeChargeback(dir: string, c: { month: string; invoices: Invoice[]; budgets: BudgetStatus[]; adjustments: Adjustment[]; unallocated: string }): string[] {
  if (dir === parse(dir).root) throw new UserError(`--out ${dir}: is the filesystem root; pass a directory of the chargeback's own, e.g. chargeback/${c.month}`);
  const files = { invoices: join(dir, "invoices.json"), lines: join(dir, "invoices.csv"), budgets: join(dir, "budgets.csv"), audit: join(dir, "audit.json") };
  const invoiceRows = c.invoices.flatMap((i) => {
    const base = [i.id, i.party, i.costCenter ?? "", i.period.start, i.period.end, i.mode, i.currency];
    return [
      ...i.lines.map((l) => csvLine([...base, "line", l.service, l.rule, "", l.amount])),
      csvLine([...base, "markup", "", "", "", i.markup]),
      csvLine([...base, "discount", "", "", "", /^0(\.0+)?$/.test(i.discount) ? i.discount : `-${i.discount}`]),
      ...i.adjustments.map((a) => csvLine([...base, "adjustment", "", "", a.reason, a.amount])),
      csvLine([...base, "total", "", "", "", i.total]),
    ];
  });
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(files.invoices, `${JSON.stringify({ month: c.month, unallocated: c.unallocated, invoices: c.invoices }, null, 2)}\n`);
    writeFileSync(files.lines, [csvLine(["invoice", "party", "costCenter", "periodStart", "periodEnd", "mode", "currency", "kind", "service", "rule", "reason", "amount"]), ...invoiceRows].join(""));
    writeFileSync(files.budgets, [csvLine(["team", "budget", "allocated", "variance", "usedPct", "status"]), ...c.budgets.map((b) => csvLine([b.team, b.budget, b.allocated, b.variance, b.usedPct ?? "", b.status]))].join(""));
    writeFileSync(files.audit, `${JSON.stringify({ month: c.month, adjustments: c.adjustments.map((a) => ({ ...a, amount: a.amount.toFixed() })) }, null, 2)}\n`);
  } catch (error) {
    throw new UserError(`--out ${dir}: cannot write the chargeback files (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose a writable directory`);
  }
  return Object.values(files);
}
