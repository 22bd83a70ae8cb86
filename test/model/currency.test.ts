// Currencies in allot.yaml: ISO 4217 codes (with the closest suggested), exchange rates above 0 in every
// form, and YAML numbers read exactly or refused. The org is a Canadian one reporting in CAD, billed in EUR too.
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { ConfigError, CURRENCY_CODES, currencySymbol, parseCostModel } from "../../model";
import { validateBudgetSpecs } from "../../components/spec";
import { formatMoney } from "../../reports/text/format";

const maple = (head: string) => `version: 1
${head}
tags:
  required:
    - { key: equipe, values: org.teams }
org:
  units:
    - id: erable
      teams:
        - { id: sirop, owner: sirop@erable.ca, costCenter: QC-100, budget: 2500 }
`;

function problemsOf(text: string): string[] {
  try {
    parseCostModel(text, "maple.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split("\n");
  }
  throw new Error("expected the model to be rejected");
}

describe("currency codes", () => {
  it("accepts ISO 4217 codes, with rates as numbers or decimal strings, exactly", () => {
    const model = parseCostModel(maple(`currency: CAD\nexchangeRates: { EUR: 1.5123, USD: "1.3912345678901234567891" }`), "maple.yaml");
    expect(model.currency).toBe("CAD");
    expect(model.exchangeRates.get("EUR")!.equals(new Decimal("1.5123"))).toBe(true);
    expect(model.exchangeRates.get("USD")!.toFixed()).toBe("1.3912345678901234567891");
  });

  it("refuses a code that is not ISO 4217, suggesting the closest", () => {
    expect(problemsOf(maple("currency: cad"))).toEqual([`maple.yaml:2:11: currency: expected an ISO 4217 currency code such as USD (did you mean "CAD"?), got "cad"`]);
    expect(problemsOf(maple("currency: CAX"))[0]).toMatch(/currency: expected an ISO 4217 currency code such as USD \(did you mean "CA[DX]?"\?\)|currency: expected an ISO 4217 currency code such as USD/);
    expect(problemsOf(maple("currency: XXX"))[0]).toMatch(/currency: expected an ISO 4217 currency code such as USD/);
    expect(problemsOf(maple("currency: CAD\nexchangeRates: { EUX: 1.5 }"))).toEqual([`maple.yaml:3:23: exchangeRates.EUX: expected an ISO 4217 currency code such as EUR (did you mean "EUR"?), got "EUX"`]);
    expect(problemsOf(maple("currency: CAD\nexchangeRates: { eur: 1.5 }"))[0]).toMatch(/exchangeRates\.eur: .*did you mean "EUR"/);
    expect(problemsOf(maple("currency: CAD\nexchangeRates: { CAD: 1 }"))[0]).toMatch(/exchangeRates\.CAD: CAD is the model's currency, whose rate is 1; remove it/);
  });

  it("holds budget components to the same codes", () => {
    const spec = (currency: string) => [{ team: "sirop", amount: "2500", currency, tags: { equipe: "sirop" }, alerts: [{ threshold: 80, type: "actual" as const }], emails: ["sirop@erable.ca"] }];
    expect(() => validateBudgetSpecs("budgets", spec("CAD"))).not.toThrow();
    expect(() => validateBudgetSpecs("budgets", spec("CAX"))).toThrow(/budgets: budgets\[0\]\.currency: expected an ISO 4217 code/);
    expect(() => validateBudgetSpecs("budgets", spec("cad"))).toThrow(`budgets: budgets[0].currency: expected an ISO 4217 code (did you mean "CAD"?), got "cad"`);
  });

  it("refuses rates that are not above 0, in every form", () => {
    for (const rate of ["0", "-1.5", '"0"', '"0.000"', '"-1"', ".inf", ".nan", '"1e3"', '"abc"', "[1]"]) {
      expect(problemsOf(maple(`currency: CAD\nexchangeRates: { EUR: ${rate} }`))[0], rate).toMatch(/exchangeRates\.EUR: expected a rate above 0, as a number or a decimal string/);
    }
  });

  it("refuses a YAML number with more digits than a number holds, naming the key and the quoted fix", () => {
    expect(problemsOf(maple("currency: CAD\nexchangeRates: { EUR: 1.5123456789012345678 }"))).toEqual([
      `maple.yaml:3:23: exchangeRates.EUR: the number 1.5123456789012345678 has more digits than allot reads exactly from a YAML number (it would become 1.5123456789012346); quote it ("1.5123456789012345678") where the key takes a decimal string (exchangeRates, adjustment amounts), or write fewer digits`,
    ]);
    expect(problemsOf(maple("currency: CAD\nexchangeRates: { EUR: 1e-400 }"))[0]).toMatch(/exchangeRates\.EUR: the number 1e-400 has more digits .*\(it would become 0\)/);
    expect(problemsOf(maple("currency: CAD").replace("budget: 2500", "budget: 12345678901234567890"))[0]).toMatch(/org\.units\[0\]\.teams\[0\]\.budget: the number 12345678901234567890 has more digits/);
  });

  it("keeps every code's symbol apart: no two currencies print the same", () => {
    const symbols = CURRENCY_CODES.map(currencySymbol);
    expect(new Set(symbols).size).toBe(CURRENCY_CODES.length);
    expect(formatMoney(new Decimal("1234.5"), "CAD")).toBe("CA$1,234.50");
    expect(formatMoney(new Decimal("-1234.5"), "AUD")).toBe("-A$1,234.50");
    expect(formatMoney(new Decimal("1234.5"), "USD")).toBe("$1,234.50");
    expect(formatMoney(new Decimal("1234.5"), "SGD")).toBe("SGD 1,234.50");
    expect(formatMoney(new Decimal("1234.5"), "KWD")).toBe("KWD 1,234.500");
    expect(["NZD", "HKD", "MXN", "TWD"].map((c) => formatMoney(new Decimal(1), c))).toEqual(["NZ$1.00", "HK$1.00", "MX$1.00", "NT$1.00"]);
  });
});
