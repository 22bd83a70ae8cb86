// Invoices of the month and the reviewed adjustments applied to them.
import { section } from "../context";

export const invoices = section("invoices", (ctx) => ctx.invoices);

export const adjustments = section("adjustments", (ctx) =>
  ctx.adjustments.map((a) => ({ invoice: a.invoice, amount: a.amount.toFixed(2), reason: a.reason, approvedBy: a.approvedBy, source: a.source })),
);
