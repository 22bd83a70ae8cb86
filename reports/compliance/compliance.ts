// Tag compliance of the bill: the share of usage cost (and of resources) that carries every required tag
// with a valid value, broken down by key, provider, account, service and team, with the worst untagged
// resources, the trend by month and the billing mode each team earns. Credits, taxes and purchases are
// reported beside it, never inside it, so a negative credit cannot lift coverage past 100%.
//
// Each distinct tag set is judged once in JS by the model's verdict (attribute/tag-sets.ts); the verdicts
// go back to DuckDB as a small table, and every breakdown is a query over the already-summed
// `charge_groups`, so no per-charge work happens in JS.
import type { DuckDBConnection } from "@duckdb/node-api";
import { COMPLIANCE_PLACES, earnedBillingMode, exactPercent, percentOf, roundPercent, type CostModel, type EarnedMode } from "../../model";
import { judgeTagSets } from "../attribute/tag-sets";
import type { KubernetesCompliance } from "./kubernetes";
import { Decimal, sumOf } from "../money";
import { queryCharges } from "../read/billing";
import { shownInTrends } from "../read/overlap";
import type { ChargeGroups } from "../read/charges";
import { sqlString } from "../read/duckdb";

export interface Coverage {
  name: string;
  usageCost: string;
  compliantCost: string;
  compliancePct: number | null;
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
  /** Null without usage cost to measure: no percentage of nothing. */
  costCompliancePct: number | null;
  exemptCost: string;
  /** Non-usage charges by category (Tax, Credit, Purchase, Adjustment), shown beside the measure. */
  otherCharges: Record<string, string>;
  resources: { total: number; compliant: number; compliancePct: number | null };
  byKey: { key: string; missingCost: string; emptyCost: string; invalidCost: string; compliantCost: string; compliancePct: number | null }[];
  byProvider: Coverage[];
  byAccount: Coverage[];
  byService: Coverage[];
  byTeam: Coverage[];
  teams: { team: string; billingMode: string; earns: EarnedMode; compliancePct: number | null }[];
  topUntagged: { resourceId: string; provider: string; account: string | null; service: string | null; cost: string; problems: string[] }[];
  trend: Coverage[];
  threshold: number;
  skipped: { rows: number; cost: string; unreadableAmounts: number };
  /** Amounts not read as written (see ChargeGroups.amounts): empty cost basis, no cost at all, more than 18 places. */
  amounts: { fellBack: { rows: number; cost: string; column: CostModel["costBasis"] }; empty: number; cut: { rows: number; amount: string } };
  duplicates: { skipped: string; kept: string }[];
  /** Actual or amortized exports not read because costBasis needs the other kind (see read/overlap.ts). */
  setAside: { file: string; instead: string; note: string }[];
  /** The shared cluster's label compliance, with --k8s. */
  kubernetes?: KubernetesCompliance;
}

/**
 * The compliance report, and the exact shares that decisions are made on: whether the month passes
 * --fail-under, and the billing mode each team earns. The report's percentages are rounded for reading;
 * a decision on them would count 79.996% as 80.
 */
export interface MeasuredCompliance {
  report: ComplianceReport;
  /** Compliant usage cost in percent of usage cost, exact: the month's, and each team's by id; null without usage cost. */
  exact: { cost: Decimal | null; teams: ReadonlyMap<string, Decimal | null> };
}

