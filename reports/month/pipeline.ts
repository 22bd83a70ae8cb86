// The month pipeline every billing command runs, built once: read the exports into charge groups ->
// ownership and the tag verdict per tag set -> compliance -> allocation (of the month, or of a window of
// months for trends). `allot compliance`, `allocate`, `chargeback` and `report` differ only in what they
// ask of it and how they show the result.
import type { DuckDBConnection } from "@duckdb/node-api";
import { loadCostModel, type CostModel } from "../../model";
import { loadMetering, type Metering } from "../ai/metering";
import { AllocationEngine, type AllocationResult } from "../allocate/engine";
import { presentAllocation, type PresentedAllocation } from "../allocate/present";
import { loadMetrics, noMetrics, type Metrics } from "../read/metrics";
import { attributeDirect, type DirectAttribution } from "../attribute/direct";
import { measureCompliance, type ComplianceReport } from "../compliance/compliance";
import { measureKubernetesCompliance, type KubernetesCompliance } from "../compliance/kubernetes";
import { loadChargeGroups, readChargeRows, type ChargeGroups, type ChargeRow, type LoadOptions } from "../read/charges";
import type { Decimal } from "../money";
import { resolveInputs } from "../read/inputs";
import { readOpenCost, type OpenCostData } from "../read/opencost";
import { trendMonths } from "../read/overlap";
import { unmatchedWarnings } from "./unmatched";

export interface MonthOptions {
  config: string;
  input: string[];
  month?: string;
  skipBadRows?: boolean;
  metrics?: string;
  /** AI usage log for activity rules with driver: metering, and the report's AI section. */
  metering?: string;
  /** Sum by resource too, so compliance counts resources and names the top untagged. */
  byResource?: boolean;
  /** Sum usage by day too (`usage_days`), for the report's anomaly series. */
  usageDays?: boolean;
  /** Allocation lines per resource (the allocated cost table). */
  linesByResource?: boolean;
  /** OpenCost allocation files or globs (--k8s): the cluster's label compliance. */
  k8s?: string[];
  /** How many months, up to and including the month, to allocate (0: compliance only). */
  allocateMonths?: number;
  onProgress?: LoadOptions["onProgress"];
  whileScanning?: LoadOptions["whileScanning"];
}

export interface Month {
  model: CostModel;
  groups: ChargeGroups;
  month: string;
  compliance: ComplianceReport;
  /** Each team's tag compliance in percent of its usage cost, exact: what its billing mode is decided on. */
  teamCompliance: ReadonlyMap<string, Decimal | null>;
  /** The month's tag compliance in percent of usage cost, exact: what --fail-under is decided on. */
  costCompliance: Decimal | null;
  metrics: Metrics;
  metering: Metering | undefined;
  /** Charge groups of the allocated months, and of the month alone. */
  allMonths: ChargeRow[];
  rows: ChargeRow[];
  /** The allocated months, oldest first; the last is `month`. */
  windowMonths: string[];
  allocations: ReadonlyMap<string, AllocationResult>;
  /** The month's allocation. */
  allocation: AllocationResult;
  /** The month's allocation as shown: rounded once, for --json, --out, invoices and the report alike. */
  presented: PresentedAllocation;
  /** The month's direct ownership (teams and unallocated reasons), before shared pools. */
  attribution: DirectAttribution;
  /** OpenCost's allocation of the shared cluster, when --k8s is given. */
  openCost: OpenCostData | undefined;
  /** The cluster's label compliance in the month, when --k8s is given. */
  kubernetes: KubernetesCompliance | null;
  /** Rules, exemptions and tag keys of allot.yaml that match nothing in the month (unmatched.ts). */
  warnings: string[];
}

export async function runMonth(db: DuckDBConnection, options: MonthOptions): Promise<Month> {
  const model = loadCostModel(options.config);
  const allocateMonths = options.allocateMonths ?? 1;
  const resourceRows = Boolean(options.linesByResource);
  const groups = await loadChargeGroups(db, model, options.input, {
    ...(options.month ? { month: options.month } : {}),
    skipBadRows: Boolean(options.skipBadRows),
    byResource: resourceRows,
    resources: Boolean(options.byResource),
    usageDays: Boolean(options.usageDays),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.whileScanning ? { whileScanning: options.whileScanning } : {}),
  });
  const month = groups.month;
  const { report: compliance, exact } = await measureCompliance(db, model, groups);
  const warnings = await unmatchedWarnings(db, model, month);
  const metrics = options.metrics ? await loadMetrics(db, options.metrics, model) : noMetrics;
  const metering = options.metering ? await loadMetering(db, options.metering, model) : undefined;
  const openCost = options.k8s ? await readOpenCost(db, resolveInputs(options.k8s, "--k8s")) : undefined;

  // Months read only in part (an input set aside for --month) are left out: the window starts after them.
  const windowMonths = trendMonths(groups.months, month, groups.setAside).slice(-Math.max(allocateMonths, 1));
  const { allMonths: read } = allocateMonths > 0 ? await readChargeRows(db, groups, resourceRows) : { allMonths: [] as ChargeRow[] };
  const allMonths = read.filter((r) => windowMonths.includes(r.month));
  const rows = allMonths.filter((r) => r.month === month);
  const engine = new AllocationEngine(model, metrics, metering, openCost);
  const allocations = new Map(allocateMonths > 0 ? windowMonths.map((m) => [m, engine.allocate(allMonths.filter((r) => r.month === m))] as const) : []);
  const allocation = allocations.get(month) ?? engine.allocate([]);
  const kubernetes = openCost ? measureKubernetesCompliance(model, openCost, month) : null;
  return { model, groups, month, compliance, teamCompliance: exact.teams, costCompliance: exact.cost, metrics, metering, allMonths, rows, windowMonths, allocations, allocation, presented: presentAllocation(model, allocation), attribution: attributeDirect(model, rows), openCost, kubernetes, warnings };
}
