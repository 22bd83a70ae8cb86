// The report's AI and GPU section, and the unit economics a dashboard can chart: metered usage priced at
// the rate card, scaled per model to what the bill charged where a pool was reconciled, by team, product,
// feature and model, with calls, customers and the cost per call, per customer and per 1K tokens.
import { budgetUse, changePercent, percentOf, type BudgetStatus, type CostModel } from "../../model";
import type { Reconciliation } from "../allocate/engine";
import { Decimal, minorUnits, shownAmount, shownAmounts, shownChange, sumOf } from "../money";
import type { Metering, MeteredUsage } from "./metering";

export interface AiSection {
  reconciliation: { rule: string; billed: string; metered: string; difference: string; differencePct: number | null }[];
  teams: { team: string; cost: string; calls: string; customers: number; costPerCall: string | null }[];
  products: {
    product: string;
    teams: string[];
    cost: string;
    calls: string;
    customers: number;
    tokens: string;
    costPerCall: string | null;
    costPerCustomer: string | null;
    costPer1KTokens: string | null;
    callsPerDollar: string | null;
    /** 1 = most calls per dollar. */
    efficiencyRank: number | null;
    budget: string | null;
    status: BudgetStatus | null;
    lastMonth: string | null;
    changePct: number | null;
  }[];
  features: { product: string; feature: string; cost: string; calls: string; costPerCall: string | null }[];
  crossTeam: { product: string; team: string; calls: string; cost: string }[];
  gpu: { team: string; workload: string; gpuType: string; hours: string; cost: string }[];
  models: { model: string; tokens: string; cost: string; costPer1KTokens: string | null }[];
}

const zero = new Decimal(0);
const per = (cost: Decimal, by: Decimal, digits = 6) => (by.isZero() ? null : cost.dividedBy(by).toSignificantDigits(digits).toFixed());
const sumBy = <T>(items: readonly T[], key: (t: T) => string, value: (t: T) => Decimal) => {
  const map = new Map<string, Decimal>();
  for (const t of items) map.set(key(t), (map.get(key(t)) ?? zero).plus(value(t)));
  return map;
};
const tokensOf = (r: MeteredUsage) => r.inputTokens.plus(r.outputTokens).plus(r.cachedTokens);

/**
 * Cost of each usage row: its rate-card cost, scaled by billed / metered for models whose pool was
 * reconciled in the month, so the section adds up to what the bill charged for them.
 */
function costed(metering: Metering, month: string, reconciliation: readonly Reconciliation[], pooledModels: ReadonlyMap<string, readonly string[] | undefined>) {
  const scale = new Map<string, Decimal>();
  for (const r of reconciliation.filter((x) => x.month === month && !x.metered.isZero())) {
    const models = pooledModels.get(r.rule) ?? [...new Set(metering.rows.filter((m) => m.month === month).map((m) => m.model))];
    for (const m of models) scale.set(m, r.billed.dividedBy(r.metered));
  }
  return metering.rows.filter((r) => r.month === month).map((r) => ({ ...r, billed: r.cost.times(scale.get(r.model) ?? 1) }));
}

