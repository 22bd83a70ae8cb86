// AI usage priced with allot.yaml's ai rate card: per 1M tokens with volume tiers over the month, per
// GPU hour, exactly. The log itself is read by read/metering.ts.
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError, type CostModel } from "../../model";
import { Decimal, sumOf } from "../money";
import { readMeteringLog, type MeteredUsage, type MeteringLog } from "../read/metering";

export type { MeteredUsage } from "../read/metering";

export interface Metering {
  file: string;
  rows: MeteredUsage[];
  customers: MeteringLog["customers"];
  /** Metered cost per team in a month, for the given models and GPU types (all when omitted). */
  costByTeam(month: string, models?: readonly string[]): Map<string, Decimal>;
}

const ONE_MILLION = new Decimal(1_000_000);

type Tier = { upTo?: number; per1M: number };
const tiersOf = (price: number | Tier[]): Tier[] => (typeof price === "number" ? [{ per1M: price }] : price);

/** The cost of `tokens` of one model and type in a month, over volume tiers (marginal, like tax brackets). */
export function tieredCost(tokens: Decimal, price: number | Tier[]): Decimal {
  let cost = new Decimal(0);
  let from = new Decimal(0);
  for (const tier of tiersOf(price)) {
    const to = tier.upTo === undefined ? undefined : new Decimal(tier.upTo);
    const top = to === undefined || tokens.lessThan(to) ? tokens : to;
    if (top.greaterThan(from)) cost = cost.plus(top.minus(from).times(tier.per1M).dividedBy(ONE_MILLION));
    if (to === undefined || tokens.lessThanOrEqualTo(to)) break;
    from = to;
  }
  return cost;
}

/** The metering log priced at the model's rate card. */
export function priceMetering(model: CostModel, log: MeteringLog): Metering {
  const rows = price(model, log.file, log.usage);
  return {
    file: log.file,
    rows,
    customers: log.customers,
    costByTeam: (m, models) => {
      const costs = new Map<string, Decimal>();
      for (const r of rows) if (r.month === m && (!models || models.includes(r.model))) costs.set(r.team, (costs.get(r.team) ?? new Decimal(0)).plus(r.cost));
      return costs;
    },
  };
}

/** Reads and prices the metering log. */
export async function loadMetering(db: DuckDBConnection, file: string, model: CostModel): Promise<Metering> {
  return priceMetering(model, await readMeteringLog(db, file));
}

/**
 * Prices the month's usage: each model's tokens of each type are summed over every team, priced over the
 * volume tiers, and the cost shared back by tokens; GPU hours at the GPU type's hourly price.
 */
function price(model: CostModel, file: string, rows: MeteredUsage[]): MeteredUsage[] {
  const card = model.input.ai ?? {};
  const types = [["inputTokens", "input"], ["outputTokens", "output"], ["cachedTokens", "cached"]] as const;
  const groups = new Map<string, MeteredUsage[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.month, r.kind, r.model]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const members of groups.values()) {
    const { kind, model: name } = members[0]!;
    if (kind === "gpu") {
      const hourly = card.gpus?.[name];
      if (hourly === undefined) throw new UserError(`${file}: GPU type "${name}" has no price; add it to ai.gpus in ${model.file}`);
      for (const r of members) r.cost = r.gpuHours.times(hourly);
      continue;
    }
    const prices = card.models?.[name];
    if (!prices) throw new UserError(`${file}: model "${name}" has no price; add it to ai.models in ${model.file}`);
    for (const [field, type] of types) {
      const total = sumOf(members.map((r) => r[field]));
      if (total.isZero()) continue;
      const cost = tieredCost(total, type === "cached" ? (prices.cached ?? prices.input) : prices[type]);
      for (const r of members) r.cost = r.cost.plus(cost.times(r[field]).dividedBy(total));
    }
  }
  return rows;
}
