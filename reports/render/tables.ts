// Every table of the report as CSV for finance systems: one file per table, header first, cells that
// could run as spreadsheet formulas neutralised. Amounts are exact decimal strings.
import type { ReportData } from "../report/data";

export function reportTables(d: ReportData): Record<string, (string | number | null)[][]> {
  return {
    teams: [["unit", "team", "name", "cost", "budget", "variance", "usedPct", "status", "billingMode", "earns", "compliancePct", "lastMonth", "changePct"],
      ...d.teams.map((t) => [t.unit, t.team, t.name, t.cost, t.budget, t.variance, t.usedPct, t.status, t.billingMode, t.earns, t.compliancePct, t.lastMonth, t.changePct])],
    units: [["unit", "name", "cost", "budget", "variance", "usedPct", "status"], ...d.units.map((u) => [u.unit, u.name, u.cost, u.budget, u.variance, u.usedPct, u.status])],
    composition: [["category", "cost", "sharePct"], ...d.composition.map((c) => [c.category, c.cost, c.sharePct])],
    breakdowns: [["key", "value", "team", "cost"], ...d.breakdowns.map((b) => [b.key, b.value, b.team, b.cost])],
    "unit-costs": [["metric", "rank", "team", "quantity", "cost", "costPerUnit"], ...d.unitCosts.map((u) => [u.metric, u.rank, u.team, u.quantity, u.cost, u.costPerUnit])],
    "compliance-by-key": [["key", "missingCost", "emptyCost", "invalidCost", "compliantCost", "compliancePct"], ...d.compliance.byKey.map((k) => [k.key, k.missingCost, k.emptyCost, k.invalidCost, k.compliantCost, k.compliancePct])],
    "compliance-trend": [["month", "usageCost", "compliantCost", "compliancePct"], ...d.compliance.trend.map((t) => [t.name, t.usageCost, t.compliantCost, t.compliancePct])],
    "untagged-resources": [["resourceId", "provider", "account", "service", "cost", "problems"], ...d.compliance.topUntagged.map((u) => [u.resourceId, u.provider, u.account, u.service, u.cost, u.problems.join("; ")])],
    rules: [["rule", "method", "stage", "match", "allocated", "unallocated"], ...d.rules.map((r) => [r.rule, r.method, r.stage, r.match, r.allocated, r.unallocated])],
    unallocated: [["reason", "rule", "amount"], ...d.unallocated.map((u) => [u.reason, u.rule, u.amount])],
    invoices: [["invoice", "party", "kind", "costCenter", "mode", "subtotal", "markup", "discount", "total"], ...d.invoices.map((i) => [i.id, i.party, i.kind, i.costCenter, i.mode, i.subtotal, i.markup, i.discount, i.total])],
    "invoice-lines": [["invoice", "service", "rule", "amount"], ...d.invoices.flatMap((i) => i.lines.map((l) => [i.id, l.service, l.rule, l.amount]))],
    adjustments: [["invoice", "amount", "reason", "approvedBy", "source"], ...d.adjustments.map((a) => [a.invoice, a.amount, a.reason, a.approvedBy, a.source])],
    trend: [["month", "total", ...d.teams.map((t) => t.team)], ...d.trend.map((t) => [t.month, t.total, ...d.teams.map((team) => t.teams[team.team] ?? "0")])],
    anomalies: [["date", "team", "service", "cost", "baseline", "jump", "score"], ...d.anomalies.map((a) => [a.date, a.team, a.service, a.cost, a.baseline, a.jump, a.score])],
    "ai-products": [["product", "teams", "cost", "calls", "customers", "tokens", "costPerCall", "costPerCustomer", "costPer1KTokens", "callsPerDollar", "efficiencyRank", "budget", "status", "lastMonth", "changePct"],
      ...(d.ai?.products ?? []).map((p) => [p.product, p.teams.join(" "), p.cost, p.calls, p.customers, p.tokens, p.costPerCall, p.costPerCustomer, p.costPer1KTokens, p.callsPerDollar, p.efficiencyRank, p.budget, p.status, p.lastMonth, p.changePct])],
    "ai-features": [["product", "feature", "cost", "calls", "costPerCall"], ...(d.ai?.features ?? []).map((f) => [f.product, f.feature, f.cost, f.calls, f.costPerCall])],
    "ai-gpu": [["team", "workload", "gpuType", "hours", "cost"], ...(d.ai?.gpu ?? []).map((g) => [g.team, g.workload, g.gpuType, g.hours, g.cost])],
    "ai-reconciliation": [["rule", "billed", "metered", "difference", "differencePct"], ...(d.ai?.reconciliation ?? []).map((r) => [r.rule, r.billed, r.metered, r.difference, r.differencePct])],
    forecast: [["team", "monthEnd", "monthEndLow", "monthEndHigh", "nextMonth", "nextLow", "nextHigh", "lastForecast", "actual", "errorPct"],
      ...d.forecast.map((f) => [f.team, f.monthEnd, f.monthEndLow, f.monthEndHigh, f.nextMonth, f.nextLow, f.nextHigh, f.lastForecast, f.actual, f.errorPct])],
  };
}
