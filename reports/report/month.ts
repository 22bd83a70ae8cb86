// Builds one month's cost report from billing exports: DuckDB sums the month per distinct tag set and
// the few columns attribution needs, then direct attribution and budgets run on those groups in JS.
import type { CostModel, TeamInfo } from "../../model";
import { UserError } from "../../model";
import { attributeDirect, type ChargeGroup, type DirectAttribution } from "../attribute/direct";
import { withDuckDB } from "../read/duckdb";
import { openFocus } from "../read/focus";
import { resolveInputs } from "../read/inputs";
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
  /** Charges without a BillingPeriodStart: in no month's report, so the report says what they were worth. */
  undated: { rows: number; cost: Decimal };
  /** The direct rule used (its name and tag keys), or the default of the `team` key. */
  rule: { name: string; keys: string[] };
  /** Allocation rules in the model that this report does not apply yet (shared-cost methods). */
  rulesNotApplied: string[];
  attribution: DirectAttribution;
  teams: TeamLine[];
  nullCostRows: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export async function buildMonthReport(model: CostModel, inputs: readonly string[], requestedMonth?: string): Promise<MonthReport> {
  if (requestedMonth !== undefined && !MONTH.test(requestedMonth)) throw new UserError(`--month ${requestedMonth}: expected a month as YYYY-MM, e.g. 2026-10`);
  return withDuckDB(async (db) => {
    const files = await resolveInputs(db, inputs);
    await openFocus(db, files);
    const basis = model.costBasis;
    const perMonth = (await db.runAndReadAll(`SELECT BillingMonth, COUNT(*) AS row_count, CAST(SUM(${basis}) AS VARCHAR) AS cost FROM focus GROUP BY 1 ORDER BY 1`)).getRowObjectsJS();
    const months = perMonth.filter((m) => m.BillingMonth !== null).map((m) => String(m.BillingMonth));
    const undatedRow = perMonth.find((m) => m.BillingMonth === null);
    const undated = { rows: Number(undatedRow?.row_count ?? 0), cost: new Decimal(String(undatedRow?.cost ?? 0)) };
    if (months.length === 0) throw new UserError(`${files.join(", ")}: no charge has a BillingPeriodStart; the files hold no billing data`);
    const month = requestedMonth ?? months[months.length - 1]!;
    if (!months.includes(month)) {
      throw new UserError(`--month ${month}: the input has no charges billed in that month; it has ${months.join(", ")}`);
    }

    const result = await db.runAndReadAll(
      `SELECT Tags, ProviderName, ChargeCategory, SubAccountId, ResourceType, BillingCurrency,
              CAST(SUM(${basis}) AS VARCHAR) AS cost,
              COUNT(*) AS row_count,
              COUNT(*) FILTER (WHERE ${basis} IS NULL AND Raw${basis} IS NOT NULL) AS bad,
              COUNT(*) FILTER (WHERE Raw${basis} IS NULL) AS null_cost
       FROM focus WHERE BillingMonth = $1
       GROUP BY ALL ORDER BY ALL`,
      [month],
    );
    const rows = result.getRowObjectsJS();
    if (rows.some((r) => Number(r.bad) > 0)) {
      const example = await db.runAndReadAll(
        `SELECT SourceFile, CAST(Raw${basis} AS VARCHAR) AS raw FROM focus WHERE BillingMonth = $1 AND ${basis} IS NULL AND Raw${basis} IS NOT NULL LIMIT 1`,
        [month],
      );
      const [bad] = example.getRowObjectsJS();
      throw new UserError(`${String(bad?.SourceFile)}: ${basis} ${JSON.stringify(bad?.raw)} is not a decimal number; fix the export (allot never guesses an amount)`);
    }
    const currencies = new Map<string, Decimal>();
    const groups: ChargeGroup[] = rows.map((r) => {
      const cost = new Decimal(r.cost === null ? 0 : String(r.cost));
      const currency = r.BillingCurrency === null ? "(none)" : String(r.BillingCurrency);
      currencies.set(currency, (currencies.get(currency) ?? new Decimal(0)).plus(cost));
      return {
        tags: r.Tags === null ? null : String(r.Tags),
        provider: String(r.ProviderName ?? "(none)"),
        chargeCategory: String(r.ChargeCategory ?? "(none)"),
        account: r.SubAccountId === null ? null : String(r.SubAccountId),
        resourceType: r.ResourceType === null ? null : String(r.ResourceType),
        cost,
        rows: Number(r.row_count),
      };
    });
    const foreign = [...currencies].filter(([c]) => c !== model.currency);
    if (foreign.length > 0) {
      const list = [...currencies].sort(([x], [y]) => x.localeCompare(y)).map(([c, v]) => `${c} ${v.toFixed()}`).join(", ");
      throw new UserError(`the ${month} charges are in several currencies (${list}) but ${model.file} reports in ${model.currency}; report each currency's exports separately, or set currency to match`);
    }

    const direct = model.allocationRules.find((r) => r.method === "direct");
    const rule = direct?.method === "direct" ? { name: direct.name, keys: direct.keys } : { name: "team-tag", keys: [model.tags.required[0]?.key ?? "team"] };
    const attribution = attributeDirect(model, groups, rule.keys);
    return {
      month,
      currency: model.currency,
      costBasis: basis,
      configFile: model.file,
      files,
      months,
      undated,
      rule,
      rulesNotApplied: model.allocationRules.filter((r) => r.method !== "direct").map((r) => r.name),
      attribution,
      teams: teamLines(model, attribution),
      nullCostRows: rows.reduce((n, r) => n + Number(r.null_cost), 0),
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
