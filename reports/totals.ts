// Amounts keyed by a name (a team, a service, a reason): one type that owns its add, total and order, so
// no section rebuilds a map with its own `add`. Sums loop; they never spread one argument per entry, so
// any number of groups fits.
import { Decimal, sumOf } from "./money";

export { sumOf };

const ZERO = new Decimal(0);
/** Bill amounts have up to 38 digits; money.ts sets decimal.js to 60, so additions here never round. */
const plus = (a: Decimal, b: Decimal) => a.plus(b);

export class Totals extends Map<string, Decimal> {
  /** Totals of `amount` per `key` over items; items whose key is null or undefined are left out. */
  static of<T>(items: Iterable<T>, key: (item: T) => string | null | undefined, amount: (item: T) => Decimal): Totals {
    const totals = new Totals();
    for (const item of items) {
      const k = key(item);
      if (k !== null && k !== undefined) totals.add(k, amount(item));
    }
    return totals;
  }

  add(key: string, amount: Decimal): this {
    return this.set(key, plus(this.get(key) ?? ZERO, amount));
  }

  /** The amount for a key, zero when it has none. */
  amount(key: string): Decimal {
    return this.get(key) ?? ZERO;
  }

  total(): Decimal {
    return sumOf(this.values());
  }

  /** Entries by amount, largest first, ties by key: the order tables show. */
  ranked(): [string, Decimal][] {
    return [...this].sort(([a, x], [b, y]) => y.comparedTo(x) || (a < b ? -1 : a > b ? 1 : 0));
  }
}
