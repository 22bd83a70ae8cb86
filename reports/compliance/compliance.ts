// Tag compliance of the bill: the share of usage cost (and of resources) that carries every required tag
// with a valid value, broken down by key, provider, account, service and team, with the worst untagged
// resources, the trend by month and the billing mode each team earns. Credits, taxes and purchases are
// reported beside it, never inside it, so a negative credit cannot lift coverage past 100%.
import type { CostModel, TagEvaluation } from "../../model";
import { ownerResolver } from "../attribute/direct";
import { Decimal } from "../money";
import type { ChargeRow, LoadedCharges } from "../read/charges";
import { TagSetJudge } from "../read/tags";

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

class Tally {
  private readonly totals = new Map<string, { usage: Decimal; compliant: Decimal }>();
  add(name: string, cost: Decimal, compliant: boolean) {
    const t = this.totals.get(name) ?? { usage: zero, compliant: zero };
    this.totals.set(name, { usage: t.usage.plus(cost), compliant: compliant ? t.compliant.plus(cost) : t.compliant });
  }
  get(name: string) {
    return this.totals.get(name);
  }
  /** Largest usage first, then by name, for stable output. */
  list(): Coverage[] {
    return [...this.totals]
      .sort(([a, x], [b, y]) => y.usage.comparedTo(x.usage) || a.localeCompare(b))
      .map(([name, t]) => ({ name, usageCost: t.usage.toFixed(), compliantCost: t.compliant.toFixed(), compliancePct: pct(t.compliant, t.usage) }));
  }
}

const isUsage = (row: ChargeRow) => row.chargeCategory.toLowerCase() === "usage";

function problemsOf(evaluation: TagEvaluation | "unreadable"): string[] {
  if (evaluation === "unreadable") return ["tags cannot be read"];
  return evaluation.findings.map((f) => (f.problem === "invalid" ? `${f.key}=${JSON.stringify(f.value)} not allowed` : `${f.problem} ${f.key}`));
}

export function measureCompliance(model: CostModel, charges: LoadedCharges): ComplianceReport {
  const judge = new TagSetJudge(model.tags);
  const direct = model.allocationRules.find((r) => r.method === "direct");
  const owner = ownerResolver(model, direct?.method === "direct" ? direct.keys : [model.tags.required[0]?.key ?? "team"]);
  const byKey = new Map(model.tags.required.map((t) => [t.key, { missing: zero, empty: zero, invalid: zero }]));
  const [providers, accounts, services, teams, trend] = [new Tally(), new Tally(), new Tally(), new Tally(), new Tally()];
  const resources = new Map<string, { cost: Decimal; compliant: boolean; row: ChargeRow; problems: Set<string> }>();
  const otherCharges = new Map<string, Decimal>();
  let total = zero;
  let usage = zero;
  let compliantCost = zero;
  let exempt = zero;

  const judgeRow = (row: ChargeRow) => {
    const evaluation = judge.judge(row.tagsFormat, row.tags);
    const compliant = evaluation !== "unreadable" && evaluation.findings.length === 0;
    return { evaluation, compliant };
  };
  const isExempt = (row: ChargeRow) => model.tags.isExempt({ type: row.resourceType, account: row.account });

  for (const row of charges.rows) {
    total = total.plus(row.cost);
    if (!isUsage(row)) {
      otherCharges.set(row.chargeCategory, (otherCharges.get(row.chargeCategory) ?? zero).plus(row.cost));
      continue;
    }
    if (isExempt(row)) {
      exempt = exempt.plus(row.cost);
      continue;
    }
    const { evaluation, compliant } = judgeRow(row);
    usage = usage.plus(row.cost);
    if (compliant) compliantCost = compliantCost.plus(row.cost);
    if (evaluation === "unreadable") {
      for (const gap of byKey.values()) gap.missing = gap.missing.plus(row.cost);
    } else {
      for (const f of evaluation.findings) {
        const gap = byKey.get(f.key)!;
        gap[f.problem] = gap[f.problem].plus(row.cost);
      }
    }
    providers.add(row.provider, row.cost, compliant);
    accounts.add(row.account ?? "(none)", row.cost, compliant);
    services.add(row.service ?? "(none)", row.cost, compliant);
    const found = evaluation === "unreadable" ? undefined : owner(evaluation, row.chargeCategory);
    teams.add(found && "team" in found ? found.team : "(unallocated)", row.cost, compliant);
    if (row.resourceId) {
      const r = resources.get(row.resourceId) ?? { cost: zero, compliant: true, row, problems: new Set<string>() };
      r.cost = r.cost.plus(row.cost);
      r.compliant &&= compliant;
      problemsOf(evaluation).forEach((p) => r.problems.add(p));
      resources.set(row.resourceId, r);
    }
  }

  for (const row of charges.allMonths) {
    if (!isUsage(row) || isExempt(row)) continue;
    trend.add(row.month, row.cost, judgeRow(row).compliant);
  }

  const compliantResources = [...resources.values()].filter((r) => r.compliant).length;
  const topUntagged = [...resources]
    .filter(([, r]) => !r.compliant && r.cost.greaterThan(0))
    .sort(([a, x], [b, y]) => y.cost.comparedTo(x.cost) || a.localeCompare(b))
    .slice(0, 10)
    .map(([resourceId, r]) => ({ resourceId, provider: r.row.provider, account: r.row.account, service: r.row.service, cost: r.cost.toFixed(), problems: [...r.problems].sort() }));

  return {
    month: charges.month,
    currency: model.currency,
    costBasis: model.costBasis,
    totalCost: total.toFixed(),
    usageCost: usage.toFixed(),
    compliantCost: compliantCost.toFixed(),
    costCompliancePct: pct(compliantCost, usage),
    exemptCost: exempt.toFixed(),
    otherCharges: Object.fromEntries([...otherCharges].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.toFixed()])),
    resources: { total: resources.size, compliant: compliantResources, compliancePct: resources.size === 0 ? 100 : Number(((compliantResources * 100) / resources.size).toFixed(2)) },
    byKey: [...byKey].map(([key, g]) => {
      const gap = g.missing.plus(g.empty).plus(g.invalid);
      return { key, missingCost: g.missing.toFixed(), emptyCost: g.empty.toFixed(), invalidCost: g.invalid.toFixed(), compliantCost: usage.minus(gap).toFixed(), compliancePct: pct(usage.minus(gap), usage) };
    }),
    byProvider: providers.list(),
    byAccount: accounts.list(),
    byService: services.list(),
    byTeam: teams.list(),
    teams: [...model.teams.values()].map((team) => {
      const t = teams.get(team.id);
      const share = t ? pct(t.compliant, t.usage) : null;
      const earns = team.billingMode === "auto" ? (share !== null && share >= model.chargebackThreshold ? "chargeback" : "showback") : team.billingMode;
      return { team: team.id, billingMode: team.billingMode, earns, compliancePct: share };
    }),
    topUntagged,
    trend: trend.list().sort((a, b) => a.name.localeCompare(b.name)),
    threshold: model.chargebackThreshold,
    skipped: { rows: charges.skipped.rows, cost: charges.skipped.cost.toFixed(), unreadableAmounts: charges.skipped.unreadableAmounts },
    duplicates: charges.duplicates.map(([skipped, kept]) => ({ skipped, kept })),
  };
}
