// AI usage metering: records from an LLM gateway or application logs (CSV, JSON lines or Parquet) of time,
// team (organisation), product, feature, customer, model, input/output/cached tokens, calls and optionally
// GPU type and seconds. Validated row by row, summed by DuckDB, priced with allot.yaml's ai rate card
// (per 1M tokens, volume tiers over the month; per GPU hour), exactly.
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError, type CostModel } from "../../model";
import { Decimal } from "../money";
import { literalPath, sqlString } from "../read/duckdb";

export interface MeteredUsage {
  month: string;
  team: string;
  product: string;
  feature: string;
  /** The model, or the GPU type for GPU usage. */
  model: string;
  kind: "llm" | "gpu";
  inputTokens: Decimal;
  outputTokens: Decimal;
  cachedTokens: Decimal;
  calls: Decimal;
  gpuHours: Decimal;
  customers: number;
  /** The usage priced at the rate card. */
  cost: Decimal;
}

export interface Metering {
  file: string;
  rows: MeteredUsage[];
  /** Distinct customers in a month, of one team or one product when given. */
  customers(month: string, filter?: { team: string; product?: undefined } | { team?: undefined; product: string }): number;
  /** Metered cost per team in a month, for the given models and GPU types (all when omitted). */
  costByTeam(month: string, models?: readonly string[]): Map<string, Decimal>;
}

const COLUMNS = ["time", "team", "product", "feature", "customer", "model", "input_tokens", "output_tokens", "cached_tokens", "calls", "gpu_type", "gpu_seconds"] as const;
const COUNTS = ["input_tokens", "output_tokens", "cached_tokens", "calls"] as const;
const ONE_MILLION = new Decimal(1_000_000);
/** Digits a count of one record may have: a quadrillion tokens is far above any real record, and sums stay inside HUGEINT. */
const MAX_COUNT_DIGITS = 15;

function scanOf(file: string): { scan: string; field: (name: string) => string } {
  if (/\.parquet$/i.test(file)) return { scan: `read_parquet(${literalPath(file)})`, field: (n) => `CAST("${n}" AS VARCHAR)` };
  if (/\.(jsonl|ndjson|json)(\.gz)?$/i.test(file)) return { scan: `read_ndjson_objects(${literalPath(file)})`, field: (n) => `json_extract_string(json, ${sqlString(`$.${n}`)})` };
  return { scan: `read_csv(${literalPath(file)}, header = true, all_varchar = true)`, field: (n) => `"${n}"` };
}

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

