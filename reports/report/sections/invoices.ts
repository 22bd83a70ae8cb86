// Invoices of the month and the reviewed adjustments applied to them.
import { shownAmount } from "../../money";
import { section } from "../context";

export const invoices = section("invoices", (ctx) => ctx.invoices);

export const adjustments = section("adjustments", (ctx) =>
  ctx.adjustments.map((a) => ({ invoice: a.invoice, amount: shownAmount(a.amount, ctx.model.currency), reason: a.reason, approvedBy: a.approvedBy, source: a.source })),
);
