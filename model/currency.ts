// ISO 4217 currency codes as allot accepts them (allot.yaml's currency and exchangeRates, the bills'
// BillingCurrency), each with its minor unit and the symbol reports print. A fixed list, not Intl's: Node's
// ICU data changes with its version, and output must not.
import { closest, distance } from "fastest-levenshtein";

/** Minor-unit digits of every code that does not use 2 (ISO 4217 table A.1). */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/**
 * ISO 4217 table A.1 (current codes, 2025), without the codes that name no money a bill is paid in:
 * precious metals (XAU, XAG, XPD, XPT), bond-market units (XBA-XBD), XDR, XSU, XUA, XTS (testing) and
 * XXX (no currency). Plus codes withdrawn since 2008 that older bills still carry (e.g. HRK before 2023).
 */
const CODES = `AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
  CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
  GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD
  LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR
  PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD
  TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
  BYR CUC EEK HRK LTL LVL MRO SKK SLL STD VEF ZMK ZWL`;

/** Every accepted code, sorted. */
export const CURRENCY_CODES: readonly string[] = CODES.split(/\s+/).filter(Boolean).sort();
const KNOWN = new Set(CURRENCY_CODES);

export function isCurrencyCode(code: string): boolean {
  return KNOWN.has(code);
}

/** " (did you mean "USD"?)" for a code close to a known one (usd, US, USDD), else "". */
export function suggestCurrency(code: string): string {
  const upper = code.trim().toUpperCase();
  if (KNOWN.has(upper)) return ` (did you mean "${upper}"?)`;
  if (upper.length > 8) return "";
  const best = closest(upper, CURRENCY_CODES as string[]);
  return distance(upper, best) <= 1 ? ` (did you mean "${best}"?)` : "";
}

export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/**
 * The symbols allot prints before an amount: only those that no other currency shares in en-US usage
 * ("$" is the US dollar alone; CA$, A$, NZ$, HK$, MX$ for the others). Every other code is printed as
 * itself and a space ("CHF 12.00", "SGD 12.00").
 */
const SYMBOLS: Readonly<Record<string, string>> = {
  USD: "$", EUR: "€", GBP: "£", JPY: "¥", CNY: "CN¥", CAD: "CA$", AUD: "A$", NZD: "NZ$", HKD: "HK$", MXN: "MX$", BRL: "R$",
  TWD: "NT$", XCD: "EC$", INR: "₹", KRW: "₩", ILS: "₪", VND: "₫", PHP: "₱",
};

export function currencySymbol(currency: string): string {
  return SYMBOLS[currency] ?? `${currency} `;
}
