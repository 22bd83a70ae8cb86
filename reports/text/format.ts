// Number formatting for reports: exact decimals in, fixed strings out (no floats on the way).
import { currencySymbol, Decimal, minorUnits } from "../money";

export const groupThousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * 12345.678 USD -> "$12,345.68", CAD -> "CA$12,345.68", CHF -> "CHF 12,345.68"; negative amounts as "-$12.00".
 * Rounds half away from zero.
 */
export function formatMoney(amount: Decimal, currency: string): string {
  const places = minorUnits(currency);
  const fixed = amount.abs().toFixed(places, Decimal.ROUND_HALF_UP);
  const [whole, fraction] = fixed.split(".") as [string, string | undefined];
  const symbol = currencySymbol(currency);
  const sign = amount.isNegative() && !new Decimal(fixed).isZero() ? "-" : "";
  return `${sign}${symbol}${groupThousands(whole)}${fraction ? `.${fraction}` : ""}`;
}

export function monthName(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
}

/** A percentage as shown: "12.3%", "+4.0%" when `signed`, and "n/a" for a percentage of nothing (null). */
export function formatPercent(pct: number | null, places = 1, signed = false): string {
  if (pct === null) return "n/a";
  return `${signed && pct > 0 ? "+" : ""}${pct.toFixed(places)}%`;
}
