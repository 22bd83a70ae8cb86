// Tag compliance of the bill: the share of usage cost (and of resources) that carries every required tag
// with a valid value, broken down by key, provider, account, service and team, with the worst untagged
// resources, the trend by month and the billing mode each team earns. Credits, taxes and purchases are
// reported beside it, never inside it, so a negative credit cannot lift coverage past 100%.
//
// Each distinct tag set is judged once in JS; the verdicts go back to DuckDB as a small table, and every
// breakdown is a query over the already-summed `charge_groups`, so no per-charge work happens in JS.
import type { DuckDBConnection } from "@duckdb/node-api";
import type { CostModel } from "../../model";
import { ownerResolver } from "../attribute/direct";
import { Decimal } from "../money";
import { queryCharges } from "../read/billing";
import type { ChargeGroups } from "../read/charges";
import { sqlString } from "../read/duckdb";
import { TagSetJudge } from "../read/tags";
import type { TagsFormat } from "../read/sources";

export interface Coverage {
  name: string;
  usageCost: string;
  compliantCost: string;
  compliancePct: number;
}

export interface ComplianceReport {
  month: string;
  currency: string;
  costBasis: CostModel["costBasis"];
  /** Every charge of the month, usage or not. */
  totalCost: string;
  /** Usage charges outside exempt accounts and resource types: the base of the measure. */
  usageCost: string;
  compliantCost: string;
  costCompliancePct: number;
  exemptCost: string;
  /** Non-usage charges by category (Tax, Credit, Purchase, Adjustment), shown beside the measure. */
  otherCharges: Record<string, string>;
  resources: { total: number; compliant: number; compliancePct: number };
  byKey: { key: string; missingCost: string; emptyCost: string; invalidCost: string; compliantCost: string; compliancePct: number }[];
  byProvider: Coverage[];
  byAccount: Coverage[];
  byService: Coverage[];
  byTeam: Coverage[];
  teams: { team: string; billingMode: string; earns: "showback" | "chargeback"; compliancePct: number | null }[];
  topUntagged: { resourceId: string; provider: string; account: string | null; service: string | null; cost: string; problems: string[] }[];
  trend: Coverage[];
  threshold: number;
  skipped: { rows: number; cost: string; unreadableAmounts: number };
  duplicates: { skipped: string; kept: string }[];
}

const zero = new Decimal(0);
const pct = (part: Decimal, whole: Decimal) => (whole.isZero() ? 100 : part.times(100).dividedBy(whole).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber());
const likePattern = (glob: string) => glob.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, "%");

/** The verdict on each distinct tag set, as a temp table `tag_sets` joined on (TagsFormat, Tags). */
async function judgeTagSets(db: DuckDBConnection, model: CostModel): Promise<void> {
  const judge = new TagSetJudge(model.tags);
  const direct = model.allocationRules.find((r) => r.method === "direct");
  const owner = ownerResolver(model, direct?.method === "direct" ? direct.keys : [model.tags.required[0]?.key ?? "team"]);
  const keys = model.tags.required.map((t) => t.key);
  await db.run(`CREATE OR REPLACE TEMP TABLE tag_sets (TagsFormat VARCHAR, Tags VARCHAR, compliant BOOLEAN, owner VARCHAR, problems VARCHAR${keys.map((_, i) => `, k${i} VARCHAR`).join("")})`);
  const sets = await queryCharges(db, "SELECT DISTINCT TagsFormat, Tags FROM charge_groups");
  const appender = await db.createAppender("tag_sets");
  for (const set of sets) {
    const tags = set.Tags === null ? null : String(set.Tags);
    const evaluation = judge.judge(String(set.TagsFormat) as TagsFormat, tags);
    const unreadable = evaluation === "unreadable";
    const found = unreadable ? undefined : owner(evaluation, "Usage");
    appender.appendVarchar(String(set.TagsFormat));
    if (tags === null) appender.appendNull();
    else appender.appendVarchar(tags);
    appender.appendBoolean(!unreadable && evaluation.findings.length === 0);
    if (found && "team" in found) appender.appendVarchar(found.team);
    else appender.appendNull();
    appender.appendVarchar(unreadable ? "tags cannot be read" : evaluation.findings.map((f) => (f.problem === "invalid" ? `${f.key}=${JSON.stringify(f.value)} not allowed` : `${f.problem} ${f.key}`)).join(", "));
    for (const key of keys) {
      const problem = unreadable ? "missing" : evaluation.findings.find((f) => f.key === key)?.problem;
      if (problem) appender.appendVarchar(problem);
      else appender.appendNull();
    }
    appender.endRow();
  }
  appender.closeSync();
}

