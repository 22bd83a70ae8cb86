// Renders a MonthReport as GitHub-flavoured Markdown through a Handlebars template. The view model holds
// only finished strings: amounts formatted, shares computed, untrusted text already escaped.
import { basename } from "node:path";
import type { MonthReport } from "../report/month";
import { Decimal, minorUnits, roundLargestRemainder } from "../money";
import { codeSpan, escapeMarkdown } from "./escape";
import { loadTemplate } from "./templates";
import { formatCount, formatMoney, formatPercent, formatShare, monthName } from "./format";

const BASIS_LABEL = { EffectiveCost: "EffectiveCost (amortized)", BilledCost: "BilledCost (as invoiced)" } as const;

export function markdownView(report: MonthReport, chargebackThreshold: number) {
  const { attribution: a, currency } = report;
  const money = (d: Decimal) => formatMoney(d, currency);
  const unallocatedTotal = Decimal.sum(0, ...a.unallocated.values());
  const rounded = roundLargestRemainder([...report.teams.map((t) => t.cost), unallocatedTotal], minorUnits(currency));
  const overBudget = report.teams.filter((t) => t.cost.greaterThan(t.budget));

  const mode = (line: MonthReport["teams"][number]) => {
    if (line.team.billingMode !== "auto") return line.team.billingMode;
    const c = a.compliance.byTeam.get(line.team.id);
    if (!c || c.usage.isZero()) return "auto: showback (no usage)";
    const share = c.compliant.times(100).dividedBy(c.usage);
    const earned = share.greaterThanOrEqualTo(chargebackThreshold) ? "chargeback" : "showback";
    return `auto: ${earned} (${formatPercent(share)} tagged, needs ${chargebackThreshold}%)`;
  };
  const status = (line: MonthReport["teams"][number]) =>
    line.cost.greaterThan(line.budget) ? "over budget" : line.alert !== undefined ? `past ${line.alert}%` : "within budget";

  return {
    month: report.month,
    monthName: monthName(report.month),
    currency,
    costBasisLabel: BASIS_LABEL[report.costBasis],
    rowCount: formatCount(a.rows),
    fileCount: report.files.length,
    manyFiles: report.files.length !== 1,
    configFile: escapeMarkdown(basename(report.configFile)),
    total: money(a.total),
    allocated: money(a.total.minus(unallocatedTotal)),
    allocatedShare: formatShare(a.total.minus(unallocatedTotal), a.total),
    unallocated: money(rounded[rounded.length - 1]!),
    unallocatedShare: formatShare(unallocatedTotal, a.total),
    untaggedShare: formatShare(a.compliance.untagged, a.compliance.usage),
    overBudget: overBudget.map((t) => `${escapeMarkdown(t.team.name)} (${money(t.cost.minus(t.budget))} over)`).join(", "),
    totalBudget: money(Decimal.sum(0, ...report.teams.map((t) => t.budget))),
    teams: report.teams.map((line, i) => ({
      unit: escapeMarkdown(line.unitName),
      name: escapeMarkdown(line.team.name),
      cost: money(rounded[i]!),
      budget: money(line.budget),
      variance: money(line.variance),
      used: formatPercent(line.used),
      status: status(line),
      mode: mode(line),
    })),
    unallocatedLines: [...a.unallocated]
      .sort(([ra, ca], [rb, cb]) => cb.comparedTo(ca) || ra.localeCompare(rb))
      .map(([reason, cost]) => ({ reason: escapeMarkdown(reason), cost: money(cost), share: formatShare(cost, a.total) })),
    providers: [...a.byProvider]
      .sort(([na, ca], [nb, cb]) => cb.comparedTo(ca) || na.localeCompare(nb))
      .map(([name, cost]) => ({ name: escapeMarkdown(name), cost: money(cost), share: formatShare(cost, a.total) })),
    usage: money(a.compliance.usage),
    untaggedUsage: money(a.compliance.untagged),
    exempt: a.compliance.exempt.isZero() ? "" : money(a.compliance.exempt),
    tagKeys: a.compliance.byKey.map((g) => ({ key: codeSpan(g.key), missing: money(g.missing), empty: money(g.empty), invalid: money(g.invalid) })),
    ruleName: codeSpan(report.rule.name),
    ruleKeys: report.rule.keys.map(codeSpan).join(", then "),
    rulesNotApplied: report.rulesNotApplied.map(codeSpan).join(", "),
    notes: [
      ...(a.unreadableTags.rows > 0 ? [`**Unreadable tags:** ${formatCount(a.unreadableTags.rows)} charges (${money(a.unreadableTags.cost)}) have a Tags value that is not a JSON object; they are unallocated.`] : []),
      ...report.duplicates.map(([skipped, kept]) => `**Duplicate input:** ${codeSpan(basename(skipped))} has the same content as ${codeSpan(basename(kept))} and was read once.`),
      ...(report.skipped.rows > 0 ? [`**Skipped rows (--skip-bad-rows):** ${formatCount(report.skipped.rows)} rows that could not be read, worth ${money(report.skipped.cost)}${report.skipped.unreadableAmounts > 0 ? ` plus ${formatCount(report.skipped.unreadableAmounts)} amounts that are not numbers` : ""}.`] : []),
      ...(report.undated.rows > 0 ? [`**Skipped:** ${formatCount(report.undated.rows)} charges (${money(report.undated.cost)}) have no BillingPeriodStart, so they belong to no month and are not in this report.`] : []),
      ...(report.nullCostRows > 0 ? [`**Empty amounts:** ${formatCount(report.nullCostRows)} charges have no ${report.costBasis}; they carry no money and are counted as zero.`] : []),
    ],
    files: report.files.map((f) => codeSpan(basename(f))).join(", "),
  };
}

export function renderMarkdown(report: MonthReport, chargebackThreshold: number, templateDir?: string): string {
  return loadTemplate("report.md.hbs", templateDir)(markdownView(report, chargebackThreshold));
}
