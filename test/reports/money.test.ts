import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal, roundLargestRemainder, shownAmount, shownAmounts, shownListPrice, shownListPrices, shownShares, shownWithin } from "../../reports/money";
import { formatMoney, formatPercent } from "../../reports/text/format";

const d = (values: string[]) => values.map((v) => new Decimal(v));
const strings = (values: Decimal[]) => values.map((v) => v.toFixed(2));

describe("roundLargestRemainder", () => {
  it("gives the leftover cent to the largest remainder", () => {
    expect(strings(roundLargestRemainder(d(["33.333", "33.333", "33.334"]), 2))).toEqual(["33.33", "33.33", "33.34"]);
    expect(strings(roundLargestRemainder(d(["0.005", "0.005", "0.005"]), 2))).toEqual(["0.01", "0.01", "0.00"]);
  });

  it("handles credits (negative parts)", () => {
    expect(strings(roundLargestRemainder(d(["-10.005", "20.004", "0.006"]), 2))).toEqual(["-10.00", "20.00", "0.01"]);
  });

  it("fails naive rounding where it leaks a cent, and conserves", () => {
    const parts = d(["0.335", "0.335", "0.330"]);
    const naive = Decimal.sum(...parts.map((p) => p.toDecimalPlaces(2, Decimal.ROUND_HALF_UP)));
    expect(naive.toFixed(2)).toBe("1.01");
    expect(Decimal.sum(...roundLargestRemainder(parts, 2)).toFixed(2)).toBe("1.00");
  });

  const amount = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((n) => new Decimal(n.toString()).dividedBy(1e6));
  it("property: rounded parts sum to the rounded total, each within one minor unit", () => {
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 3 }), (parts, places) => {
        const rounded = roundLargestRemainder(parts, places);
        const total = Decimal.sum(...parts).toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
        expect(Decimal.sum(...rounded).equals(total)).toBe(true);
        const unit = new Decimal(10).pow(-places);
        rounded.forEach((r, i) => {
          expect(r.minus(parts[i]!).abs().lessThan(unit)).toBe(true);
          expect(r.decimalPlaces()).toBeLessThanOrEqual(places);
        });
      }),
    );
  });
});

describe("formatMoney", () => {
  it("formats exact decimals with grouping and the currency's minor unit", () => {
    expect(formatMoney(new Decimal("1234567.895"), "USD")).toBe("$1,234,567.90");
    expect(formatMoney(new Decimal("-0.004"), "USD")).toBe("$0.00");
    expect(formatMoney(new Decimal("-12"), "EUR")).toBe("-€12.00");
    expect(formatMoney(new Decimal("1500.5"), "JPY")).toBe("¥1,501");
  });
});

describe("shownAmount: how every amount a person reads is rounded", () => {
  it("rounds once, half away from zero, to the currency's minor unit", () => {
    expect(shownAmount(new Decimal("1234.495"), "JPY")).toBe("1234");
    expect(shownAmount(new Decimal("1234.5"), "JPY")).toBe("1235");
    expect(shownAmount(new Decimal("1.2345"), "KWD")).toBe("1.235");
    expect(shownAmount(new Decimal("12"), "BHD")).toBe("12.000");
    expect(shownAmount(new Decimal("-2.005"), "USD")).toBe("-2.01");
    expect(shownAmount(new Decimal("-0.004"), "USD")).toBe("0.00");
    expect(formatMoney(new Decimal("1234.5678"), "KWD")).toBe("KWD 1,234.568");
  });

  it("must fail: it is not two places whatever the currency, nor rounded through two places first", () => {
    expect(shownAmount(new Decimal("1.2345"), "KWD")).not.toBe(new Decimal("1.2345").toFixed(2));
    expect(shownAmount(new Decimal("1234.495"), "JPY")).not.toBe(new Decimal(new Decimal("1234.495").toFixed(2)).toFixed(0, Decimal.ROUND_HALF_UP));
  });
});

