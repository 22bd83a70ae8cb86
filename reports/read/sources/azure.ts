// Azure cost details (EA and MCA), actual or amortized: one cost column (CostInBillingCurrency, or Cost in
// older exports) that is the billed cost in an actual export and the amortized cost in an amortized one;
// tags as JSON without braces; dates as M/D/YYYY; ChargeType Refund becomes a Correction. Which of the two
// a file is shows in its commitment rows (see costKind).
import { FILE_COLUMN, billingPeriod, chargeDate, chargeDetail, costColumn, type Columns, jsonObjectEntries, jsonObjectKeys, literal, projectJsonObject, text, type BillingSource } from "./source";

/** What tells two charges apart beyond the common columns. */
const DETAIL = {
  text: ["MeterId", "ChargeType", "PricingModel", "ReservationId", "benefitId", "ProductOrderId", "Frequency"],
  number: ["Quantity", "EffectivePrice", "UnitPrice"],
};

/**
 * Which export a row proves the file to be. Actual cost has reservation and savings plan purchases, and
 * the usage they cover at zero cost; amortized cost has no such purchase, the covered usage at its share
 * of the commitment, and the unused commitment as UnusedReservation / UnusedSavingsPlan rows. Other rows
 * are the same in both, so they do not tell.
 * https://learn.microsoft.com/azure/cost-management-billing/reservations/understand-reserved-instance-usage-ea
 */
function costKind(c: Columns, column: string): string {
  const chargeType = text(c, "ChargeType");
  const covered = `(${text(c, "PricingModel")} IN ('Reservation', 'SavingsPlan') OR ${text(c, "ReservationId", "benefitId")} IS NOT NULL)`;
  const amount = `TRY_CAST(${text(c, column)} AS DECIMAL(38,18))`;
  return `CASE WHEN ${chargeType} IN ('UnusedReservation', 'UnusedSavingsPlan') THEN 'amortized'
      WHEN ${covered} AND ${chargeType} = 'Purchase' THEN 'actual'
      WHEN ${covered} AND ${chargeType} = 'Usage' AND ${amount} = 0 THEN 'actual'
      WHEN ${covered} AND ${chargeType} = 'Usage' AND ${amount} <> 0 THEN 'amortized' END AS CostKind`;
}

export const azureCostDetails: BillingSource = {
  id: "azure-cost-details",
  name: "Azure cost details, actual or amortized (EA, MCA)",
  formats: ["csv", "parquet"],
  detect: (c) => (c.has("CostInBillingCurrency") || (c.has("Cost") && c.has("MeterCategory"))) && c.has("SubscriptionId"),
  select: (from, c) => {
    const column = c.has("CostInBillingCurrency") ? "CostInBillingCurrency" : "Cost";
    const chargeType = text(c, "ChargeType");
    return `SELECT ${FILE_COLUMN} AS SourceFile, ${costColumn(c, "BilledCost", column)}, ${costColumn(c, "EffectiveCost", column)},
      ${text(c, "BillingCurrencyCode", "BillingCurrency")} AS BillingCurrency, ${billingPeriod(c, "BillingPeriodStartDate")},
      ${chargeDate(c, "Date", "UsageDate")} AS ChargeDate,
      'Microsoft' AS ProviderName, ${text(c, "SubscriptionId")} AS SubAccountId, ${text(c, "MeterCategory", "ServiceFamily", "ConsumedService")} AS ServiceName, ${text(c, "ServiceFamily")} AS ServiceCategory, ${text(c, "ResourceLocation")} AS RegionId,
      CASE ${chargeType} WHEN 'Purchase' THEN 'Purchase' WHEN 'Tax' THEN 'Tax' WHEN 'Refund' THEN 'Adjustment' WHEN 'RoundingAdjustment' THEN 'Adjustment' ELSE 'Usage' END AS ChargeCategory,
      CASE WHEN ${chargeType} = 'Refund' THEN 'Correction' END AS ChargeClass,
      ${text(c, "ResourceId", "InstanceId")} AS ResourceId, NULL AS ResourceType,
      ${text(c, "Tags")} AS Tags, ${literal("azure-cost-details")} AS TagsFormat, NULL AS AmountProblem, NULL AS AllocatedMethodId, ${chargeDetail(c, DETAIL)}, ${costKind(c, column)}
    FROM ${from}`;
  },
  // Azure cost details write "k": "v","k2": "v2" without the braces.
  parseTags: (text) => {
    const trimmed = text.trim();
    return jsonObjectEntries(trimmed.startsWith("{") ? trimmed : `{${trimmed}}`);
  },
  // Reduced to an object with its braces, which parseTags reads as it is. Trimmed as String.trim does for
  // ASCII whitespace; other leading whitespace makes invalid JSON, which stays as it was.
  projectTags: (text, keys) => {
    const trimmed = `regexp_replace(${text}, '^[\\t\\n\\x0B\\f\\r ]+|[\\t\\n\\x0B\\f\\r ]+$', '', 'g')`;
    const braced = `(CASE WHEN starts_with(${trimmed}, '{') THEN ${trimmed} ELSE '{' || ${trimmed} || '}' END)`;
    const projected = projectJsonObject(braced, keys);
    return `CASE WHEN ${projected} = ${braced} THEN ${text} ELSE ${projected} END`;
  },
  tagKeys: (text) => jsonObjectKeys(`(CASE WHEN starts_with(ltrim(${text}), '{') THEN ${text} ELSE '{' || ${text} || '}' END)`),
};
