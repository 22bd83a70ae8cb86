// OpenCost's cost allocation for a shared Kubernetes cluster: the `/allocation` API's JSON (a saved
// response: one per day, or one for a window) or OpenCost's CSV export. DuckDB reads and checks every
// record (file and record named), and sums them per day, cluster, namespace, controller and label set;
// pods and containers collapse. OpenCost prices at list rates, so its amounts are shares of the cluster's
// cost in the bill, never money added to it.
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../../model";
import { Decimal } from "../money";
import { literalPath, sqlString } from "./duckdb";
import { MONEY } from "./sources/source";

/** What an allocation stands for: a workload's pods, or capacity nobody requested, or cost without a namespace. */
export type AllocationKind = "workload" | "idle" | "unallocated";

export interface KubernetesAllocation {
  day: string;
  month: string;
  cluster: string | null;
  namespace: string | null;
  controllerKind: string | null;
  controller: string | null;
  kind: AllocationKind;
  /** Pod labels and namespace labels, as OpenCost reports them. */
  labels: Readonly<Record<string, string>>;
  namespaceLabels: Readonly<Record<string, string>>;
  /** OpenCost's total cost (list price) of the allocation, summed over its pods and containers. */
  cost: Decimal;
  /** Records summed into it. */
  records: number;
}

export interface OpenCostData {
  files: string[];
  allocations: KubernetesAllocation[];
}

// Names OpenCost gives allocations that are not workloads (core/pkg/opencost/allocation.go).
const IDLE = "__idle__";
const UNALLOCATED = "__unallocated__";
const UNMOUNTED = "__unmounted__";

// contains, not LIKE: in LIKE each _ of __idle__ matches any character, so a pod named my-idle-job would be idle.
const KIND_SQL = (name: string, namespace: string) => `CASE
  WHEN contains(${name}, '${IDLE}') OR ${namespace} = '${IDLE}' THEN 'idle'
  WHEN ${namespace} IS NULL OR trim(${namespace}) = '' OR ${namespace} = '${UNALLOCATED}' OR contains(${name}, '${UNMOUNTED}') THEN 'unallocated'
  ELSE 'workload' END`;

const COST_PARTS = ["cpuCost", "gpuCost", "ramCost", "pvCost", "networkCost", "loadBalancerCost", "sharedCost", "externalCost"];

/**
 * One SELECT of every record of saved /allocation responses (data is a list of sets, or one set), all files
 * in one read: a branch a file cost DuckDB 1 to 2 ms each, a month of daily files 30 to 50 ms.
 */
function fromJson(files: readonly string[]): string {
  const field = (path: string) => `json_extract_string(e.value, ${sqlString(path)})`;
  const total = `COALESCE(${field("$.totalCost")}, CAST(${COST_PARTS.map((p) => `COALESCE(TRY_CAST(${field(`$.${p}`)} AS ${MONEY}), 0)`).join(" + ")} AS VARCHAR))`;
  return `SELECT sets.filename AS file, e.key AS record, ${field("$.window.start")} AS start, ${field("$.properties.cluster")} AS cluster,
      NULLIF(${field("$.properties.namespace")}, '') AS namespace, NULLIF(${field("$.properties.controllerKind")}, '') AS controllerKind,
      NULLIF(${field("$.properties.controller")}, '') AS controller, CAST(COALESCE(json_extract(e.value, '$.properties.labels'), '{}') AS VARCHAR) AS labels,
      CAST(COALESCE(json_extract(e.value, '$.properties.namespaceLabels'), '{}') AS VARCHAR) AS namespaceLabels, ${total} AS total,
      ${KIND_SQL("e.key", field("$.properties.namespace"))} AS kind
    FROM (SELECT filename, unnest(CASE WHEN json_type(json, '$.data') = 'ARRAY' THEN json_extract(json, '$.data[*]') ELSE [json_extract(json, '$.data')] END) AS s
          FROM read_json_objects([${files.map(literalPath).join(", ")}], format = 'auto', filename = true)) AS sets, json_each(sets.s) AS e`;
}

/** OpenCost's CSV export (pkg/costmodel/csv_export.go): Date, Namespace, ControllerKind, ControllerName, Pod, ..., TotalCost, Labels. */
function fromCsv(file: string, columns: ReadonlySet<string>): string {
  const col = (name: string) => (columns.has(name) ? `"${name}"` : "NULL");
  const labelColumns = [...columns].filter((c) => c.startsWith("Label_"));
  const labels = columns.has("Labels")
    ? `COALESCE(NULLIF(trim("Labels"), ''), '{}')`
    : labelColumns.length > 0 ? `CAST(json_object(${labelColumns.map((c) => `${sqlString(c.slice("Label_".length))}, "${c.replace(/"/g, '""')}"`).join(", ")}) AS VARCHAR)` : `'{}'`;
  return `SELECT ${sqlString(file)} AS file, CAST(row_number() OVER () + 1 AS VARCHAR) AS record, ${col("Date")} AS start, NULL AS cluster,
      NULLIF(${col("Namespace")}, '') AS namespace, NULLIF(${col("ControllerKind")}, '') AS controllerKind, NULLIF(${col("ControllerName")}, '') AS controller,
      ${labels} AS labels, '{}' AS namespaceLabels, ${col("TotalCost")} AS total, ${KIND_SQL(`COALESCE(${col("Pod")}, '')`, col("Namespace"))} AS kind
    FROM read_csv(${literalPath(file)}, header = true, all_varchar = true)`;
}

