// The report data as display strings: amounts formatted in the currency, shares as percentages, and every
// untrusted text (services, resources, tag values, reasons) passed through the target format's escape.
import type { ReportData } from "../report/data";
import { kubernetesShare } from "../compliance/kubernetes";
import { ANOMALY_DEFAULTS, FORECAST_MIN_MONTHS, MONTH_END_MIN_DAYS } from "../report/insights";
import { Decimal, oneMinorUnit, shownListPrice, shownListPrices, sumOf } from "../money";
import { COMPLIANCE_PLACES } from "../../model";
import { complianceBesideMode, formatMoney, formatPercent, groupThousands, monthName } from "../text/format";

export type Escape = (text: string) => string;

const BAR_WIDTH = 20;

/** A proportional bar of block characters, for Markdown and terminals; none for a share of nothing. */
export function bar(sharePct: number | null): string {
  if (sharePct === null) return "n/a";
  const width = Math.max(0, Math.round((sharePct / 100) * BAR_WIDTH));
  return "█".repeat(width) + "░".repeat(BAR_WIDTH - width);
}

const signed = (n: number | null) => formatPercent(n, 1, true);
const percent = (n: number | null) => formatPercent(n);
/** Tag compliance, rounded to two places where it is measured (compliance.ts) and shown so, not rounded again. */
const compliance = (n: number | null) => formatPercent(n, COMPLIANCE_PLACES);