describe("shownAmounts and shownListPrices: the parts of a whole as shown beside it", () => {
  // Three categories of a $1.00 month, each $0.335, $0.335 and $0.33: alone they show 0.34 + 0.34 + 0.33 = 1.01.
  const thirds = d(["0.335", "0.335", "0.330"]);

  it("add up to the whole shown, in the currency's minor unit, credits and yen too", () => {
    expect(shownAmounts(thirds, "USD")).toEqual(["0.34", "0.33", "0.33"]);
    expect(shownAmounts(d(["100.5", "100.5", "-0.4"]), "JPY")).toEqual(["101", "100", "0"]);
    expect(shownAmounts(d(["-0.004", "1"]), "USD")).toEqual(["0.00", "1.00"]);
    expect(shownListPrices(thirds)).toEqual(["0.34", "0.33", "0.33"]);
    // OpenCost amounts stay at two places in a yen org: the list prices are not in the bill's currency.
    expect(shownListPrices(d(["0.2", "0.4"]))).toEqual(["0.20", "0.40"]);
  });

  it("must fail: rounding each part alone (shownAmount, shownListPrice) shows a cent more than the whole", () => {
    const alone = thirds.map((p) => shownAmount(p, "USD"));
    expect(Decimal.sum(...alone.map((a) => new Decimal(a))).toFixed(2)).toBe("1.01");
    expect(Decimal.sum(...thirds.map((p) => new Decimal(shownListPrice(p)))).toFixed(2)).toBe("1.01");
    expect(Decimal.sum(...shownAmounts(thirds, "USD").map((a) => new Decimal(a))).toFixed(2)).toBe("1.00");
  });

  it("property: the shown parts add up to the shown whole, each within one minor unit of its amount", () => {
    const amount = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((n) => new Decimal(n.toString()).dividedBy(1e6));
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 30 }), fc.constantFrom("USD", "JPY", "KWD"), (parts, currency) => {
        const shown = shownAmounts(parts, currency).map((a) => new Decimal(a));
        expect(Decimal.sum(...shown).toFixed()).toBe(new Decimal(shownAmount(Decimal.sum(...parts), currency)).toFixed());
        const unit = new Decimal(10).pow(-({ USD: 2, JPY: 0, KWD: 3 } as Record<string, number>)[currency]!);
        shown.forEach((s, i) => expect(s.minus(parts[i]!).abs().lessThan(unit)).toBe(true));
      }),
    );
  });
});

describe("shownWithin: a part of each row (compliant within usage), never past the row as shown", () => {
  // Row A all compliant (1.005 of 1.005), row B barely (0.001 of 2.009). Usage shows 1.00 and 2.01 (3.01).
  const usage = d(["1.005", "2.009"]);
  const compliant = d(["1.005", "0.001"]);
  const usageShown = shownAmounts(usage, "USD");

  it("keeps an all-compliant row at its shown usage, and the column at the compliant total shown", () => {
    expect(usageShown).toEqual(["1.00", "2.01"]);
    expect(shownWithin(compliant, usage, usageShown, "USD")).toEqual(["1.00", "0.01"]);
    expect(shownWithin(d(["0", "2.009"]), usage, usageShown, "USD")).toEqual(["0.00", "2.01"]);
  });

  it("must fail: rounded as a column alone, row A's compliant 1.01 reads more than its usage 1.00", () => {
    expect(shownAmounts(compliant, "USD")).toEqual(["1.01", "0.00"]);
  });
});

describe("shownShares: the shares of a whole's parts, adding up to 100% as shown", () => {
  it("gives the leftover tenth to the largest remainder: three equal thirds read 33.4, 33.3, 33.3", () => {
    expect(shownShares(d(["1", "1", "1"]), new Decimal(3), 1)).toEqual([33.4, 33.3, 33.3]);
    expect(shownShares(d(["2", "-1", "1"]), new Decimal(2), 1)).toEqual([100, -50, 50]);
  });

  it("must fail: rounded alone they read 99.9%; parts that are not the whole, or a zero whole, are not forced to 100", () => {
    expect(d(["1", "1", "1"]).map((p) => p.times(100).dividedBy(3).toDecimalPlaces(1).toNumber()).reduce((a, b) => a + b)).toBeCloseTo(99.9);
    expect(shownShares(d(["1", "1"]), new Decimal(3), 1)).toEqual([33.3, 33.3]);
    expect(shownShares(d(["0", "0"]), new Decimal(0), 1)).toEqual([null, null]);
  });
});

describe("formatPercent writes a percentage, never rounds it", () => {
  it("writes one rounded to its places or fewer", () => {
    expect(formatPercent(80.25, 2)).toBe("80.25%");
    expect(formatPercent(80, 2)).toBe("80.00%");
    expect(formatPercent(4, 1, true)).toBe("+4.0%");
    expect(formatPercent(null)).toBe("n/a");
  });

  it("must fail: one with more places than it shows is a second rounding, refused (80.25 would show 80.3)", () => {
    expect(() => formatPercent(80.25, 1)).toThrow(/more than 1 decimal places/);
  });
});