const zero = new Decimal(0);
/** How many of the costliest untagged resources compliance names. */
const TOP_UNTAGGED = 10;
/** Compliance in percent, to COMPLIANCE_PLACES; null without usage cost to measure (not 100% of nothing). */
const pct = (part: Decimal, whole: Decimal) => percentOf(part, whole, COMPLIANCE_PLACES);
export async function measureCompliance(db: DuckDBConnection, model: CostModel, groups: ChargeGroups): Promise<MeasuredCompliance> {
  const { keys } = await judgeTagSets(db, model, groups.resources);
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
  /** Usage and compliant cost by a dimension, exact, largest usage first. */
  const covered = async (dimension: string, where = `BillingMonth = ${month}`) => {
    const totals = await sums(
      `SELECT ${dimension} AS name, BillingCurrency, CAST(SUM(cost) AS VARCHAR) AS usage, CAST(SUM(cost) FILTER (WHERE compliant) AS VARCHAR) AS compliant
       FROM judged WHERE ${where} AND ${measured} GROUP BY ALL`,
      ["usage", "compliant"],
    );
    return [...totals].sort(([a, x], [b, y]) => y.usage!.comparedTo(x.usage!) || a.localeCompare(b));
  };
  const asCoverage = ([name, t]: [string, Record<string, Decimal>]): Coverage => ({ name, usageCost: t.usage!.toFixed(), compliantCost: t.compliant!.toFixed(), compliancePct: pct(t.compliant!, t.usage!) });
  const coverage = async (dimension: string, where?: string) => (await covered(dimension, where)).map(asCoverage);
  const shown = shownInTrends(groups.month, groups.setAside);

  const categories = await sums(
    `SELECT CASE WHEN is_usage AND is_exempt THEN 'exempt' WHEN is_usage THEN 'usage' ELSE ChargeCategory END AS name, BillingCurrency,
       CAST(SUM(cost) AS VARCHAR) AS cost, CAST(SUM(cost) FILTER (WHERE compliant) AS VARCHAR) AS compliant
     FROM judged WHERE BillingMonth = ${month} GROUP BY ALL`,
    ["cost", "compliant"],
  );
  const usage = categories.get("usage")?.cost ?? zero;
  const compliantCost = categories.get("usage")?.compliant ?? zero;
  const total = sumOf([...categories.values()].map((c) => c.cost!));
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

  // Resource-level figures come from `resource_groups`, summed in the same scan when the command shows them.
  // One pass over the month's resources counts them and picks the candidates for the costliest untagged;
  // their cost is converted there with DOUBLE rates (DECIMAL(38,18) times DECIMAL(38,18) overflows), so the
  // candidates are every resource within a billionth of the tenth's DOUBLE cost, ties included: the amounts
  // are then summed exactly in their own currencies, converted with Decimal, and ranked on those.
  const resourcesOfMonth = `FROM judged_resources WHERE BillingMonth = ${month} AND ${measured}`;
  const rates = `(SELECT * FROM (VALUES ${[...new Set([model.currency, ...model.exchangeRates.keys()])].map((c) => `(${sqlString(c)}, CAST(${groups.rate(c).toNumber()} AS DOUBLE))`).join(", ")}) AS r(code, rate))`;
  const [resourceFigures] = groups.resources
    ? await queryCharges(
        db,
        `WITH r AS MATERIALIZED (
           SELECT ResourceId, bool_and(compliant) AS ok, SUM(cost * COALESCE(rate, 1)) AS cost
           FROM (SELECT * ${resourcesOfMonth}) LEFT JOIN ${rates} ON code = COALESCE(BillingCurrency, ${sqlString(model.currency)})
           GROUP BY ResourceId),
         bar AS (SELECT min(cost) * (1 - 1e-9) AS at FROM (SELECT cost FROM r WHERE NOT ok AND cost > 0 ORDER BY cost DESC LIMIT ${TOP_UNTAGGED}))
         SELECT (SELECT COUNT(*) FROM r) AS total, (SELECT COUNT(*) FROM r WHERE ok) AS compliant,
           (SELECT list(ResourceId ORDER BY ResourceId) FROM r, bar WHERE NOT ok AND cost > 0 AND cost >= bar.at) AS worst`,
      )
    : [];
  const worstIds = ((resourceFigures?.worst as unknown[] | null | undefined) ?? []).map(String);
  const details = new Map(worstIds.map((id) => [id, { provider: null as string | null, account: null as string | null, service: null as string | null, cost: zero, problems: new Set<string>() }]));
  if (worstIds.length > 0) {
    const rows = await queryCharges(
      db,
      `SELECT ResourceId, BillingCurrency, CAST(SUM(cost) AS VARCHAR) AS cost, min(ProviderName) AS provider, min(SubAccountId) AS account, min(ServiceName) AS service,
         list(DISTINCT problems) AS problems
       ${resourcesOfMonth} AND ResourceId IN (${worstIds.map(sqlString).join(", ")}) GROUP BY ALL ORDER BY ALL`,
    );
    const least = (a: string | null, b: unknown) => (b === null || b === undefined ? a : a === null || String(b) < a ? String(b) : a);
    for (const r of rows) {
      const d = details.get(String(r.ResourceId))!;
      d.provider = least(d.provider, r.provider);
      d.account = least(d.account, r.account);
      d.service = least(d.service, r.service);
      d.cost = d.cost.plus(new Decimal(r.cost === null ? 0 : String(r.cost)).times(groups.rate(r.BillingCurrency as string | null)));
      for (const p of (r.problems as unknown[] | null) ?? []) if (p !== null) for (const one of JSON.parse(String(p)) as string[]) d.problems.add(one);
    }
  }

  const teamTotals = await covered("team");
  const byTeam = teamTotals.map(asCoverage);
  const teamShares = new Map([...model.teams.keys()].map((id) => {
    const t = teamTotals.find(([name]) => name === id)?.[1];
    return [id, t ? exactPercent(t.compliant!, t.usage!) : null];
  }));
  const total_resources = Number(resourceFigures?.total ?? 0);
  const compliant_resources = Number(resourceFigures?.compliant ?? 0);
  const report: ComplianceReport = {
    month: groups.month,
    currency: model.currency,
    costBasis: model.costBasis,
    totalCost: total.toFixed(),
    usageCost: usage.toFixed(),
    compliantCost: compliantCost.toFixed(),
    costCompliancePct: pct(compliantCost, usage),
    exemptCost: (categories.get("exempt")?.cost ?? zero).toFixed(),
    otherCharges: Object.fromEntries(otherCharges.map(([name, c]) => [name, c.cost!.toFixed()])),
    resources: { total: total_resources, compliant: compliant_resources, compliancePct: pct(new Decimal(compliant_resources), new Decimal(total_resources)) },
    byKey,
    byProvider: await coverage("ProviderName"),
    byAccount: await coverage("SubAccountId"),
    byService: await coverage("ServiceName"),
    byTeam,
    teams: [...model.teams.values()].map((team) => {
      const share = teamShares.get(team.id)!;
      return { team: team.id, billingMode: team.billingMode, earns: earnedBillingMode(model, team.id, share), compliancePct: roundPercent(share, COMPLIANCE_PLACES) };
    }),
    // The ten costliest by their exact cost, ties by id (DuckDB's DOUBLE order can swap two that differ past 15 digits).
    topUntagged: worstIds
      .map((id) => ({ id, d: details.get(id)! }))
      .sort((a, b) => b.d.cost.comparedTo(a.d.cost) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, TOP_UNTAGGED)
      .map(({ id, d }) => ({ resourceId: id, provider: String(d.provider), account: d.account, service: d.service, cost: d.cost.toFixed(), problems: [...d.problems].sort() })),
    // Months read only in part (an input set aside for --month) are left out, as every trend leaves them.
    trend: (await coverage("BillingMonth", "true")).filter((t) => shown(t.name)).sort((a, b) => a.name.localeCompare(b.name)),
    threshold: model.chargebackThreshold,
    skipped: { rows: groups.skipped.rows, cost: groups.skipped.cost.toFixed(), unreadableAmounts: groups.skipped.unreadableAmounts },
    amounts: {
      fellBack: { ...groups.amounts.fellBack, cost: groups.amounts.fellBack.cost.toFixed() },
      empty: groups.amounts.empty,
      cut: { rows: groups.amounts.cut.rows, amount: groups.amounts.cut.amount.toFixed() },
    },
    duplicates: groups.duplicates.map(([skipped, kept]) => ({ skipped, kept })),
    setAside: groups.setAside.map(({ file, instead, note }) => ({ file, instead, note })),
  };
  return { report, exact: { cost: exactPercent(compliantCost, usage), teams: teamShares } };
}