export async function loadMetering(db: DuckDBConnection, file: string, model: CostModel): Promise<Metering> {
  const { scan, field } = scanOf(file);
  let columns: string[];
  try {
    columns = /\.(jsonl|ndjson|json)(\.gz)?$/i.test(file)
      ? Object.keys(JSON.parse(String((await db.runAndReadAll(`SELECT json FROM ${scan} LIMIT 1`)).getRowObjectsJS()[0]?.json ?? "{}")) as object)
      : (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${scan}`)).getRowObjectsJS().map((r) => String(r.column_name));
  } catch (error) {
    throw new UserError(`${file}: cannot read the metering log (${(error as Error).message.split("\n")[0]}); expected CSV, JSON lines or Parquet with ${COLUMNS.join(", ")}`);
  }
  const missing = ["time", "team", "model"].filter((c) => !columns.includes(c) && !(c === "model" && columns.includes("gpu_type")));
  if (missing.length > 0) throw new UserError(`${file}: the metering log needs the columns ${missing.join(", ")} (found ${columns.join(", ")})`);
  const col = (name: string) => (columns.includes(name) ? field(name) : "NULL");
  const base = `SELECT row_number() OVER () + ${/\.(csv|tsv)(\.gz)?$/i.test(file) ? 1 : 0} AS line, ${COLUMNS.map((c) => `${col(c)} AS ${c}`).join(", ")} FROM ${scan}`;

  const checks = [
    `TRY_CAST(time AS TIMESTAMP) IS NULL AND TRY_CAST(time AS DATE) IS NULL`,
    `team IS NULL OR trim(team) = ''`,
    `(model IS NULL OR trim(model) = '') AND (gpu_type IS NULL OR trim(gpu_type) = '')`,
    // An LLM record must say its input and output tokens and calls; any count given must be a whole number >= 0.
    ...COUNTS.filter((c) => c !== "cached_tokens").map((c) => `model IS NOT NULL AND trim(model) <> '' AND ${c} IS NULL`),
    ...COUNTS.map((c) => `${c} IS NOT NULL AND (NOT regexp_matches(trim(${c}), '^[0-9]+$') OR length(ltrim(trim(${c}), '0')) > ${MAX_COUNT_DIGITS})`),
    `gpu_seconds IS NOT NULL AND (TRY_CAST(gpu_seconds AS DECIMAL(38,6)) IS NULL OR TRY_CAST(gpu_seconds AS DECIMAL(38,6)) < 0)`,
  ];
  const [bad] = (await db.runAndReadAll(`SELECT * FROM (${base}) WHERE ${checks.map((c) => `(${c})`).join(" OR ")} LIMIT 1`)).getRowObjectsJS();
  if (bad) throw new UserError(`${file}:${String(bad.line)}: ${describeBadRow(bad)}; fix the record (token counts and calls are whole numbers of 0 or more)`);

  const month = `strftime(COALESCE(TRY_CAST(time AS TIMESTAMP), CAST(TRY_CAST(time AS DATE) AS TIMESTAMP)), '%Y-%m')`;
  const sums = (await db.runAndReadAll(
    `SELECT ${month} AS month, trim(team) AS team, COALESCE(NULLIF(trim(product), ''), '(none)') AS product, COALESCE(NULLIF(trim(feature), ''), '(none)') AS feature,
       COALESCE(NULLIF(trim(model), ''), trim(gpu_type)) AS model, CASE WHEN NULLIF(trim(model), '') IS NULL THEN 'gpu' ELSE 'llm' END AS kind,
       CAST(SUM(CAST(trim(COALESCE(input_tokens, '0')) AS HUGEINT)) AS VARCHAR) AS input, CAST(SUM(CAST(trim(COALESCE(output_tokens, '0')) AS HUGEINT)) AS VARCHAR) AS output,
       CAST(SUM(CAST(trim(COALESCE(cached_tokens, '0')) AS HUGEINT)) AS VARCHAR) AS cached, CAST(SUM(CAST(trim(COALESCE(calls, '0')) AS HUGEINT)) AS VARCHAR) AS calls,
       CAST(SUM(CAST(COALESCE(gpu_seconds, '0') AS DECIMAL(38,6))) AS VARCHAR) AS gpu_seconds, COUNT(DISTINCT customer) AS customers
     FROM (${base}) GROUP BY ALL ORDER BY ALL`,
  )).getRowObjectsJS();
  // Distinct customers per month, and per team and per product within it, counted by DuckDB.
  const customerCounts = new Map(
    (await db.runAndReadAll(
      `SELECT month, team, product, COUNT(DISTINCT customer) AS n FROM (SELECT ${month} AS month, trim(team) AS team, COALESCE(NULLIF(trim(product), ''), '(none)') AS product, trim(customer) AS customer
         FROM (${base}) WHERE customer IS NOT NULL AND trim(customer) <> '') GROUP BY GROUPING SETS ((month), (month, team), (month, product))`,
    )).getRowObjectsJS().map((r) => [customerKey(String(r.month), r.team === null ? undefined : String(r.team), r.product === null ? undefined : String(r.product)), Number(r.n)]),
  );

  const rows = price(
    model,
    file,
    sums.map((r) => ({
      month: String(r.month), team: String(r.team), product: String(r.product), feature: String(r.feature), model: String(r.model), kind: String(r.kind) as "llm" | "gpu",
      inputTokens: new Decimal(String(r.input)), outputTokens: new Decimal(String(r.output)), cachedTokens: new Decimal(String(r.cached)), calls: new Decimal(String(r.calls)),
      gpuHours: new Decimal(String(r.gpu_seconds)).dividedBy(3600), customers: Number(r.customers), cost: new Decimal(0),
    })),
  );
  return {
    file,
    rows,
    customers: (m, filter) => customerCounts.get(customerKey(m, filter?.team, filter?.product)) ?? 0,
    costByTeam: (m, models) => {
      const costs = new Map<string, Decimal>();
      for (const r of rows) if (r.month === m && (!models || models.includes(r.model))) costs.set(r.team, (costs.get(r.team) ?? new Decimal(0)).plus(r.cost));
      return costs;
    },
  };
}

const customerKey = (month: string, team?: string, product?: string) => JSON.stringify([month, team ?? null, product ?? null]);

function describeBadRow(r: Record<string, unknown>): string {
  const shown = (v: unknown) => JSON.stringify(v === null ? "" : v);
  if (r.time === null || Number.isNaN(Date.parse(String(r.time)))) return `time ${shown(r.time)} is not a date or timestamp`;
  if (r.team === null || String(r.team).trim() === "") return "team is missing";
  if ((r.model === null || String(r.model).trim() === "") && (r.gpu_type === null || String(r.gpu_type).trim() === "")) return "neither model nor gpu_type is given";
  for (const c of COUNTS) {
    const v = r[c];
    if (v === null && c !== "cached_tokens" && r.model !== null && String(r.model).trim() !== "") return `${c} is missing`;
    if (v !== null && v !== undefined && !/^\d+$/.test(String(v).trim())) return `${c} ${shown(v)} is not a whole number of 0 or more`;
    if (v !== null && v !== undefined && String(v).trim().replace(/^0+/, "").length > MAX_COUNT_DIGITS) return `${c} ${shown(v)} has more than ${MAX_COUNT_DIGITS} digits, beyond any real record; it is likely corrupt`;
  }
  return `gpu_seconds ${shown(r.gpu_seconds)} is not a number of 0 or more`;
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
      const total = Decimal.sum(0, ...members.map((r) => r[field]));
      if (total.isZero()) continue;
      const cost = tieredCost(total, type === "cached" ? (prices.cached ?? prices.input) : prices[type]);
      for (const r of members) r.cost = r.cost.plus(cost.times(r[field]).dividedBy(total));
    }
  }
  return rows;
}
