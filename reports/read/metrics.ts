// Usage metrics that drive proportional, weighted and activity-based splits: a CSV (or Parquet) of
// date, metric, team, kind, quantity, read by the side-input loader and summed by DuckDB per month,
// metric, target and kind.
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError, type CostModel } from "../../model";
import { Decimal } from "../money";
import { firstBadRecord, openSideInput, querySideInput } from "./side-input";

export interface Metrics {
  /** Quantity of `metric` for `target` in `month` (all kinds, or one kind), or undefined when absent. */
  get(month: string, metric: string, target: string, kind?: string): Decimal | undefined;
  /** The targets with a value for `metric` in `month`. */
  targets(month: string, metric: string): string[];
  /** The kinds of `metric` recorded for `target` in `month`. */
  kinds(month: string, metric: string, target: string): string[];
  readonly file?: string;
}

export const noMetrics: Metrics = { get: () => undefined, targets: () => [], kinds: () => [] };

export async function loadMetrics(db: DuckDBConnection, file: string, model: CostModel): Promise<Metrics> {
  const input = await openSideInput(db, file, { what: "metrics file", columns: ["date", "metric", "team", "kind", "quantity"], required: ["date", "metric", "team", "quantity"], formats: ["csv", "parquet"] });
  const bad = await firstBadRecord(db, input, [
    "TRY_CAST(quantity AS DECIMAL(38,10)) IS NULL OR TRY_CAST(quantity AS DECIMAL(38,10)) < 0",
    "TRY_CAST(left(date, 7) || '-01' AS DATE) IS NULL",
  ]);
  if (bad) throw new UserError(`${file}:${String(bad.line)}: expected a date (YYYY-MM-DD or YYYY-MM) and a quantity of 0 or more, got ${JSON.stringify(bad.date)} and ${JSON.stringify(bad.quantity)}`);
  const rows = await querySideInput(
    db,
    input,
    `SELECT left(date, 7) AS month, metric, team AS target, COALESCE(kind, '') AS kind, CAST(SUM(CAST(quantity AS DECIMAL(38,10))) AS VARCHAR) AS quantity
     FROM (${input.records}) GROUP BY ALL ORDER BY ALL`,
  );
  const known = new Set([...model.teams.keys(), ...model.units.map((u) => u.id), ...model.projects.keys()]);
  const records = rows.map((r) => ({ month: String(r.month), metric: String(r.metric), target: String(r.target), kind: String(r.kind), quantity: new Decimal(String(r.quantity)) }));
  for (const r of records) {
    if (!known.has(r.target)) throw new UserError(`${file}: metric ${r.metric} names "${r.target}", which is not a team, unit or project in ${model.file}; fix the name or add it to org`);
  }
  return metricsFromRecords(records, file);
}

export interface MetricRecord {
  month: string;
  metric: string;
  target: string;
  kind?: string;
  quantity: Decimal;
}

/** Metrics from records already in memory (tests and callers that meter in code). */
export function metricsFromRecords(records: readonly MetricRecord[], file?: string): Metrics {
  const values = new Map<string, Decimal>();
  const targets = new Map<string, Set<string>>();
  const kinds = new Map<string, Set<string>>();
  // Keys as JSON arrays: no character in a metric, team or kind name can make two keys collide.
  const key = (...parts: string[]) => JSON.stringify(parts);
  const addTo = (map: Map<string, Set<string>>, key: string, value: string) => (map.get(key) ?? map.set(key, new Set()).get(key)!).add(value);
  for (const { month, metric, target, kind = "", quantity } of records) {
    const add = (k: string) => values.set(k, (values.get(k) ?? new Decimal(0)).plus(quantity));
    add(key(month, metric, target, ""));
    if (kind !== "") {
      add(key(month, metric, target, kind));
      addTo(kinds, key(month, metric, target), kind);
    }
    addTo(targets, key(month, metric), target);
  }
  return {
    ...(file ? { file } : {}),
    get: (month, metric, target, kind) => values.get(key(month, metric, target, kind ?? "")),
    targets: (month, metric) => [...(targets.get(key(month, metric)) ?? [])].sort(),
    kinds: (month, metric, target) => [...(kinds.get(key(month, metric, target)) ?? [])].sort(),
  };
}
