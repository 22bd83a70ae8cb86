// Notes on the input: the month when later months were passed over, and the month's warnings (it looks
// partial; amounts not read as written: an empty cost basis, no cost, more than 18 decimal places),
// duplicates read once, rows skipped, charges without a billing period.
import { section } from "../context";

export const notes = section("notes", ({ model, month, run: { groups } }) => [
  ...(groups.monthChoice.reason && groups.months.at(-1) !== month ? [`${groups.monthChoice.reason.replace(/^reporting/, "Reporting")}.`] : []),
  ...groups.monthChoice.warnings.map((w) => `${w}.`),
  ...groups.duplicates.map(([skipped, kept]) => `Duplicate input ${skipped} has the same content as ${kept} and was read once.`),
  ...(groups.skipped.rows > 0 ? [`Skipped ${groups.skipped.rows} rows that could not be read (--skip-bad-rows), worth ${groups.skipped.cost.toFixed(2)} ${model.currency}${groups.skipped.unreadableAmounts > 0 ? ` plus ${groups.skipped.unreadableAmounts} unreadable amounts` : ""}.`] : []),
  ...(groups.undated.rows > 0 ? [`${groups.undated.rows} charges (${groups.undated.cost.toFixed(2)} ${model.currency}) have no billing period and belong to no month.`] : []),
]);