/** `previousMonth` null: no month to compare with (lastMonth and changePct null). */
export function aiSection(model: CostModel, month: string, previousMonth: string | null, metering: Metering, reconciliation: readonly Reconciliation[]): AiSection {
  const amount = (d: Decimal) => shownAmount(d, model.currency);
  const pooled = new Map(model.allocationRules.filter((r) => r.method === "activity" && r.driver === "metering").map((r) => [r.name, r.method === "activity" ? r.models : undefined]));
  const rows = costed(metering, month, reconciliation, pooled);
  const before = previousMonth === null ? [] : costed(metering, previousMonth, reconciliation, pooled);
  const llm = rows.filter((r) => r.kind === "llm");
  const budgets = model.input.ai?.productBudgets ?? {};
  const lastByProduct = sumBy(before, (r) => r.product, (r) => r.billed);

  // Rounded once, as a tree's leaves: each cell of team, product, feature, model (or GPU type) and kind is
  // shown by largest remainder so the cells add up to the month's AI cost, and every table's row is the sum
  // of its shown cells. So the tables add up, and a figure in two tables (a team with one product, a GPU
  // workload and its feature) reads the same in both. Per-unit figures come from the exact costs.
  const currency = model.currency;
  const cellKey = (r: (typeof rows)[number]) => JSON.stringify([r.team, r.product, r.feature, r.model, r.kind]);
  const cellCosts = [...sumBy(rows, cellKey, (r) => r.billed)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const cells = shownAmounts(cellCosts.map(([, cost]) => cost), currency).map((shown, i) => {
    const [team, product, feature, name, kind] = JSON.parse(cellCosts[i]![0]) as [string, string, string, string, string];
    return { team, product, feature, model: name, kind, shown: new Decimal(shown) };
  });
  type Cell = (typeof cells)[number];
  const shownOf = (pick: (c: Cell) => boolean) => sumOf(cells.filter(pick).map((c) => c.shown)).toFixed(minorUnits(currency));
  const teamNames = [...new Set(rows.map((r) => r.team))].sort();
  const teams = teamNames.map((team) => {
    const own = rows.filter((r) => r.team === team);
    const cost = sumOf(own.map((r) => r.billed));
    const calls = sumOf(own.map((r) => r.calls));
    return { team, cost: shownOf((c) => c.team === team), calls: calls.toFixed(), customers: metering.customers(month, { team }), costPerCall: per(cost, calls) };
  });
  const productNames = [...new Set(rows.map((r) => r.product))].sort();
  const productCosts = productNames.map((product) => sumOf(rows.filter((r) => r.product === product).map((r) => r.billed)));
  const unranked = productNames.map((product, i) => {
    const own = rows.filter((r) => r.product === product);
    const cost = productCosts[i]!;
    const calls = sumOf(own.map((r) => r.calls));
    const tokens = sumOf(own.map(tokensOf));
    const customers = metering.customers(month, { product });
    const budget = budgets[product];
    const last = lastByProduct.get(product);
    return {
      product,
      teams: [...new Set(own.map((r) => r.team))].sort(),
      cost: shownOf((c) => c.product === product),
      calls: calls.toFixed(),
      customers,
      tokens: tokens.toFixed(),
      costPerCall: per(cost, calls),
      // An amount per customer, shown as amounts are (six significant digits would drop fils or cents above 10,000).
      costPerCustomer: customers === 0 ? null : amount(cost.dividedBy(customers)),
      costPer1KTokens: per(cost.times(1000), tokens),
      callsPerDollar: calls.isZero() ? null : per(calls, cost),
      budget: budget === undefined ? null : amount(new Decimal(String(budget))),
      status: budget === undefined ? null : budgetUse(model, cost, new Decimal(String(budget))).status,
      lastMonth: last ? amount(last) : null,
      changePct: changePercent(cost, last, 1),
    };
  });
  // Efficiency: most calls per dollar first; products without calls (GPU workloads) are not ranked.
  const ranked = unranked.filter((p) => p.callsPerDollar !== null).sort((a, b) => new Decimal(b.callsPerDollar!).comparedTo(a.callsPerDollar!) || a.product.localeCompare(b.product));
  const products = unranked.map((p) => ({ ...p, efficiencyRank: p.callsPerDollar === null ? null : ranked.indexOf(p) + 1 }));
  const features = [...sumBy(rows, (r) => JSON.stringify([r.product, r.feature]), (r) => r.billed)].sort(([a], [b]) => a.localeCompare(b)).map(([key, cost]) => {
    const [product, feature] = JSON.parse(key) as [string, string];
    const calls = sumOf(rows.filter((r) => r.product === product && r.feature === feature).map((r) => r.calls));
    return { product, feature, cost: shownOf((c) => c.product === product && c.feature === feature), calls: calls.toFixed(), costPerCall: per(cost, calls) };
  });
  const crossTeam = [...sumBy(llm, (r) => JSON.stringify([r.product, r.team]), (r) => r.billed)].sort(([a], [b]) => a.localeCompare(b)).map(([key]) => {
    const [product, team] = JSON.parse(key) as [string, string];
    return { product, team, calls: sumOf(llm.filter((r) => r.product === product && r.team === team).map((r) => r.calls)).toFixed(), cost: shownOf((c) => c.kind === "llm" && c.product === product && c.team === team) };
  });
  const gpuRows = rows.filter((r) => r.kind === "gpu");
  const gpu = [...new Set(gpuRows.map((r) => JSON.stringify([r.team, r.feature, r.model])))].sort().map((key) => {
    const [team, workload, gpuType] = JSON.parse(key) as [string, string, string];
    const own = gpuRows.filter((r) => r.team === team && r.feature === workload && r.model === gpuType);
    return { team, workload, gpuType, hours: sumOf(own.map((r) => r.gpuHours)).toDecimalPlaces(1).toFixed(1), cost: shownOf((c) => c.kind === "gpu" && c.team === team && c.feature === workload && c.model === gpuType) };
  });
  const models = [...new Set(llm.map((r) => r.model))].sort().map((name) => {
    const own = llm.filter((r) => r.model === name);
    const cost = sumOf(own.map((r) => r.billed));
    const tokens = sumOf(own.map(tokensOf));
    return { model: name, tokens: tokens.toFixed(), cost: shownOf((c) => c.kind === "llm" && c.model === name), costPer1KTokens: per(cost.times(1000), tokens) };
  });
  return {
    reconciliation: reconciliation.filter((r) => r.month === month).map((r) => ({
      rule: r.rule, billed: amount(r.billed), metered: amount(r.metered), difference: shownChange(r.metered, r.billed, model.currency),
      differencePct: percentOf(r.difference, r.billed, 1),
    })),
    teams,
    products,
    features,
    crossTeam,
    gpu,
    models,
  };
}
