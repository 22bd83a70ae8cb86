// FOCUS 1.0 to 1.3 from any provider: the columns are already FOCUS. Quirks handled: Tags as a Parquet
// MAP (AWS's FOCUS export), Microsoft's FocusCost with its x_ columns, NULL written as the text "NULL".
import { billingPeriod, chargeDate, costColumn, jsonObjectEntries, literal, projectJsonObject, text, type BillingSource } from "./source";

export const focus: BillingSource = {
  id: "focus",
  name: "FOCUS 1.0-1.3 (any provider, incl. AWS FOCUS with MAP tags and Microsoft FocusCost)",
  formats: ["csv", "parquet"],
  detect: (c) => c.has("BilledCost") && c.has("EffectiveCost") && c.has("BillingPeriodStart"),
  select: (from, c) => {
    const tags = !c.has("Tags") ? "NULL" : c.get("Tags")!.startsWith("MAP") ? "CAST(to_json(Tags) AS VARCHAR)" : "CAST(Tags AS VARCHAR)";
    return `SELECT filename AS SourceFile,
      ${costColumn(c, "BilledCost", "BilledCost")}, ${costColumn(c, "EffectiveCost", "EffectiveCost")},
      ${text(c, "BillingCurrency")} AS BillingCurrency, ${billingPeriod(c, "BillingPeriodStart")}, ${chargeDate(c, "ChargePeriodStart")} AS ChargeDate,
      ${text(c, "ProviderName", "ServiceProviderName")} AS ProviderName, ${text(c, "SubAccountId")} AS SubAccountId,
      ${text(c, "ServiceName")} AS ServiceName, ${text(c, "ServiceCategory")} AS ServiceCategory, ${text(c, "RegionId", "Region")} AS RegionId, ${text(c, "ChargeCategory")} AS ChargeCategory, ${text(c, "ChargeClass")} AS ChargeClass,
      ${text(c, "ResourceId")} AS ResourceId, ${text(c, "ResourceType")} AS ResourceType,
      ${tags} AS Tags, ${literal("focus")} AS TagsFormat, NULL AS AmountProblem
    FROM ${from}`;
  },
  // Tags is a JSON object (FOCUS), or a MAP written out as one.
  parseTags: jsonObjectEntries,
  projectTags: projectJsonObject,
};