export async function measureCompliance(db: DuckDBConnection, model: CostModel, groups: ChargeGroups): Promise<ComplianceReport> {
  await judgeTagSets(db, model);
  const keys = model.tags.required.map((t) => t.key);
  const accounts = model.input.tags.exemptions?.accounts ?? [];
  const types = model.input.tags.exemptions?.resourceTypes ?? [];
  const exempt = [
    ...(accounts.length > 0 ? [`g.SubAccountId IN (${accounts.map(sqlString).join(", ")})`] : []),
    ...types.map((t) => `g.ResourceType LIKE ${sqlString(likePattern(t))} ESCAPE '\\'`),
  ];
  await db.run(`
    CREATE OR REPLACE TEMP TABLE judged AS
    SELECT g.*, t.compliant, COALESCE(t.owner, '(unallocated)') AS team, t.problems${keys.map((_, i) => `, t.k${i}`).join("")},
      lower(g.ChargeCategory) = 'usage' AS is_usage, ${exempt.length > 0 ? `COALESCE(${exempt.join(" OR ")}, false)` : "false"} AS is_exempt
    FROM charge_groups g JOIN tag_sets t ON t.TagsFormat = g.TagsFormat AND t.Tags IS NOT DISTINCT FROM g.Tags
    WHERE g.BillingMonth IS NOT NULL AND g.row_count > 0`);
  const month = sqlString(groups.month);
  const measured = `is_usage AND NOT is_exempt`;

  /** Runs a query whose rows carry BillingCurrency and amount columns; converts and sums them per name. */
  const sums = async (sql: string, amounts: string[]) => {
    const result = new Map<string, Record<string, Decimal>>();
    for (const row of await queryCharges(db, sql)) {
      const name = row.name === null || row.name === undefined ? "(none)" : String(row.name);
      const rate = groups.rate(row.BillingCurrency as string | null);
      const into = result.get(name) ?? Object.fromEntries(amounts.map((a) => [a, zero]));
      for (const a of amounts) into[a] = into[a]!.plus(new Decimal(row[a] === null ? 0 : String(row[a])).times(rate));
      result.set(name, into);
    }
    return result;
  };
  const coverage = async (dimension: string, where = `BillingMonth = ${month}`) => {
    const totals = await sums(
      `SELECT ${dimension} AS name, BillingCurrency, CAST(SUM(cost) AS VARCHAR) AS usage, CAST(SUM(cost) FILTER (WHERE compliant) AS VARCHAR) AS compliant
       FROM judged WHERE ${where} AND ${measured} GROUP BY ALL`,
      ["usage", "compliant"],
    );
    return [...totals]
      .sort(([a, x], [b, y]) => y.usage!.comparedTo(x.usage!) || a.localeCompare(b))
      .map(([name, t]): Coverage => ({ name, usageCost: t.usage!.toFixed(), compliantCost: t.compliant!.toFixed(), compliancePct: pct(t.compliant!, t.usage!) }));
  };

  const categories = await sums(
    `SELECT CASE WHEN is_usage AND is_exempt THEN 'exempt' WHEN is_usage THEN 'usage' ELSE ChargeCategory END AS name, BillingCurrency,
       CAST(SUM(cost) AS VARCHAR) AS cost, CAST(SUM(cost) FILTER (WHERE compliant) AS VARCHAR) AS compliant
     FROM judged WHERE BillingMonth = ${month} GROUP BY ALL`,
    ["cost", "compliant"],
  );
  const usage = categories.get("usage")?.cost ?? zero;
  const compliantCost = categories.get("usage")?.compliant ?? zero;
  const total = Decimal.sum(zero, ...[...categories.values()].map((c) => c.cost!));
  const otherCharges = [...categories].filter(([name]) => name !== "usage" && name !== "exempt").sort(([a], [b]) => a.localeCompare(b));

  const gaps = await sums(
    `SELECT BillingCurrency, 'all' AS name${keys.flatMap((_, i) => ["missing", "empty", "invalid"].map((p) => `, CAST(SUM(cost) FILTER (WHERE k${i} = '${p}') AS VARCHAR) AS k${i}_${p}`)).join("")}
     FROM judged WHERE BillingMonth = ${month} AND ${measured} GROUP BY ALL`,
    keys.flatMap((_, i) => ["missing", "empty", "invalid"].map((p) => `k${i}_${p}`)),
  );
  const gap = gaps.get("all");
  const byKey = keys.map((key, i) => {
    const [missing, empty, invalid] = ["missing", "empty", "invalid"].map((p) => gap?.[`k${i}_${p}`] ?? zero) as [Decimal, Decimal, Decimal];
    const ok = usage.minus(missing).minus(empty).minus(invalid);
    return { key, missingCost: missing.toFixed(), emptyCost: empty.toFixed(), invalidCost: invalid.toFixed(), compliantCost: ok.toFixed(), compliancePct: pct(ok, usage) };
  });

  const [resourceCounts] = await queryCharges(
    db,
    `SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE ok) AS compliant FROM (
       SELECT ResourceId, bool_and(compliant) AS ok FROM judged WHERE BillingMonth = ${month} AND ${measured} AND ResourceId IS NOT NULL GROUP BY ResourceId)`,
  );
  const rates = `(SELECT * FROM (VALUES ${[...new Set([model.currency, ...model.exchangeRates.keys()])].map((c) => `(${sqlString(c)}, ${groups.rate(c).toNumber()})`).join(", ")}) AS r(code, rate))`;
  const worst = await queryCharges(
    db,
    `SELECT ResourceId, any_value(ProviderName) AS provider, any_value(SubAccountId) AS account, any_value(ServiceName) AS service,
       list(DISTINCT BillingCurrency) AS currencies, string_agg(DISTINCT problems, ', ') AS problems
     FROM judged LEFT JOIN ${rates} ON code = COALESCE(BillingCurrency, ${sqlString(model.currency)})
     WHERE BillingMonth = ${month} AND ${measured} AND ResourceId IS NOT NULL
     GROUP BY ResourceId HAVING NOT bool_and(compliant) AND SUM(cost * COALESCE(rate, 1)) > 0
     ORDER BY SUM(cost * COALESCE(rate, 1)) DESC, ResourceId LIMIT 10`,
  );
  const worstCost = await sums(
    `SELECT ResourceId AS name, BillingCurrency, CAST(SUM(cost) AS VARCHAR) AS cost FROM judged
     WHERE BillingMonth = ${month} AND ${measured} AND ResourceId IN (${worst.map((w) => sqlString(String(w.ResourceId))).join(", ") || "NULL"}) GROUP BY ALL`,
    ["cost"],
  );

  const byTeam = await coverage("team");
  const total_resources = Number(resourceCounts?.total ?? 0);
  const compliant_resources = Number(resourceCounts?.compliant ?? 0);
  return {
    month: groups.month,
    currency: model.currency,
    costBasis: model.costBasis,
    totalCost: total.toFixed(),
    usageCost: usage.toFixed(),
    compliantCost: compliantCost.toFixed(),
    costCompliancePct: pct(compliantCost, usage),
    exemptCost: (categories.get("exempt")?.cost ?? zero).toFixed(),
    otherCharges: Object.fromEntries(otherCharges.map(([name, c]) => [name, c.cost!.toFixed()])),
    resources: { total: total_resources, compliant: compliant_resources, compliancePct: total_resources === 0 ? 100 : Number(((compliant_resources * 100) / total_resources).toFixed(2)) },
    byKey,
    byProvider: await coverage("ProviderName"),
    byAccount: await coverage("SubAccountId"),
    byService: await coverage("ServiceName"),
    byTeam,
    teams: [...model.teams.values()].map((team) => {
      const t = byTeam.find((c) => c.name === team.id);
      const share = t ? t.compliancePct : null;
      const earns = team.billingMode === "auto" ? (share !== null && share >= model.chargebackThreshold ? "chargeback" : "showback") : team.billingMode;
      return { team: team.id, billingMode: team.billingMode, earns, compliancePct: share };
    }),
    topUntagged: worst.map((w) => ({
      resourceId: String(w.ResourceId),
      provider: String(w.provider),
      account: w.account === null ? null : String(w.account),
      service: w.service === null ? null : String(w.service),
      cost: (worstCost.get(String(w.ResourceId))?.cost ?? zero).toFixed(),
      problems: [...new Set(String(w.problems ?? "").split(", ").filter(Boolean))].sort(),
    })),
    trend: (await coverage("BillingMonth", "true")).sort((a, b) => a.name.localeCompare(b.name)),
    threshold: model.chargebackThreshold,
    skipped: { rows: groups.skipped.rows, cost: groups.skipped.cost.toFixed(), unreadableAmounts: groups.skipped.unreadableAmounts },
    duplicates: groups.duplicates.map(([skipped, kept]) => ({ skipped, kept })),
  };
}