export function reportView(d: ReportData, escape: Escape) {
  const money = (amount: string | null) => (amount === null ? "—" : formatMoney(new Decimal(amount), d.currency));
  const teamName = new Map(d.teams.map((t) => [t.team, t.name]));
  const range = (low: string | null, high: string | null) => (low === null || high === null ? "n/a" : `${money(low)} – ${money(high)}`);
  // The namespaces partition the measured workload cost: shown so they add up to it.
  const namespaceCosts = shownListPrices((d.kubernetes?.byNamespace ?? []).map((n) => new Decimal(n.cost)));
  return {
    month: d.month,
    monthName: monthName(d.month),
    currency: d.currency,
    // The methods' parameters, as insights.ts applies them: the text describing the method reads them here.
    method: {
      anomalyWindow: ANOMALY_DEFAULTS.window, anomalyThreshold: ANOMALY_DEFAULTS.threshold, anomalyMinimumJump: ANOMALY_DEFAULTS.minimumJump,
      anomalyHistory: ANOMALY_DEFAULTS.minimumHistory, forecastMonths: FORECAST_MIN_MONTHS, monthEndDays: MONTH_END_MIN_DAYS,
    },
    costBasis: d.costBasis === "EffectiveCost" ? "EffectiveCost (amortized)" : "BilledCost (as invoiced)",
    config: escape(d.config.split("/").pop() ?? d.config),
    generatedAt: d.generatedAt,
    summary: {
      total: money(d.summary.total),
      budget: money(d.summary.budget),
      budgetUsed: percent(d.summary.budgetUsedPct),
      lastMonth: money(d.summary.lastMonth),
      change: signed(d.summary.changePct),
      allocated: money(d.summary.allocated),
      unallocated: money(d.summary.unallocated),
      unallocatedShare: percent(d.summary.unallocatedPct),
      compliance: compliance(d.summary.costCompliancePct),
      anomalies: d.summary.anomalies,
      topDrivers: d.summary.topDrivers.map((t) => ({ service: escape(t.service), from: money(t.from), to: money(t.to), change: money(t.change) })),
      // Over by less than the minor unit: the exact cost is over, the shown one equals the budget.
      overBudget: d.summary.overBudget.map((o) => ({ team: escape(teamName.get(o.team) ?? o.team), over: new Decimal(o.over).isZero() ? `less than ${formatMoney(oneMinorUnit(d.currency), d.currency)}` : money(o.over), used: percent(o.usedPct) })),
    },
    composition: d.composition.map((c) => ({ category: escape(c.category), cost: money(c.cost), share: percent(c.sharePct), bar: bar(c.sharePct), raw: c.cost })),
    units: d.units.map((u) => ({ name: escape(u.name), cost: money(u.cost), budget: money(u.budget), variance: money(u.variance), used: percent(u.usedPct), status: u.status, statusClass: u.status.replace(" ", "-") })),
    teams: d.teams.map((t) => ({
      unit: escape(t.unit), name: escape(t.name), cost: money(t.cost), budget: money(t.budget), variance: money(t.variance), used: percent(t.usedPct),
      status: t.status, statusClass: t.status.replace(" ", "-"), mode: t.billingMode === "auto" ? `auto → ${t.earns}` : t.billingMode, compliance: complianceBesideMode(t.compliancePct, t, d.compliance.threshold),
      change: signed(t.changePct),
    })),
    breakdowns: d.breakdowns.map((b) => ({ key: escape(b.key), value: escape(b.value), team: escape(teamName.get(b.team) ?? b.team), cost: money(b.cost) })),
    unitCosts: d.unitCosts.map((u) => ({ metric: escape(u.metric), team: escape(teamName.get(u.team) ?? u.team), quantity: new Decimal(u.quantity).toNumber().toLocaleString("en-US"), cost: money(u.cost), perUnit: `${u.costPerUnit} ${d.currency}`, rank: u.rank })),
    compliance: {
      share: compliance(d.compliance.costCompliancePct),
      usage: money(d.compliance.usageCost),
      compliant: money(d.compliance.compliantCost),
      resources: `${d.compliance.resources.compliant} of ${d.compliance.resources.total}`,
      byKey: d.compliance.byKey.map((k) => ({ key: escape(k.key), missing: money(k.missingCost), empty: money(k.emptyCost), invalid: money(k.invalidCost), share: compliance(k.compliancePct) })),
      trend: d.compliance.trend.map((t) => ({ month: t.name, share: compliance(t.compliancePct), bar: bar(t.compliancePct) })),
      untagged: d.compliance.topUntagged.map((u) => ({ resource: escape(u.resourceId), service: escape(u.service ?? u.provider), cost: money(u.cost), problems: escape(u.problems.join(", ")) })),
    },
    rules: d.rules.map((r) => ({ rule: escape(r.rule), method: escape(r.method), stage: r.stage, match: escape(r.match), allocated: money(r.allocated), unallocated: money(r.unallocated) })),
    unallocated: d.unallocated.map((u) => ({ reason: escape(u.reason), rule: u.rule ? escape(u.rule) : "—", amount: money(u.amount) })),
    invoices: d.invoices.map((i) => ({ id: escape(i.id), party: escape(teamName.get(i.party) ?? i.party), mode: i.mode, subtotal: money(i.subtotal), markup: money(i.markup), discount: money(i.discount), adjustments: formatMoney(sumOf(i.adjustments.map((a) => new Decimal(a.amount))), d.currency), total: money(i.total) })),
    adjustments: d.adjustments.map((a) => ({ invoice: escape(a.invoice), amount: money(a.amount), reason: escape(a.reason), approvedBy: escape(a.approvedBy), source: escape(a.source.split("/").pop() ?? a.source) })),
    trendTeams: d.teams.map((t) => escape(t.name)),
    trend: d.trend.map((t) => ({ month: t.month, total: money(t.total), teams: d.teams.map((team) => money(t.teams[team.team] ?? "0")) })),
    anomalies: d.anomalies.map((a) => ({ date: a.date, team: escape(teamName.get(a.team) ?? a.team), service: escape(a.service), cost: money(a.cost), baseline: money(a.baseline), jump: money(a.jump), score: a.score === null ? "flat baseline" : `${a.score}σ` })),
    forecast: d.forecast.map((f) => ({
      team: escape(teamName.get(f.team) ?? f.team), monthEnd: money(f.monthEnd), monthEndRange: range(f.monthEndLow, f.monthEndHigh), next: money(f.nextMonth), nextRange: range(f.nextLow, f.nextHigh),
      lastForecast: money(f.lastForecast), actual: money(f.actual), error: signed(f.errorPct),
    })),
    recommendations: d.recommendations.map(escape),
    ai: d.ai && aiView(d.ai, d.currency, money, escape, teamName),
    kubernetes: d.kubernetes && {
      share: kubernetesShare(d.kubernetes, compliance),
      compliant: shownListPrice(d.kubernetes.compliantCost), workload: shownListPrice(d.kubernetes.workloadCost), idle: shownListPrice(d.kubernetes.idleCost), unallocated: shownListPrice(d.kubernetes.unallocatedCost),
      split: d.kubernetes.split.map((r) => ({ rule: escape(r.rule), party: escape(teamName.get(r.party) ?? r.party), workload: money(r.workload), idle: money(r.idle), total: money(r.total) })),
      namespaces: d.kubernetes.byNamespace.map((n, i) => ({ cluster: escape(n.cluster ?? "—"), namespace: escape(n.namespace), cost: namespaceCosts[i]!, share: compliance(n.compliancePct), problems: escape(n.problems.join(", ")) })),
    },
    withheld: Object.fromEntries(Object.entries(d.withheld).map(([k, line]) => [k, line === null ? null : escape(line)])) as Record<keyof ReportData["withheld"], string | null>,
    notes: d.notes.map(escape),
    inputs: d.inputs.map((f) => escape(f.split("/").pop() ?? f)),
    /** Mermaid needs plain numbers and quoted labels: the amounts as the data shows them, without a symbol. */
    mermaidPie: d.composition.filter((c) => new Decimal(c.cost).greaterThan(0)).map((c) => `    "${c.category.replace(/"/g, "'")}" : ${c.cost}`).join("\n"),
    mermaidMonths: d.trend.map((t) => t.month).join(", "),
    mermaidTotals: d.trend.map((t) => t.total).join(", "),
  };
}

