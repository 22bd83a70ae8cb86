// Builds a month's report data once, from the allocated bill: every section the Markdown, HTML, CSV and
// JSON outputs show comes from here, as plain data with amounts as exact decimal strings.
import type { DuckDBConnection } from "@duckdb/node-api";
import { loadCostModel, type CostModel } from "../../model";
import { AllocationEngine, rollUp, totalsByTarget, type AllocationResult } from "../allocate/engine";
import { loadMetering } from "../ai/metering";
import { aiSection, type AiSection } from "../ai/section";
import { loadMetrics, noMetrics, type Metrics } from "../allocate/metrics";
import { attributeDirect, ownerResolver, type DirectAttribution } from "../attribute/direct";
import { loadAdjustments } from "../chargeback/adjustments";
import { buildInvoices, invoiceId, type Adjustment, type BudgetStatus, type Invoice } from "../chargeback/invoices";
import { measureCompliance, type ComplianceReport } from "../compliance/compliance";
import { Decimal, roundLargestRemainder } from "../money";
import { queryCharges } from "../read/billing";
import { loadChargeGroups, readChargeRows, type ChargeRow, type LoadOptions } from "../read/charges";
import { sqlString, withDuckDB } from "../read/duckdb";
import { TagSetJudge } from "../read/tags";
import type { TagsFormat } from "../read/sources";
import { findAnomalies, forecastMonthEnd, forecastNext } from "./insights";

export interface ReportOptions {
  config: string;
  input: string[];
  month?: string;
  metrics?: string;
  metering?: string;
  adjustments?: string;
  skipBadRows?: boolean;
  onProgress?: LoadOptions["onProgress"];
}

const TREND_MONTHS = 6;
const CATEGORY_BUCKETS: [RegExp, string][] = [
  [/^compute$/i, "Compute"],
  [/^storage$/i, "Storage"],
  [/^network/i, "Network"],
  [/^databases?$/i, "Databases"],
  [/^(ai|machine learning|ai and machine learning)/i, "AI/ML"],
];

export interface TeamLine {
  unit: string;
  team: string;
  name: string;
  cost: string;
  budget: string;
  variance: string;
  usedPct: number;
  status: BudgetStatus["status"];
  billingMode: string;
  earns: "showback" | "chargeback";
  compliancePct: number | null;
  lastMonth: string;
  changePct: number | null;
}

export interface ReportData {
  month: string;
  currency: string;
  costBasis: CostModel["costBasis"];
  config: string;
  generatedAt: string | null;
  summary: {
    total: string;
    budget: string;
    budgetUsedPct: number;
    lastMonth: string | null;
    changePct: number | null;
    allocated: string;
    unallocated: string;
    unallocatedPct: number;
    costCompliancePct: number;
    topDrivers: { service: string; from: string; to: string; change: string }[];
    anomalies: number;
    overBudget: { team: string; over: string; usedPct: number }[];
  };
  composition: { category: string; cost: string; sharePct: number }[];
  units: { unit: string; name: string; cost: string; budget: string; variance: string; usedPct: number; status: BudgetStatus["status"] }[];
  teams: TeamLine[];
  breakdowns: { key: string; value: string; team: string; cost: string }[];
  unitCosts: { metric: string; team: string; quantity: string; cost: string; costPerUnit: string; rank: number }[];
  compliance: Pick<ComplianceReport, "usageCost" | "compliantCost" | "costCompliancePct" | "byKey" | "trend" | "topUntagged" | "resources">;
  rules: { rule: string; method: string; stage: number; match: string; allocated: string; unallocated: string }[];
  unallocated: { reason: string; rule: string | null; amount: string }[];
  invoices: Invoice[];
  adjustments: { invoice: string; amount: string; reason: string; approvedBy: string; source: string }[];
  trend: { month: string; total: string; teams: Record<string, string> }[];
  anomalies: { date: string; team: string; service: string; cost: string; baseline: string; jump: string; score: number | null }[];
  forecast: { team: string; monthEnd: string; monthEndLow: string; monthEndHigh: string; nextMonth: string; nextLow: string; nextHigh: string; lastForecast: string | null; actual: string; errorPct: number | null }[];
  recommendations: string[];
  /** AI and GPU usage from the metering log, with unit economics; null without --metering. */
  ai: AiSection | null;
  notes: string[];
  inputs: string[];
}

