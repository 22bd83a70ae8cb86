// What `allot allocate` prints and writes: totals, allocations per target by rule (decimal strings), and the
// allocated cost table: one row per source charge group and target, with FOCUS columns and x_Allocation*.
import { writeFileSync } from "node:fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError, type CostModel } from "../../model";
import { Decimal, sumOf } from "../money";
import { sqlString } from "../read/duckdb";
import { csvLine } from "../text/escape";
import { rollUp, type AllocationLine, type AllocationResult } from "./engine";

export interface AllocationSummary {
  month: string;
  currency: string;
  costBasis: CostModel["costBasis"];
  totalCost: string;
  allocatedCost: string;
  unallocatedCost: string;
  allocations: { target: string; kind: "team" | "unit" | "project"; amount: string; byRule: Record<string, string> }[];
  unallocated: { reason: string; rule: string | null; amount: string }[];
  teams: { team: string; amount: string }[];
  units: { unit: string; amount: string }[];
  /** Activity-based pools: billed against metered at the rate card, and the difference. */
  reconciliation: { rule: string; tier?: string; month: string; billed: string; metered: string; difference: string }[];
}

const sum = (map: Map<string, Decimal>, key: string, amount: Decimal) => map.set(key, (map.get(key) ?? new Decimal(0)).plus(amount));
const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => a.localeCompare(b));

export function summarize(model: CostModel, month: string, result: AllocationResult): AllocationSummary {
  const byTarget = new Map<string, Map<string, Decimal>>();
  const unallocated = new Map<string, { reason: string; rule: string | null; amount: Decimal }>();
  for (const line of result.lines) {
    if (line.target === null) {
      const key = `${line.rule ?? ""}\u0000${line.reason ?? ""}`;
      const entry = unallocated.get(key) ?? { reason: line.reason ?? "unallocated", rule: line.rule, amount: new Decimal(0) };
      entry.amount = entry.amount.plus(line.amount);
      unallocated.set(key, entry);
      continue;
    }
    const rules = byTarget.get(line.target) ?? new Map<string, Decimal>();
    sum(rules, line.rule ?? "(none)", line.amount);
    byTarget.set(line.target, rules);
  }
  const kind = (target: string) => (model.teams.has(target) ? "team" : model.projects.has(target) ? "project" : "unit") as "team" | "unit" | "project";
  const rolled = rollUp(model, result.lines);
  return {
    month,
    currency: model.currency,
    costBasis: model.costBasis,
    totalCost: result.total.toFixed(),
    allocatedCost: result.allocated.toFixed(),
    unallocatedCost: result.unallocated.toFixed(),
    allocations: sorted(byTarget).map(([target, rules]) => ({
      target,
      kind: kind(target),
      amount: sumOf(rules.values()).toFixed(),
      byRule: Object.fromEntries(sorted(rules).map(([rule, amount]) => [rule, amount.toFixed()])),
    })),
    unallocated: [...unallocated.values()].sort((a, b) => b.amount.comparedTo(a.amount) || a.reason.localeCompare(b.reason)).map((u) => ({ ...u, amount: u.amount.toFixed() })),
    teams: sorted(rolled.teams).map(([team, amount]) => ({ team, amount: amount.toFixed() })),
    units: sorted(rolled.units).map(([unit, amount]) => ({ unit, amount: amount.toFixed() })),
    reconciliation: result.reconciliation.map((r) => ({ ...r, billed: r.billed.toFixed(), metered: r.metered.toFixed(), difference: r.difference.toFixed() })),
  };
}

/** The allocated cost table's columns: FOCUS names for the charge, x_ names for the allocation. */
export function tableColumns(model: CostModel): string[] {
  return [
    "BillingPeriodStart", "ProviderName", "SubAccountId", "ServiceName", "ServiceCategory", "RegionId", "ChargeCategory", "ResourceId", "ResourceType",
    "Tags", "BillingCurrency", model.costBasis, "x_AllocatedTo", "x_AllocationRule", "x_AllocationTier", "x_AllocationMethod", "x_AllocationShare", "x_UnallocatedReason",
  ];
}

function tableRow(model: CostModel, l: AllocationLine): (string | null)[] {
  const g = l.group;
  return [
    `${l.month}-01`, g.provider, g.account, g.service, g.serviceCategory, g.region, g.chargeCategory, g.resourceId, g.resourceType,
    g.tags, model.currency, l.amount.toFixed(), l.target, l.rule, l.tier ?? null, l.method, l.share, l.reason ?? null,
  ];
}

/** Writes the allocated cost table as CSV (formula-safe) or Parquet (amounts as exact DECIMAL). */
export async function writeAllocationTable(db: DuckDBConnection, model: CostModel, result: AllocationResult, file: string): Promise<void> {
  const columns = tableColumns(model);
  try {
    if (/\.csv$/i.test(file)) {
      writeFileSync(file, [csvLine(columns), ...result.lines.map((l) => csvLine(tableRow(model, l).map((v) => v ?? "")))].join(""));
      return;
    }
    if (!/\.parquet$/i.test(file)) throw new UserError(`--out ${file}: expected a .csv or .parquet file name`);
    await db.run(`CREATE OR REPLACE TEMP TABLE allocated (${columns.map((c) => `"${c}" VARCHAR`).join(", ")})`);
    const appender = await db.createAppender("allocated");
    for (const l of result.lines) {
      for (const value of tableRow(model, l)) {
        if (value === null) appender.appendNull();
        else appender.appendVarchar(value);
      }
      appender.endRow();
    }
    appender.closeSync();
    const select = columns.map((c) => (c === model.costBasis ? `CAST("${c}" AS DECIMAL(38,18)) AS "${c}"` : c === "BillingPeriodStart" ? `CAST("${c}" AS DATE) AS "${c}"` : `"${c}"`)).join(", ");
    await db.run(`COPY (SELECT ${select} FROM allocated) TO ${sqlString(file)} (FORMAT parquet)`);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`--out ${file}: cannot write the allocated cost table (${(error as Error).message.split("\n")[0]}); choose a writable path`);
  }
}
