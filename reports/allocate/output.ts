// What `allot allocate` prints and writes: totals, allocations per target by rule (decimal strings), and the
// allocated cost table: one row per source charge group and target, with FOCUS columns and x_Allocation*.
import { closeSync, openSync, writeSync } from "node:fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError, type CostModel } from "../../model";
import { Decimal, sumOf } from "../money";
import { sqlString } from "../read/duckdb";
import { csvLine } from "../text/escape";
import { Totals } from "../totals";
import type { AllocationLine, AllocationResult } from "./engine";
import { presentAllocation, ROUNDING_REASON, type PresentedAllocation } from "./present";

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

const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => a.localeCompare(b));

/**
 * Amounts as shown (see present.ts): each allocation and unallocated reason rounded to the minor unit so
 * they add up to the bill rounded, and the bill's sub-cent residue as the one rounding entry; totalCost
 * stays exact, so allocatedCost + unallocatedCost = totalCost to the last digit.
 */
export function summarize(model: CostModel, month: string, result: AllocationResult, presented: PresentedAllocation = presentAllocation(model, result)): AllocationSummary {
  // Each target's amount by rule, a node of the rounding tree, so byRule adds up to the target and to its --out rows.
  const byTarget = new Map<string, Totals>();
  for (const [key, amount] of presented.cut((l) => (l.target === null ? null : JSON.stringify([l.target, l.rule ?? "(none)"])))) {
    const [target, rule] = JSON.parse(key) as [string, string];
    byTarget.set(target, (byTarget.get(target) ?? new Totals()).add(rule, amount));
  }
  const unallocated = [...presented.unallocated]
    .map(([key, amount]) => {
      const [rule, reason] = JSON.parse(key) as [string | null, string];
      return { reason, rule, amount };
    })
    .filter((u) => !u.amount.isZero());
  if (!presented.rounding.isZero()) unallocated.push({ reason: ROUNDING_REASON, rule: null, amount: presented.rounding });
  const kind = (target: string) => (model.teams.has(target) ? "team" : model.projects.has(target) ? "project" : "unit") as "team" | "unit" | "project";
  const fixed = (d: Decimal) => d.toFixed(presented.places);
  return {
    month,
    currency: model.currency,
    costBasis: model.costBasis,
    totalCost: result.total.toFixed(),
    allocatedCost: fixed(presented.allocated),
    unallocatedCost: result.total.minus(presented.allocated).toFixed(),
    allocations: sorted(byTarget).map(([target, rules]) => {
      const amount = presented.targets.amount(target);
      return { target, kind: kind(target), amount: fixed(amount), byRule: Object.fromEntries(sorted(rules).map(([rule, part]) => [rule, fixed(part)])) };
    }),
    unallocated: unallocated.sort((a, b) => b.amount.comparedTo(a.amount) || a.reason.localeCompare(b.reason)).map((u) => ({ ...u, amount: u.reason === ROUNDING_REASON ? u.amount.toFixed() : fixed(u.amount) })),
    teams: sorted(presented.rolled.teams).map(([team, amount]) => ({ team, amount: fixed(amount) })),
    units: sorted(presented.rolled.units).map(([unit, amount]) => ({ unit, amount: fixed(amount) })),
    reconciliation: result.reconciliation.map((r) => ({ ...r, billed: r.billed.toFixed(), metered: r.metered.toFixed(), difference: r.difference.toFixed() })),
  };
}

/** The allocated cost table's columns: FOCUS names for the charge, x_ names for the allocation. */
export function tableColumns(model: CostModel): string[] {
  return [
    "BillingPeriodStart", "ProviderName", "SubAccountId", "ServiceName", "ServiceCategory", "RegionId", "ChargeCategory", "ResourceId", "ResourceType",
    "AllocatedMethodId", "Tags", "BillingCurrency", model.costBasis, "x_AllocatedTo", "x_AllocationRule", "x_AllocationTier", "x_AllocationMethod", "x_AllocationShare", "x_UnallocatedReason",
    ROUNDED_COLUMN,
  ];
}

/**
 * The line's amount as shown: rounded to the minor unit so a target's rows add up to its amount in --json,
 * on invoices and in the report. The cost basis column keeps the exact split.
 */
const ROUNDED_COLUMN = "x_AllocatedCostRounded";

function tableRow(model: CostModel, l: AllocationLine, shown: Decimal, places: number): (string | null)[] {
  const g = l.group;
  return [
    `${l.month}-01`, g.provider, g.account, g.service, g.serviceCategory, g.region, g.chargeCategory, g.resourceId, g.resourceType,
    g.allocatedMethod ?? null, g.tags, model.currency, l.amount.toFixed(), l.target, l.rule, l.tier ?? null, l.method, l.share, l.reason ?? null, shown.toFixed(places),
  ];
}

/** Writes the allocated cost table as CSV (formula-safe) or Parquet (amounts as exact DECIMAL). */
export async function writeAllocationTable(db: DuckDBConnection, model: CostModel, result: AllocationResult, file: string, presented: PresentedAllocation = presentAllocation(model, result)): Promise<void> {
  const columns = tableColumns(model);
  // Row by row, as written: the table has a row per line (a million, by resource), never held whole.
  const rows = function* () {
    for (let i = 0; i < result.lines.length; i++) yield tableRow(model, result.lines[i]!, presented.lines[i]!, presented.places);
  };
  try {
    if (/\.csv$/i.test(file)) {
      const fd = openSync(file, "w");
      try {
        let chunk = csvLine(columns);
        for (const row of rows()) {
          chunk += csvLine(row.map((v) => v ?? ""));
          if (chunk.length > 1 << 20) (writeSync(fd, chunk), (chunk = ""));
        }
        writeSync(fd, chunk);
      } finally {
        closeSync(fd);
      }
      return;
    }
    if (!/\.parquet$/i.test(file)) throw new UserError(`--out ${file}: expected a .csv or .parquet file name`);
    await db.run(`CREATE OR REPLACE TEMP TABLE allocated (${columns.map((c) => `"${c}" VARCHAR`).join(", ")})`);
    const appender = await db.createAppender("allocated");
    for (const row of rows()) {
      for (const value of row) {
        if (value === null) appender.appendNull();
        else appender.appendVarchar(value);
      }
      appender.endRow();
    }
    appender.closeSync();
    const select = columns.map((c) => (c === model.costBasis || c === ROUNDED_COLUMN ? `CAST("${c}" AS DECIMAL(38,18)) AS "${c}"` : c === "BillingPeriodStart" ? `CAST("${c}" AS DATE) AS "${c}"` : `"${c}"`)).join(", ");
    await db.run(`COPY (SELECT ${select} FROM allocated) TO ${sqlString(file)} (FORMAT parquet)`);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`--out ${file}: cannot write the allocated cost table (${(error as Error).message.split("\n")[0]}); choose a writable path`);
  }
}
