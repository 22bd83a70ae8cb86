// The compliance report for a terminal: the headline, then short aligned tables. Untrusted names are
// cut to a width and stripped of control characters so they cannot break the layout.
import { Decimal, shownAmounts, shownListPrice, shownListPrices, shownWithin, sumOf } from "../money";
import { COMPLIANCE_PLACES } from "../../model";
import { complianceBesideMode, formatMoney, formatPercent } from "../text/format";
import type { ComplianceReport, Coverage } from "./compliance";
import { kubernetesShare } from "./kubernetes";

const clean = (text: string, width: number) => {
  const flat = text.replace(/[\u0000-\u001f\u007f]/g, " ");
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
};

function table(headers: string[], rows: string[][], rightAligned: number[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Compliance as measured (compliance.ts rounds it once, to two places) and as --json says it: never rounded again. */
const share = (pct: number | null) => formatPercent(pct, COMPLIANCE_PLACES);

export function renderComplianceText(r: ComplianceReport, limit = 10): string {
  const money = (amount: string) => formatMoney(new Decimal(amount), r.currency);
  /** OpenCost's list-price amounts: at the currency's places, without its symbol (they are not the bill's). */
  // Each table's rows partition the usage measured: shown by largest remainder over all of them, so the rows
  // (and what the "more" line says the rest is worth) add up to the headline; a row's compliant cost never
  // reads more than its usage, and all of it where the row is all compliant.
  const coverage = (title: string, items: Coverage[]) => {
    const usage = shownAmounts(items.map((c) => new Decimal(c.usageCost)), r.currency);
    const compliant = shownWithin(items.map((c) => new Decimal(c.compliantCost)), items.map((c) => new Decimal(c.usageCost)), usage, r.currency);
    const rest = sumOf(usage.slice(limit).map((u) => new Decimal(u)));
    const rows = items.slice(0, limit).map((c, i) => [clean(c.name, 48), money(usage[i]!), money(compliant[i]!), share(c.compliancePct)]);
    return `${title}\n${table(["", "usage", "compliant", "compliant %"], rows, [1, 2, 3])}${items.length > limit ? `\n(${items.length - limit} more, usage ${money(rest.toFixed())})` : ""}`;
  };
  const other = Object.entries(r.otherCharges).map(([k, v]) => `${k} ${money(v)}`).join(", ");
  const sections = [
    `Tag compliance, ${r.month} (${r.costBasis}, ${r.currency})`,
    (r.costCompliancePct === null ? `No usage cost to measure (n/a): ${money(r.compliantCost)} of ${money(r.usageCost)}` : `${share(r.costCompliancePct)} of usage cost is compliant: ${money(r.compliantCost)} of ${money(r.usageCost)}`) +
      `; ${share(r.resources.compliancePct)} of resources (${r.resources.compliant} of ${r.resources.total}).` +
      `\nTotal ${money(r.totalCost)}; exempt ${money(r.exemptCost)}${other ? `; outside the measure: ${other}` : ""}.`,
    `By required tag\n${table(["key", "missing", "empty", "invalid", "compliant %"], r.byKey.map((k) => [k.key, money(k.missingCost), money(k.emptyCost), money(k.invalidCost), share(k.compliancePct)]), [1, 2, 3, 4])}`,
    coverage("By provider", r.byProvider),
    coverage("By account", r.byAccount),
    coverage("By service", r.byService),
    coverage("By team", r.byTeam),
    `Billing mode earned (chargeback at ${r.threshold}%)\n${table(["team", "mode", "earns", "compliant %"], r.teams.map((t) => [t.team, t.billingMode, t.earns, complianceBesideMode(t.compliancePct, t, r.threshold)]), [3])}`,
    `Top untagged resources\n${r.topUntagged.length === 0 ? "(none)" : table(["cost", "resource", "problems"], r.topUntagged.map((u) => [money(u.cost), clean(u.resourceId, 70), clean(u.problems.join(", "), 60)]), [0])}`,
    `Trend\n${table(["month", "usage", "compliant", "compliant %"], r.trend.map((t) => [t.name, money(t.usageCost), money(t.compliantCost), share(t.compliancePct)]), [1, 2, 3])}`,
  ];
  if (r.kubernetes) {
    const k = r.kubernetes;
    // The namespaces partition the workload cost: shown so they add up to it, as the report shows them.
    const namespaceCosts = shownListPrices(k.byNamespace.map((n) => new Decimal(n.cost)));
    sections.push(
      `Kubernetes labels (OpenCost's shares, list prices)\n${kubernetesShare(k, share)} of workload cost carries valid cost labels: ${shownListPrice(k.compliantCost)} of ${shownListPrice(k.workloadCost)}; idle ${shownListPrice(k.idleCost)}, without a namespace ${shownListPrice(k.unallocatedCost)}.\n` +
        table(["cluster", "namespace", "cost", "compliant %", "problems"], k.byNamespace.slice(0, limit).map((n, i) => [clean(n.cluster ?? "-", 24), clean(n.namespace, 32), namespaceCosts[i]!, share(n.compliancePct), clean(n.problems.join(", "), 60)]), [2, 3]) +
        (k.byNamespace.length > limit ? `\n(${k.byNamespace.length - limit} more, ${sumOf(namespaceCosts.slice(limit).map((c) => new Decimal(c))).toFixed(2)})` : ""),
    );
  }
  if (r.skipped.rows > 0) sections.push(`Skipped ${r.skipped.rows} rows that could not be read (worth ${money(r.skipped.cost)}${r.skipped.unreadableAmounts > 0 ? `, plus ${r.skipped.unreadableAmounts} unreadable amounts` : ""}).`);
  const { fellBack, empty, cut } = r.amounts;
  if (fellBack.rows > 0) sections.push(`${fellBack.rows} rows had no ${r.costBasis}; their ${fellBack.column} (${money(fellBack.cost)}) was used instead.`);
  if (empty > 0) sections.push(`${empty} rows had neither EffectiveCost nor BilledCost and count as 0.`);
  if (cut.rows > 0) sections.push(`${cut.rows} rows had amounts with more than 18 decimal places, read rounded to 18: ${cut.amount} ${r.currency} in total was cut off.`);
  for (const d of r.duplicates) sections.push(`Duplicate input ${d.skipped} (same content as ${d.kept}) was read once.`);
  for (const s of r.setAside) sections.push(`${s.note}.`);
  return `${sections.join("\n\n")}\n`;
}
