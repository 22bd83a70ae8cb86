// Builds one month's cost report from billing exports: DuckDB sums the month per distinct tag set and
// the few columns attribution needs, then direct attribution and budgets run on those groups in JS.
import type { CostModel, TeamInfo } from "../../model";
import { attributeDirect, type DirectAttribution } from "../attribute/direct";
import { loadCharges, type LoadedCharges, type LoadOptions } from "../read/charges";
import { withDuckDB } from "../read/duckdb";
import { Decimal } from "../money";

export interface TeamLine {
  team: TeamInfo;
  unitName: string;
  cost: Decimal;
  budget: Decimal;
  /** budget - cost: negative when over budget. */
  variance: Decimal;
  /** cost / budget in percent. */
  used: Decimal;
  /** The highest actual-cost alert threshold the team has crossed, if any. */
  alert?: number;
}

export interface MonthReport {
  month: string;
  currency: string;
  costBasis: CostModel["costBasis"];
  configFile: string;
  files: string[];
  months: string[];
  /** Charges without a billing period: in no month's report, so the report says what they were worth. */
  undated: { rows: number; cost: Decimal };
  /** Rows skipped with --skip-bad-rows. */
  skipped: LoadedCharges["skipped"];
  /** Inputs read once because another input has the same content: [skipped, kept]. */
  duplicates: [string, string][];
  /** The direct rule used (its name and tag keys), or the default of the `team` key. */
  rule: { name: string; keys: string[] };
  /** Allocation rules in the model that this report does not apply yet (shared-cost methods). */
  rulesNotApplied: string[];
  attribution: DirectAttribution;
  teams: TeamLine[];
  nullCostRows: number;
}

export interface ReportOptions {
  month?: string;
  skipBadRows?: boolean;
  onProgress?: LoadOptions["onProgress"];
}

export async function buildMonthReport(model: CostModel, inputs: readonly string[], options: ReportOptions = {}): Promise<MonthReport> {
  return withDuckDB(async (db) => {
    const charges = await loadCharges(db, model, inputs, options);
    const direct = model.allocationRules.find((r) => r.method === "direct");
    const rule = direct?.method === "direct" ? { name: direct.name, keys: direct.keys } : { name: "team-tag", keys: [model.tags.required[0]?.key ?? "team"] };
    const attribution = attributeDirect(model, charges.rows, rule.keys);
    return {
      month: charges.month,
      currency: model.currency,
      costBasis: model.costBasis,
      configFile: model.file,
      files: charges.files.map((f) => f.path),
      duplicates: charges.duplicates,
      months: charges.months,
      undated: charges.undated,
      skipped: charges.skipped,
      rule,
      rulesNotApplied: model.allocationRules.filter((r) => r.method !== "direct").map((r) => r.name),
      attribution,
      teams: teamLines(model, attribution),
      nullCostRows: charges.nullCostRows,
    };
  });
}

function teamLines(model: CostModel, attribution: DirectAttribution): TeamLine[] {
  const actualAlerts = model.budgetAlerts.filter((a) => a.type === "actual").map((a) => a.threshold).sort((a, b) => b - a);
  return model.units.flatMap((unit) =>
    unit.teams.map((team): TeamLine => {
      const cost = attribution.byTeam.get(team.id) ?? new Decimal(0);
      const used = cost.times(100).dividedBy(team.budget);
      const alert = actualAlerts.find((t) => used.greaterThanOrEqualTo(t));
      return { team, unitName: unit.name, cost, budget: team.budget, variance: team.budget.minus(cost), used, ...(alert !== undefined ? { alert } : {}) };
    }),
  );
}
