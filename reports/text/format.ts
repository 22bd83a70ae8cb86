// Number formatting for reports: exact decimals in, fixed strings out (no floats on the way).
import { COMPLIANCE_PLACES, currencySymbol, Decimal, shareBelowBar, shownAmount } from "../money";

export const groupThousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * 12345.678 USD -> "$12,345.68", CAD -> "CA$12,345.68", CHF -> "CHF 12,345.68", JPY -> "¥12,346"; negative
 * amounts as "-$12.00". Rounded as every shown amount is (`shownAmount`).
 */
export function formatMoney(amount: Decimal, currency: string): string {
  const fixed = shownAmount(amount, currency);
  const sign = fixed.startsWith("-") ? "-" : "";
  const [whole, fraction] = fixed.replace(/^-/, "").split(".") as [string, string | undefined];
  return `${sign}${currencySymbol(currency)}${groupThousands(whole)}${fraction ? `.${fraction}` : ""}`;
}

export function monthName(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
}

/**
 * A percentage as shown: "12.3%", "+4.0%" when `signed`, and "n/a" for a percentage of nothing (null). It is
 * written, never rounded: `pct` comes rounded to `places` or fewer from model/percent.ts, the one rounding
 * of a percentage, and one with more places is a bug that would round it twice (80.249 -> 80.25 -> 80.3).
 */
export function formatPercent(pct: number | null, places = 1, signed = false): string {
  if (pct === null) return "n/a";
  const exact = new Decimal(pct);
  if (exact.decimalPlaces() > places) throw new Error(`formatPercent: ${pct} has more than ${places} decimal places; round it once where it is computed (model/percent.ts)`);
  return `${signed && pct > 0 ? "+" : ""}${exact.toFixed(places)}%`;
}

/**
 * A team's compliance beside the billing mode it earned: the share as rounded, and where the rounding reads
 * as the chargeback bar while the exact share is below it (an auto team on showback), a word that says so.
 */
export function complianceBesideMode(pct: number | null, team: { billingMode: string; earns: string }, threshold: number, places = COMPLIANCE_PLACES): string {
  return team.billingMode === "auto" && team.earns === "showback" && pct !== null ? shareBelowBar(pct, threshold, places) : formatPercent(pct, places);
}