export interface BuiltReport {
  data: ReportData;
  model: CostModel;
  /** Direct attribution of the month, kept for checks against a sample's truth. */
  attribution: DirectAttribution;
  files: string[];
}

const pct = (part: Decimal, whole: Decimal) => (whole.isZero() ? 0 : part.times(100).dividedBy(whole).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber());
const money = (n: number) => new Decimal(n.toFixed(2)).toFixed(2);
const add = (map: Map<string, Decimal>, key: string, amount: Decimal) => map.set(key, (map.get(key) ?? new Decimal(0)).plus(amount));

function statusOf(model: CostModel, used: Decimal): BudgetStatus["status"] {
  const levels = model.budgetAlerts.filter((a) => a.type === "actual" && a.threshold < 100).map((a) => a.threshold);
  const atRisk = levels.length > 0 ? Math.max(...levels) : 80;
  return used.greaterThan(100) ? "over" : used.greaterThanOrEqualTo(atRisk) ? "at risk" : "under";
}

function daysIn(month: string): number {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

export async function buildReport(options: ReportOptions, generatedAt: string | null = null): Promise<BuiltReport> {
  const model = loadCostModel(options.config);
  return withDuckDB(async (db) => {
    const groups = await loadChargeGroups(db, model, options.input, {
      ...(options.month ? { month: options.month } : {}),
      skipBadRows: Boolean(options.skipBadRows),
      byResource: true,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const month = groups.month;
    const compliance = await measureCompliance(db, model, groups);
    const { allMonths, rows } = await readChargeRows(db, groups);
    const metrics = options.metrics ? await loadMetrics(db, options.metrics, model) : noMetrics;
    const windowMonths = groups.months.filter((m) => m <= month).slice(-TREND_MONTHS);
    const metering = options.metering ? await loadMetering(db, options.metering, model) : undefined;
    const engine = new AllocationEngine(model, metrics, metering);
    const results = new Map(windowMonths.map((m) => [m, engine.allocate(allMonths.filter((r) => r.month === m))]));
    const current = results.get(month)!;
    const direct = model.allocationRules.find((r) => r.method === "direct");
    const keys = direct?.method === "direct" ? direct.keys : [model.tags.required[0]?.key ?? "team"];
    const attribution = attributeDirect(model, rows, keys);
    const teamCompliance = new Map([...model.teams.keys()].map((t) => [t, compliance.byTeam.find((c) => c.name === t)?.compliancePct ?? null]));
    const parties = new Set([...model.teams.keys(), ...model.units.map((u) => u.id)].map((p) => invoiceId(month, p)));
    const adjustments = options.adjustments ? await loadAdjustments(db, options.adjustments, parties) : [];
    const { invoices } = buildInvoices(model, month, current, teamCompliance, adjustments);
    const daily = await dailyByTeamAndService(db, model, keys, month, groups.rate);
    const data = assemble(model, month, generatedAt, { groups: { ...groups, files: groups.files }, compliance, rows, allMonths, results, windowMonths, metrics, invoices, adjustments, daily });
    data.ai = metering ? aiSection(model, month, previousMonth(month), metering, [...results.values()].flatMap((r) => r.reconciliation)) : null;
    return { data, model, attribution, files: groups.files.map((f) => f.path) };
  });
}

/** Daily cost by owner team and service, from 14 days before the month to its end: the anomaly baseline. */
async function dailyByTeamAndService(db: DuckDBConnection, model: CostModel, keys: readonly string[], month: string, rate: (c: string | null) => Decimal) {
  const start = new Date(`${month}-01T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() - 14);
  const basis = model.costBasis;
  const rows = await queryCharges(
    db,
    `SELECT CAST(ChargeDate AS VARCHAR) AS day, ServiceName, Tags, TagsFormat, BillingCurrency, CAST(SUM(${basis}) AS VARCHAR) AS cost
     FROM charges WHERE ChargeDate >= CAST(${sqlString(start.toISOString().slice(0, 10))} AS DATE) AND ChargeDate <= CAST(${sqlString(`${month}-${String(daysIn(month)).padStart(2, "0")}`)} AS DATE)
       AND ${basis} IS NOT NULL AND lower(ChargeCategory) = 'usage'
     GROUP BY ALL`,
  );
  const judge = new TagSetJudge(model.tags);
  const owner = ownerResolver(model, keys);
  const series = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const evaluation = judge.judge(String(r.TagsFormat) as TagsFormat, r.Tags === null ? null : String(r.Tags));
    const found = evaluation === "unreadable" ? undefined : owner(evaluation, "Usage");
    const team = found && "team" in found ? found.team : "(unallocated)";
    const key = `${team}\u0000${r.ServiceName ?? "(none)"}`;
    const days = series.get(key) ?? new Map<string, number>();
    days.set(String(r.day), (days.get(String(r.day)) ?? 0) + new Decimal(String(r.cost)).times(rate(r.BillingCurrency as string | null)).toNumber());
    series.set(key, days);
  }
  return { series, start };
}

interface Parts {
  groups: { files: { path: string }[]; duplicates: [string, string][]; skipped: { rows: number; cost: Decimal; unreadableAmounts: number }; undated: { rows: number; cost: Decimal } };
  compliance: ComplianceReport;
  rows: ChargeRow[];
  allMonths: ChargeRow[];
  results: Map<string, AllocationResult>;
  windowMonths: string[];
  metrics: Metrics;
  invoices: Invoice[];
  adjustments: Adjustment[];
  daily: Awaited<ReturnType<typeof dailyByTeamAndService>>;
}

function assemble(model: CostModel, month: string, generatedAt: string | null, p: Parts): ReportData {
  const current = p.results.get(month)!;
  const previous = p.results.get(previousMonth(month));
  const rolled = rollUp(model, current.lines);
  const lastRolled = previous ? rollUp(model, previous.lines) : undefined;
  const total = current.total;
  const budget = Decimal.sum(0, ...[...model.teams.values()].map((t) => t.budget));
  const zero = new Decimal(0);

  // Displayed amounts are rounded together by largest remainder, so teams, unit-level allocations and the
  // unallocated line add up to the total in cents exactly as they do in full.
  const teamIds = model.units.flatMap((u) => u.teams.map((t) => t.id));
  const unitOnly = [...totalsByTarget(current.lines)].filter(([target]) => !model.teams.has(target) && !model.projects.has(target));
  const shown = roundLargestRemainder([...teamIds.map((t) => rolled.teams.get(t) ?? zero), ...unitOnly.map(([, v]) => v), current.unallocated], 2);
  const shownTeam = new Map(teamIds.map((t, i) => [t, shown[i]!]));
  const shownUnallocated = shown[shown.length - 1]!;
  const teams: TeamLine[] = model.units.flatMap((unit) =>
    unit.teams.map((team) => {
      const cost = shownTeam.get(team.id)!;
      const last = lastRolled?.teams.get(team.id) ?? zero;
      const used = cost.times(100).dividedBy(team.budget);
      const share = p.compliance.byTeam.find((c) => c.name === team.id)?.compliancePct ?? null;
      const earns = team.billingMode === "auto" ? (share !== null && share >= model.chargebackThreshold ? "chargeback" : "showback") : team.billingMode;
      return {
        unit: unit.name, team: team.id, name: team.name, cost: cost.toFixed(2), budget: team.budget.toFixed(2), variance: team.budget.minus(cost).toFixed(2),
        usedPct: used.toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber(), status: statusOf(model, used), billingMode: team.billingMode, earns, compliancePct: share,
        lastMonth: last.toFixed(2), changePct: previous && !last.isZero() ? cost.minus(last).times(100).dividedBy(last.abs()).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber() : null,
      };
    }),
  );

  const composition = new Map<string, Decimal>();
  for (const row of p.rows) add(composition, CATEGORY_BUCKETS.find(([re]) => re.test(row.serviceCategory ?? ""))?.[1] ?? "Other", row.cost);

  const services = (rows: readonly ChargeRow[]) => {
    const map = new Map<string, Decimal>();
    for (const r of rows) add(map, r.service ?? "(none)", r.cost);
    return map;
  };
  const now = services(p.rows);
  const before = services(p.allMonths.filter((r) => r.month === previousMonth(month)));
  const topDrivers = [...new Set([...now.keys(), ...before.keys()])]
    .map((service) => ({ service, from: before.get(service) ?? zero, to: now.get(service) ?? zero }))
    .sort((a, b) => b.to.minus(b.from).comparedTo(a.to.minus(a.from)) || a.service.localeCompare(b.service))
    .slice(0, 3)
    .map((d) => ({ service: d.service, from: d.from.toFixed(2), to: d.to.toFixed(2), change: d.to.minus(d.from).toFixed(2) }));

  const breakdowns = new Map<string, Decimal>();
  for (const line of current.lines) {
    if (line.target === null) continue;
    const team = model.projects.get(line.target)?.teamId ?? line.target;
    const tags = line.group.tags ? safeTags(line.group.tags) : {};
    for (const key of ["project", "product"]) {
      const value = tags[key];
      if (typeof value === "string" && value.trim() !== "") add(breakdowns, `${key}\u0000${value.trim()}\u0000${team}`, line.amount);
    }
  }

  const unitCosts = unitCostsOf(model, month, p.metrics, rolled.teams);
  const anomalies = anomaliesOf(month, p.daily);
  const forecast = forecastsOf(model, month, p.windowMonths, p.results, p.daily);

  const unallocated = new Map<string, { reason: string; rule: string | null; amount: Decimal }>();
  const ruleTotals = new Map<string, { allocated: Decimal; unallocated: Decimal }>();
  for (const line of current.lines) {
    if (line.rule) {
      const t = ruleTotals.get(line.rule) ?? { allocated: zero, unallocated: zero };
      ruleTotals.set(line.rule, line.target === null ? { ...t, unallocated: t.unallocated.plus(line.amount) } : { ...t, allocated: t.allocated.plus(line.amount) });
    }
    if (line.target !== null) continue;
    const key = `${line.rule ?? ""}\u0000${line.reason ?? ""}`;
    const entry = unallocated.get(key) ?? { reason: line.reason ?? "unallocated", rule: line.rule, amount: zero };
    unallocated.set(key, { ...entry, amount: entry.amount.plus(line.amount) });
  }

  const overBudget = teams.filter((t) => t.status === "over").map((t) => ({ team: t.team, over: new Decimal(t.cost).minus(t.budget).toFixed(2), usedPct: t.usedPct }));
  const lastTotal = previous?.total;
  const recommendations = [
    ...overBudget.map((t) => `${model.teams.get(t.team)!.name} is ${(t.usedPct - 100).toFixed(1)}% over its budget (${t.over} ${model.currency} over): review its largest services, or its budget in ${model.file.split("/").pop()}.`),
    ...p.compliance.topUntagged.slice(0, 3).map((u) => `Tag ${u.resourceId} (${u.service ?? u.provider}, ${new Decimal(u.cost).toFixed(2)} ${model.currency} this month): ${u.problems.join(", ")}.`),
    ...teams.filter((t) => t.changePct !== null && t.changePct >= 10).sort((a, b) => b.changePct! - a.changePct!).slice(0, 3).map((t) => `${t.name} grew ${t.changePct}% month over month (${t.lastMonth} to ${t.cost} ${model.currency}).`),
    ...anomalies.slice(0, 2).map((a) => `Investigate ${a.service} for ${a.team} on ${a.date}: ${a.cost} ${model.currency} against a baseline of ${a.baseline}.`),
  ];

  return {
    month,
    currency: model.currency,
    costBasis: model.costBasis,
    config: model.file.split("/").pop() ?? model.file,
    generatedAt,
    summary: {
      total: total.toFixed(2),
      budget: budget.toFixed(2),
      budgetUsedPct: pct(rolled.teams.size > 0 ? Decimal.sum(0, ...rolled.teams.values()) : zero, budget),
      lastMonth: lastTotal ? lastTotal.toFixed(2) : null,
      changePct: lastTotal && !lastTotal.isZero() ? pct(total.minus(lastTotal), lastTotal.abs()) : null,
      allocated: total.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).minus(shownUnallocated).toFixed(2),
      unallocated: shownUnallocated.toFixed(2),
      unallocatedPct: pct(current.unallocated, total),
      costCompliancePct: p.compliance.costCompliancePct,
      topDrivers,
      anomalies: anomalies.length,
      overBudget,
    },
    composition: [...composition].sort(([a, x], [b, y]) => y.comparedTo(x) || a.localeCompare(b)).map(([category, cost]) => ({ category, cost: cost.toFixed(2), sharePct: pct(cost, total) })),
    units: model.units.map((u) => {
      const cost = rolled.units.get(u.id) ?? zero;
      const used = u.budget.isZero() ? zero : cost.times(100).dividedBy(u.budget);
      return { unit: u.id, name: u.name, cost: cost.toFixed(2), budget: u.budget.toFixed(2), variance: u.budget.minus(cost).toFixed(2), usedPct: used.toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber(), status: statusOf(model, used) };
    }),
    teams,
    breakdowns: [...breakdowns].sort(([a], [b]) => a.localeCompare(b)).map(([k, cost]) => {
      const [key, value, team] = k.split("\u0000") as [string, string, string];
      return { key, value, team, cost: cost.toFixed(2) };
    }),
    unitCosts,
    compliance: { usageCost: p.compliance.usageCost, compliantCost: p.compliance.compliantCost, costCompliancePct: p.compliance.costCompliancePct, byKey: p.compliance.byKey, trend: p.compliance.trend, topUntagged: p.compliance.topUntagged, resources: p.compliance.resources },
    rules: model.allocationRules.map((r) => ({
      rule: r.name,
      method: r.method === "tiered" ? `tiered (${r.tiers.map((t) => `${t.name}: ${t.method}`).join(", ")})` : r.method,
      stage: r.stage ?? (r.method === "direct" ? 0 : 1),
      match: r.match ? JSON.stringify(r.match) : "everything left",
      allocated: (ruleTotals.get(r.name)?.allocated ?? zero).toFixed(2),
      unallocated: (ruleTotals.get(r.name)?.unallocated ?? zero).toFixed(2),
    })),
    unallocated: [...unallocated.values()].filter((u) => !u.amount.isZero()).sort((a, b) => b.amount.comparedTo(a.amount) || a.reason.localeCompare(b.reason)).map((u) => ({ ...u, amount: u.amount.toFixed(2) })),
    invoices: p.invoices,
    adjustments: p.adjustments.map((a) => ({ invoice: a.invoice, amount: a.amount.toFixed(2), reason: a.reason, approvedBy: a.approvedBy, source: a.source })),
    trend: p.windowMonths.map((m) => {
      const r = p.results.get(m)!;
      const byTeam = rollUp(model, r.lines).teams;
      return { month: m, total: r.total.toFixed(2), teams: Object.fromEntries([...model.teams.keys()].map((t) => [t, (byTeam.get(t) ?? zero).toFixed(2)])) };
    }),
    anomalies,
    forecast,
    recommendations,
    ai: null,
    notes: [
      ...p.groups.duplicates.map(([skipped, kept]) => `Duplicate input ${skipped} has the same content as ${kept} and was read once.`),
      ...(p.groups.skipped.rows > 0 ? [`Skipped ${p.groups.skipped.rows} rows that could not be read (--skip-bad-rows), worth ${p.groups.skipped.cost.toFixed(2)} ${model.currency}${p.groups.skipped.unreadableAmounts > 0 ? ` plus ${p.groups.skipped.unreadableAmounts} unreadable amounts` : ""}.`] : []),
      ...(p.groups.undated.rows > 0 ? [`${p.groups.undated.rows} charges (${p.groups.undated.cost.toFixed(2)} ${model.currency}) have no billing period and belong to no month.`] : []),
    ],
    inputs: p.groups.files.map((f) => f.path),
  };
}

function safeTags(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function unitCostsOf(model: CostModel, month: string, metrics: Metrics, teamCosts: Map<string, Decimal>): ReportData["unitCosts"] {
  const names = new Set<string>();
  for (const team of model.teams.keys()) for (const m of ["requests", "customers", "calls"]) if (metrics.get(month, m, team)) names.add(m);
  return [...names].sort().flatMap((metric) => {
    const entries = [...model.teams.keys()]
      .map((team) => ({ team, quantity: metrics.get(month, metric, team), cost: teamCosts.get(team) ?? new Decimal(0) }))
      .filter((e): e is { team: string; quantity: Decimal; cost: Decimal } => e.quantity !== undefined && !e.quantity.isZero())
      .map((e) => ({ ...e, perUnit: e.cost.dividedBy(e.quantity) }))
      .sort((a, b) => a.perUnit.comparedTo(b.perUnit) || a.team.localeCompare(b.team));
    return entries.map((e, i) => ({ metric, team: e.team, quantity: e.quantity.toFixed(), cost: e.cost.toFixed(2), costPerUnit: e.perUnit.toSignificantDigits(4).toFixed(), rank: i + 1 }));
  });
}

function dayList(from: Date, to: string): string[] {
  const days: string[] = [];
  for (const d = new Date(from); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) days.push(d.toISOString().slice(0, 10));
  return days;
}

function anomaliesOf(month: string, daily: Parts["daily"]): ReportData["anomalies"] {
  const days = dayList(daily.start, `${month}-${String(daysIn(month)).padStart(2, "0")}`);
  const firstOfMonth = days.indexOf(`${month}-01`);
  const found: ReportData["anomalies"] = [];
  for (const [key, byDay] of daily.series) {
    const [team, service] = key.split("\u0000") as [string, string];
    const series = days.map((d) => byDay.get(d) ?? 0);
    for (const a of findAnomalies(series, firstOfMonth)) {
      found.push({ date: days[a.index]!, team, service, cost: money(a.value), baseline: money(a.baseline), jump: money(a.jump), score: Number.isFinite(a.score) ? Number(a.score.toFixed(1)) : null });
    }
  }
  return found.sort((a, b) => Number(b.jump) - Number(a.jump) || a.date.localeCompare(b.date) || a.team.localeCompare(b.team)).slice(0, 20);
}

function forecastsOf(model: CostModel, month: string, windowMonths: string[], results: Map<string, AllocationResult>, daily: Parts["daily"]): ReportData["forecast"] {
  const days = dayList(new Date(`${month}-01T00:00:00Z`), `${month}-${String(daysIn(month)).padStart(2, "0")}`);
  const lastDay = [...daily.series.values()].flatMap((m) => [...m.keys()]).filter((d) => d.startsWith(month)).sort().at(-1);
  const seen = lastDay ? days.indexOf(lastDay) + 1 : days.length;
  return [...model.teams.keys()].map((team) => {
    const series = windowMonths.map((m) => (rollUp(model, results.get(m)!.lines).teams.get(team) ?? new Decimal(0)).toNumber());
    const actual = series.at(-1) ?? 0;
    // Month-end: the team's daily usage so far run to the month's end, scaled to its allocated cost.
    const teamDaily = days.slice(0, seen).map((d) => [...daily.series].filter(([k]) => k.startsWith(`${team}\u0000`)).reduce((sum, [, byDay]) => sum + (byDay.get(d) ?? 0), 0));
    const directSoFar = teamDaily.reduce((a, b) => a + b, 0);
    const factor = directSoFar === 0 ? 0 : actual / directSoFar;
    const run = forecastMonthEnd(teamDaily, days.length);
    const monthEnd = directSoFar === 0 ? { value: actual, low: actual, high: actual } : { value: run.value * factor, low: run.low * factor, high: run.high * factor };
    const next = forecastNext(series);
    const prior = series.length >= 3 ? forecastNext(series.slice(0, -1)).value : null;
    return {
      team,
      monthEnd: money(monthEnd.value),
      monthEndLow: money(monthEnd.low),
      monthEndHigh: money(monthEnd.high),
      nextMonth: money(next.value),
      nextLow: money(next.low),
      nextHigh: money(next.high),
      lastForecast: prior === null ? null : money(prior),
      actual: money(actual),
      errorPct: prior === null || actual === 0 ? null : Number((((prior - actual) * 100) / Math.abs(actual)).toFixed(1)),
    };
  });
}
