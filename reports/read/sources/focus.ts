// FOCUS 1.0 to 1.3 from any provider: the columns are already FOCUS. Quirks handled: Tags as a Parquet
// MAP (AWS's FOCUS export), Microsoft's FocusCost with its x_ columns, NULL written as the text "NULL".
// Split cost allocation (1.3): a row with AllocatedMethodId is the provider's share of a shared resource
// (a cluster node) for one workload, so it is the workload's: its tags are AllocatedTags over Tags, its
// resource AllocatedResourceId, and AllocatedMethodId is kept so no rule splits it again.
import { FILE_COLUMN, billingPeriod, chargeDate, chargeDetail, costColumn, ident, jsonObjectEntries, jsonObjectKeys, jsonObjectOrNull, literal, projectJsonObject, text, type BillingSource, type Columns } from "./source";

/** A tag column as JSON text: a Parquet MAP written out as a JSON object, text as it is. */
function tagText(c: Columns, column: string): string {
  if (!c.has(column)) return "NULL";
  return c.get(column)!.startsWith("MAP") ? `CAST(to_json(${ident(column)}) AS VARCHAR)` : `CAST(${ident(column)} AS VARCHAR)`;
}

/** No tags: NULL, empty, or the text NULL. */
const noTags = (t: string) => `(${t} IS NULL OR trim(${t}) IN ('', 'NULL', 'null', '{}'))`;

/**
 * A split row's tag text: AllocatedTags merged over Tags (the workload's tags win a key both have). Text
 * that is not a JSON object stays as it was written, so it is reported as unreadable, never guessed at.
 */
function splitTags(tags: string, allocated: string): string {
  return `CASE
    WHEN ${noTags(allocated)} THEN ${tags}
    WHEN ${noTags(tags)} THEN ${allocated}
    WHEN ${jsonObjectOrNull(allocated)} IS NULL THEN ${allocated}
    WHEN ${jsonObjectOrNull(tags)} IS NULL THEN ${tags}
    ELSE CAST(json_merge_patch(${tags}, ${allocated}) AS VARCHAR) END`;
}

/** What tells two FOCUS charges apart beyond the common columns. */
const DETAIL = {
  text: ["ChargeDescription", "ChargeFrequency", "SkuId", "SkuPriceId", "PricingUnit", "CommitmentDiscountId"],
  number: ["ConsumedQuantity", "PricingQuantity", "ListCost", "ContractedCost"],
  time: ["ChargePeriodStart", "ChargePeriodEnd"],
};

export const focus: BillingSource = {
  id: "focus",
  name: "FOCUS 1.0-1.3 (any provider, incl. AWS FOCUS with MAP tags and Microsoft FocusCost)",
  formats: ["csv", "parquet"],
  detect: (c) => c.has("BilledCost") && c.has("EffectiveCost") && c.has("BillingPeriodStart"),
  select: (from, c) => {
    const tags = tagText(c, "Tags");
    const method = c.has("AllocatedMethodId") ? `NULLIF(trim(${text(c, "AllocatedMethodId")}), '')` : "NULL";
    const split = (workload: string, own: string) => (c.has("AllocatedMethodId") ? `CASE WHEN ${method} IS NOT NULL THEN ${workload} ELSE ${own} END` : own);
    return `SELECT ${FILE_COLUMN} AS SourceFile,
      ${costColumn(c, "BilledCost", "BilledCost")}, ${costColumn(c, "EffectiveCost", "EffectiveCost")},
      ${text(c, "BillingCurrency")} AS BillingCurrency, ${billingPeriod(c, "BillingPeriodStart")}, ${chargeDate(c, "ChargePeriodStart")} AS ChargeDate,
      ${text(c, "ProviderName", "ServiceProviderName")} AS ProviderName, ${text(c, "SubAccountId")} AS SubAccountId,
      ${text(c, "ServiceName")} AS ServiceName, ${text(c, "ServiceCategory")} AS ServiceCategory, ${text(c, "RegionId", "Region")} AS RegionId, ${text(c, "ChargeCategory")} AS ChargeCategory, ${text(c, "ChargeClass")} AS ChargeClass,
      ${split(`COALESCE(${text(c, "AllocatedResourceId")}, ${text(c, "ResourceId")})`, text(c, "ResourceId"))} AS ResourceId, ${text(c, "ResourceType")} AS ResourceType,
      ${split(splitTags(tags, tagText(c, "AllocatedTags")), tags)} AS Tags, ${literal("focus")} AS TagsFormat, NULL AS AmountProblem, ${method} AS AllocatedMethodId, ${chargeDetail(c, DETAIL)}, NULL AS CostKind
    FROM ${from}`;
  },
  // Tags is a JSON object (FOCUS), or a MAP written out as one.
  parseTags: jsonObjectEntries,
  projectTags: projectJsonObject,
  tagKeys: jsonObjectKeys,
};
