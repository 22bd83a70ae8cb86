// Usage metrics that drive proportional, weighted and activity-based splits: a CSV (or Parquet) of
// date, metric, team, kind, quantity, summed by DuckDB per month, metric, target and kind.
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError, type CostModel } from "../../model";
import { Decimal } from "../money";
import { literalPath } from "../read/duckdb";

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
  const scan = /\.parquet$/i.test(file) ? `read_parquet(${literalPath(file)})` : `read_csv(${literalPath(file)}, header = true, all_varchar = true)`;
  let rows: Record<string, unknown>[];
  try {
    const columns = (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${scan}`)).getRowObjectsJS().map((r) => String(r.column_name));
    const missing = ["date", "metric", "team", "quantity"].filter((c) => !columns.includes(c));
    if (missing.length > 0) throw new UserError(`${file}: metrics need the columns date, metric, team, kind, quantity; missing ${missing.join(", ")}`);
    const kind = columns.includes("kind") ? "COALESCE(CAST(kind AS VARCHAR), '')" : "''";
    const bad = (await db.runAndReadAll(`SELECT row_number() OVER () + 1 AS line, CAST(quantity AS VARCHAR) AS q, CAST(date AS VARCHAR) AS d FROM ${scan}
        QUALIFY TRY_CAST(quantity AS DECIMAL(38,10)) IS NULL OR TRY_CAST(quantity AS DECIMAL(38,10)) < 0 OR TRY_CAST(left(CAST(date AS VARCHAR), 7) || '-01' AS DATE) IS NULL LIMIT 1`)).getRowObjectsJS()[0];
    if (bad) throw new UserError(`${file}:${String(bad.line)}: expected a date (YYYY-MM-DD or YYYY-MM) and a quantity of 0 or more, got ${JSON.stringify(bad.d)} and ${JSON.stringify(bad.q)}`);
    rows = (await db.runAndReadAll(
      `SELECT left(CAST(date AS VARCHAR), 7) AS month, CAST(metric AS VARCHAR) AS metric, CAST(team AS VARCHAR) AS target, ${kind} AS kind,
         CAST(SUM(CAST(quantity AS DECIMAL(38,10))) AS VARCHAR) AS quantity
       FROM ${scan} GROUP BY ALL ORDER BY ALL`,
    )).getRowObjectsJS();
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${file}: cannot read the metrics file (${(error as Error).message.split("\n")[0]}); pass a CSV with date, metric, team, kind, quantity`);
  }
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
