// Notes on the input: the month when later months were passed over, and the month's warnings (it looks
// partial; amounts not read as written: an empty cost basis, no cost, more than 18 decimal places),
// duplicates read once, actual or amortized exports set aside, rows skipped, charges without a billing
// period, charges the provider already split to workloads, and what in allot.yaml matches nothing in the month.
import { shownAmount } from "../../money";
import { section } from "../context";

export const notes = section("notes", ({ model, month, run: { groups, warnings } }) => [
  ...(groups.monthChoice.reason && groups.months.at(-1) !== month ? [`${groups.monthChoice.reason.replace(/^reporting/, "Reporting")}.`] : []),
  ...groups.monthChoice.warnings.map((w) => `${w}.`),
  ...groups.duplicates.map(([skipped, kept]) => `Duplicate input ${skipped} has the same content as ${kept} and was read once.`),
  ...groups.setAside.map((s) => `${s.note}.`),
  ...(groups.skipped.rows > 0 ? [`Skipped ${groups.skipped.rows} rows that could not be read (--skip-bad-rows), worth ${shownAmount(groups.skipped.cost, model.currency)} ${model.currency}${groups.skipped.unreadableAmounts > 0 ? ` plus ${groups.skipped.unreadableAmounts} unreadable amounts` : ""}.`] : []),
  ...groups.providerSplit.map(
    (p) => `${p.rows} charges (${shownAmount(p.cost, model.currency)} ${model.currency}) came already split to workloads by the provider (FOCUS split cost allocation, method ${p.method}): each is attributed by its workload's tags and resource, and no shared-cost rule splits it again.`,
  ),
  ...(groups.undated.rows > 0 ? [`${groups.undated.rows} charges (${shownAmount(groups.undated.cost, model.currency)} ${model.currency}) have no billing period and belong to no month.`] : []),
  ...warnings.map((w) => `Warning: ${w}.`),
]);