/** The AI section's rows: unit costs below a cent keep three significant digits, counts are grouped. */
function aiView(ai: NonNullable<ReportData["ai"]>, currency: string, money: (v: string | null) => string, escape: Escape, teamName: Map<string, string>) {
  const unit = (v: string | null) => (v === null ? "—" : `${new Decimal(v).toSignificantDigits(3).toFixed()} ${currency}`);
  const count = (v: string) => groupThousands(v);
  const team = (t: string) => escape(teamName.get(t) ?? t);
  return {
    reconciliation: ai.reconciliation.map((r) => ({ rule: escape(r.rule), billed: money(r.billed), metered: money(r.metered), difference: money(r.difference), pct: signed(r.differencePct) })),
    products: ai.products.map((p) => ({
      product: escape(p.product), teams: escape(p.teams.map((t) => teamName.get(t) ?? t).join(", ")), cost: money(p.cost), calls: count(p.calls), customers: p.customers,
      perCall: unit(p.costPerCall), perCustomer: p.costPerCustomer === null ? "—" : money(p.costPerCustomer), per1K: unit(p.costPer1KTokens),
      callsPerDollar: p.callsPerDollar === null ? "—" : new Decimal(p.callsPerDollar).toDecimalPlaces(1).toFixed(1), rank: p.efficiencyRank ?? "—", budget: money(p.budget), status: p.status ?? "—", change: signed(p.changePct),
    })),
    teams: ai.teams.map((t) => ({ team: team(t.team), cost: money(t.cost), calls: count(t.calls), customers: t.customers, perCall: unit(t.costPerCall) })),
    features: ai.features.map((f) => ({ product: escape(f.product), feature: escape(f.feature), cost: money(f.cost), calls: count(f.calls), perCall: unit(f.costPerCall) })),
    crossTeam: ai.crossTeam.map((c) => ({ product: escape(c.product), team: team(c.team), calls: count(c.calls), cost: money(c.cost) })),
    gpu: ai.gpu.map((g) => ({ team: team(g.team), workload: escape(g.workload), gpuType: escape(g.gpuType), hours: g.hours.replace(/^\d+/, groupThousands), cost: money(g.cost) })),
    models: ai.models.map((m) => ({ model: escape(m.model), tokens: count(m.tokens), cost: money(m.cost), per1K: unit(m.costPer1KTokens) })),
  };
}
