// Reviewed adjustments (approved disputes, goodwill credits, late debits): a CSV (or YAML list) of invoice,
// amount, reason, approvedBy. Every row is checked, and each keeps its file and line for the audit trail.
import { readFileSync } from "node:fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import { isSeq } from "yaml";
import { minorUnits, parseYaml, UserError } from "../../model";
import { Decimal } from "../money";
import { openSideInput, querySideInput } from "./side-input";

export interface Adjustment {
  invoice: string;
  amount: Decimal;
  reason: string;
  approvedBy: string;
  /** file:line it came from. */
  source: string;
}

const HEADER = ["invoice", "amount", "reason", "approvedBy"];

/** Reads and checks the adjustments; each amount is one an invoice can carry: at most `currency`'s minor unit. */
export async function loadAdjustments(db: DuckDBConnection, file: string, knownInvoices: ReadonlySet<string>, currency: string): Promise<Adjustment[]> {
  const places = minorUnits(currency);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
    if (text.trim() === "") throw new UserError(`--adjustments ${file}: the file is empty; expected ${HEADER.join(", ")}`);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`--adjustments ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path`);
  }
  const rows = /\.ya?ml$/i.test(file) ? fromYaml(file, text) : await fromCsv(db, file);
  return rows.map(({ line, invoice, amount, reason, approvedBy }) => {
    const at = `${file}:${line}`;
    if (!knownInvoices.has(invoice)) throw new UserError(`${at}: invoice ${JSON.stringify(invoice)} is not one of this month's invoices (${[...knownInvoices].slice(0, 3).join(", ")}, ...); fix the invoice id`);
    if (!/^-?\d+(\.\d+)?$/.test(amount)) throw new UserError(`${at}: amount ${JSON.stringify(amount)} is not a decimal number (negative for a credit, positive for a debit)`);
    // An invoice is paid in the currency's minor unit: an amount below it would be rounded away on one line and not another.
    if (new Decimal(amount).decimalPlaces() > places) throw new UserError(`${at}: amount ${amount} has more decimal places than ${currency} has (${places}); write it in whole ${places === 0 ? currency : `${currency} to ${places} places`}`);
    if (reason === "") throw new UserError(`${at}: every adjustment needs a reason; it is kept in the audit trail`);
    if (approvedBy === "") throw new UserError(`${at}: every adjustment needs approvedBy: who reviewed it`);
    return { invoice, amount: new Decimal(amount), reason, approvedBy, source: at };
  });
}

interface RawAdjustment {
  line: number;
  invoice: string;
  amount: string;
  reason: string;
  approvedBy: string;
}

/** CSV through the side-input loader (quotes, embedded commas), every cell as text, with its line number. */
async function fromCsv(db: DuckDBConnection, file: string): Promise<RawAdjustment[]> {
  const input = await openSideInput(db, file, { what: "adjustments", columns: HEADER, required: HEADER, formats: ["csv"] });
  const rows = await querySideInput(db, input, `SELECT line, ${HEADER.map((h) => `COALESCE(trim("${h}"), '') AS "${h}"`).join(", ")} FROM (${input.records}) ORDER BY line`);
  return rows.map((r) => ({ line: Number(r.line), invoice: String(r.invoice), amount: String(r.amount), reason: String(r.reason), approvedBy: String(r.approvedBy) }));
}

/**
 * A YAML list. parseYaml refuses numbers a JavaScript number cannot hold exactly, so an amount written as a
 * number is the decimal it was written as; it is taken in plain notation (1e-7 as 0.0000001).
 */
function fromYaml(file: string, text: string): RawAdjustment[] {
  const { doc, lines, data } = parseYaml(text, file);
  if (!Array.isArray(data) || !isSeq(doc.contents)) throw new UserError(`${file}: expected a list of adjustments with ${HEADER.join(", ")}`);
  const items = doc.contents.items;
  return data.map((item, i) => {
    const get = (name: string) => {
      const value: unknown = item !== null && typeof item === "object" && Object.hasOwn(item, name) ? ((item as Record<string, unknown>)[name] ?? "") : "";
      return (typeof value === "number" && Number.isFinite(value) ? new Decimal(String(value)).toFixed() : String(value)).trim();
    };
    const range = (items[i] as { range?: [number, number, number] } | undefined)?.range;
    return { line: range ? lines.linePos(range[0]).line : i + 1, invoice: get("invoice"), amount: get("amount"), reason: get("reason"), approvedBy: get("approvedBy") };
  });
}
