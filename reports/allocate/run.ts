// Runs the allocation for a month: reads the bill (by resource when the table is wanted or a rule matches
// on resource ids), loads the metrics, allocates, and measures each team's tag compliance for its mode.
import type { DuckDBConnection } from "@duckdb/node-api";
import { loadCostModel, type CostModel } from "../../model";
import { attributeDirect } from "../attribute/direct";
import { loadCharges, type LoadedCharges } from "../read/charges";
import { AllocationEngine, type AllocationResult } from "./engine";
import { loadMetrics, noMetrics } from "./metrics";
import { loadMetering } from "../ai/metering";

export interface AllocationRun {
  model: CostModel;
  charges: LoadedCharges;
  result: AllocationResult;
  /** Percent of each team's usage that carries valid cost tags, for billing mode auto. */
  teamCompliance: Map<string, number | null>;
}

export interface AllocationOptions {
  config: string;
  input: string[];
  metrics?: string;
  /** AI usage log for activity rules with driver: metering. */
  metering?: string;
  month?: string;
  skipBadRows?: boolean;
  /** Keep resource ids on the charge groups (for the allocated cost table). */
  byResource?: boolean;
}

export async function runAllocation(db: DuckDBConnection, options: AllocationOptions): Promise<AllocationRun> {
  const model = loadCostModel(options.config);
  const byResource = Boolean(options.byResource) || model.allocationRules.some((r) => r.match?.resourceId || (r.method === "tiered" && r.tiers.some((t) => t.match?.resourceId)));
  const charges = await loadCharges(db, model, options.input, { ...(options.month ? { month: options.month } : {}), skipBadRows: Boolean(options.skipBadRows), byResource });
  const metrics = options.metrics ? await loadMetrics(db, options.metrics, model) : noMetrics;
  const metering = options.metering ? await loadMetering(db, options.metering, model) : undefined;
  const result = new AllocationEngine(model, metrics, metering).allocate(charges.rows);
  const direct = model.allocationRules.find((r) => r.method === "direct");
  const attribution = attributeDirect(model, charges.rows, direct?.method === "direct" ? direct.keys : [model.tags.required[0]?.key ?? "team"]);
  const teamCompliance = new Map<string, number | null>(
    [...model.teams.keys()].map((team) => {
      const c = attribution.compliance.byTeam.get(team);
      return [team, c && !c.usage.isZero() ? c.compliant.times(100).dividedBy(c.usage).toDecimalPlaces(2).toNumber() : null];
    }),
  );
  return { model, charges, result, teamCompliance };
}