const recordName = (r: Record<string, unknown>, json: boolean) => `${String(r.file)}${json ? ` record ${JSON.stringify(String(r.record))}` : `:${String(r.record)}`}`;

/** Reads OpenCost allocation files (JSON responses or CSV exports), checked and summed by DuckDB. */
export async function readOpenCost(db: DuckDBConnection, files: readonly string[]): Promise<OpenCostData> {
  if (files.length === 0) return { files: [], allocations: [] };
  const isJson = (file: string) => /\.json(\.gz)?$/i.test(file);
  const selects: string[] = files.some(isJson) ? [fromJson(files.filter(isJson))] : [];
  for (const file of files) {
    if (!isJson(file)) {
      let columns: Set<string>;
      try {
        columns = new Set((await db.runAndReadAll(`DESCRIBE SELECT * FROM read_csv(${literalPath(file)}, header = true, all_varchar = true)`)).getRowObjectsJS().map((r) => String(r.column_name)));
      } catch (error) {
        throw new UserError(`--k8s ${file}: cannot read OpenCost's allocation data (${(error as Error).message.split("\n")[0]}); pass a saved /allocation JSON response or OpenCost's CSV export`);
      }
      const missing = ["Date", "Namespace", "TotalCost"].filter((c) => !columns.has(c));
      if (missing.length > 0) throw new UserError(`--k8s ${file}:1: OpenCost's CSV export has Date, Namespace, ControllerKind, ControllerName, Pod, ..., TotalCost; missing ${missing.join(", ")}`);
      selects.push(fromCsv(file, columns));
    }
  }
  const records = selects.join("\nUNION ALL\n");
  const query = async (sql: string) => {
    try {
      return (await db.runAndReadAll(sql)).getRowObjectsJS();
    } catch (error) {
      throw new UserError(`--k8s ${files.join(", ")}: cannot read OpenCost's allocation data (${(error as Error).message.split("\n")[0]}); pass saved /allocation JSON responses ({"code":200,"data":[...]}) or OpenCost's CSV export`);
    }
  };
  await query(`CREATE OR REPLACE TEMP TABLE opencost_records AS ${records}`);
  const [bad] = await query(
    `SELECT *, TRY_CAST(start AS TIMESTAMP) IS NULL AND TRY_CAST(start AS DATE) IS NULL AS bad_start FROM opencost_records
     WHERE (TRY_CAST(start AS TIMESTAMP) IS NULL AND TRY_CAST(start AS DATE) IS NULL) OR TRY_CAST(total AS ${MONEY}) IS NULL
        OR TRY_CAST(total AS ${MONEY}) < 0 OR json_type(TRY_CAST(labels AS JSON)) IS DISTINCT FROM 'OBJECT'
     ORDER BY file, TRY_CAST(record AS BIGINT) NULLS LAST, record LIMIT 1`,
  );
  if (bad) {
    const at = recordName(bad, /\.json(\.gz)?$/i.test(String(bad.file)));
    const what = bad.bad_start ? `window start ${JSON.stringify(bad.start)} is not a date` : recordProblem(bad);
    throw new UserError(`--k8s ${at}: ${what}; fix the record or export it again from OpenCost`);
  }
  const rows = await query(
    `SELECT strftime(COALESCE(TRY_CAST(start AS TIMESTAMP), CAST(TRY_CAST(start AS DATE) AS TIMESTAMP)), '%Y-%m-%d') AS day, cluster, namespace, controllerKind, controller,
       labels, namespaceLabels, kind, CAST(SUM(CAST(total AS ${MONEY})) AS VARCHAR) AS cost, COUNT(*) AS records
     FROM opencost_records GROUP BY ALL ORDER BY ALL`,
  );
  const asLabels = (text: unknown): Record<string, string> => {
    const parsed = JSON.parse(String(text)) as Record<string, unknown>;
    const labels: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(parsed)) labels[k] = v === null || v === undefined ? "" : String(v);
    return labels;
  };
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    files: [...files],
    allocations: rows.map((r) => ({
      day: String(r.day),
      month: String(r.day).slice(0, 7),
      cluster: str(r.cluster),
      namespace: str(r.namespace),
      controllerKind: str(r.controllerKind),
      controller: str(r.controller),
      kind: String(r.kind) as AllocationKind,
      labels: asLabels(r.labels),
      namespaceLabels: asLabels(r.namespaceLabels),
      cost: new Decimal(String(r.cost)),
      records: Number(r.records),
    })),
  };
}

function recordProblem(r: Record<string, unknown>): string {
  if (r.total === null || r.total === undefined) return "totalCost is missing";
  const total = String(r.total);
  if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(total.trim())) return `totalCost ${JSON.stringify(total)} is not a number`;
  if (total.trim().startsWith("-")) return `totalCost ${total} is negative; OpenCost's shares are costs of 0 or more`;
  return `labels ${JSON.stringify(String(r.labels)).slice(0, 80)} are not an object of label names and values`;
}
