// The AI usage metering log: records from an LLM gateway or application logs (CSV, JSON lines or
// Parquet) of time, team (organisation), product, feature, customer, model, input/output/cached tokens,
// calls and optionally GPU type and seconds. Read by the side-input loader, validated record by record,
// summed by DuckDB per month, team, product, feature and model; ai/metering.ts prices the sums.
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../../model";
import { Decimal } from "../money";
import { firstBadRecord, openSideInput, querySideInput } from "./side-input";

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

export interface MeteringLog {
  file: string;
  /** Usage summed per month, team, product, feature and model; `cost` is zero until priced. */
  usage: MeteredUsage[];
  /** Distinct customers in a month, of one team or one product when given. */
  customers(month: string, filter?: { team: string; product?: undefined } | { team?: undefined; product: string }): number;
}

const COLUMNS = ["time", "team", "product", "feature", "customer", "model", "input_tokens", "output_tokens", "cached_tokens", "calls", "gpu_type", "gpu_seconds"] as const;
const COUNTS = ["input_tokens", "output_tokens", "cached_tokens", "calls"] as const;
/** Digits a count of one record may have: a quadrillion tokens is far above any real record, and sums stay inside HUGEINT. */
const MAX_COUNT_DIGITS = 15;

export async function readMeteringLog(db: DuckDBConnection, file: string): Promise<MeteringLog> {
  const input = await openSideInput(db, file, { what: "metering log", columns: COLUMNS, required: ["time", "team"], formats: ["csv", "jsonl", "parquet"] });
  if (!input.present.has("model") && !input.present.has("gpu_type")) throw new UserError(`${file}: the metering log needs the columns model or gpu_type (found ${[...input.present].join(", ")})`);
  const checks = [
    `TRY_CAST(time AS TIMESTAMP) IS NULL AND TRY_CAST(time AS DATE) IS NULL`,
    `team IS NULL OR trim(team) = ''`,
    `(model IS NULL OR trim(model) = '') AND (gpu_type IS NULL OR trim(gpu_type) = '')`,
    // An LLM record must say its input and output tokens and calls; any count given must be a whole number >= 0.
    ...COUNTS.filter((c) => c !== "cached_tokens").map((c) => `model IS NOT NULL AND trim(model) <> '' AND ${c} IS NULL`),
    ...COUNTS.map((c) => `${c} IS NOT NULL AND (NOT regexp_matches(trim(${c}), '^[0-9]+$') OR length(ltrim(trim(${c}), '0')) > ${MAX_COUNT_DIGITS})`),
    `gpu_seconds IS NOT NULL AND (TRY_CAST(gpu_seconds AS DECIMAL(38,6)) IS NULL OR TRY_CAST(gpu_seconds AS DECIMAL(38,6)) < 0)`,
  ];
  const bad = await firstBadRecord(db, input, checks);
  if (bad) throw new UserError(`${file}:${String(bad.line)}: ${describeBadRow(bad)}; fix the record (token counts and calls are whole numbers of 0 or more)`);

  const base = input.records;
  const month = `strftime(COALESCE(TRY_CAST(time AS TIMESTAMP), CAST(TRY_CAST(time AS DATE) AS TIMESTAMP)), '%Y-%m')`;
  const sums = (await querySideInput(
    db,
    input,
    `SELECT ${month} AS month, trim(team) AS team, COALESCE(NULLIF(trim(product), ''), '(none)') AS product, COALESCE(NULLIF(trim(feature), ''), '(none)') AS feature,
       COALESCE(NULLIF(trim(model), ''), trim(gpu_type)) AS model, CASE WHEN NULLIF(trim(model), '') IS NULL THEN 'gpu' ELSE 'llm' END AS kind,
       CAST(SUM(CAST(trim(COALESCE(input_tokens, '0')) AS HUGEINT)) AS VARCHAR) AS input, CAST(SUM(CAST(trim(COALESCE(output_tokens, '0')) AS HUGEINT)) AS VARCHAR) AS output,
       CAST(SUM(CAST(trim(COALESCE(cached_tokens, '0')) AS HUGEINT)) AS VARCHAR) AS cached, CAST(SUM(CAST(trim(COALESCE(calls, '0')) AS HUGEINT)) AS VARCHAR) AS calls,
       CAST(SUM(CAST(COALESCE(gpu_seconds, '0') AS DECIMAL(38,6))) AS VARCHAR) AS gpu_seconds, COUNT(DISTINCT customer) AS customers
     FROM (${base}) GROUP BY ALL ORDER BY ALL`,
  ));
  // Distinct customers per month, and per team and per product within it, counted by DuckDB.
  const customerCounts = new Map(
    (await querySideInput(
      db,
      input,
      `SELECT month, team, product, COUNT(DISTINCT customer) AS n FROM (SELECT ${month} AS month, trim(team) AS team, COALESCE(NULLIF(trim(product), ''), '(none)') AS product, trim(customer) AS customer
         FROM (${base}) WHERE customer IS NOT NULL AND trim(customer) <> '') GROUP BY GROUPING SETS ((month), (month, team), (month, product))`,
    )).map((r) => [customerKey(String(r.month), r.team === null ? undefined : String(r.team), r.product === null ? undefined : String(r.product)), Number(r.n)]),
  );

  const usage = sums.map((r): MeteredUsage => ({
    month: String(r.month), team: String(r.team), product: String(r.product), feature: String(r.feature), model: String(r.model), kind: String(r.kind) as "llm" | "gpu",
    inputTokens: new Decimal(String(r.input)), outputTokens: new Decimal(String(r.output)), cachedTokens: new Decimal(String(r.cached)), calls: new Decimal(String(r.calls)),
    gpuHours: new Decimal(String(r.gpu_seconds)).dividedBy(3600), customers: Number(r.customers), cost: new Decimal(0),
  }));
  return { file, usage, customers: (m, filter) => customerCounts.get(customerKey(m, filter?.team, filter?.product)) ?? 0 };
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

