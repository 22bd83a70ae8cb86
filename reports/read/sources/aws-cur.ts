// AWS Cost and Usage Reports: CUR 2.0 (Data Exports COST_AND_USAGE_REPORT, snake_case columns, tags in
// the resource_tags map with user_ keys) and legacy CUR (lineItem/UnblendedCost, one resourceTags/user:<key>
// column per tag). BilledCost is the unblended cost; EffectiveCost takes the Savings Plan or reservation
// effective cost for covered usage, zero for the negations and fees they amortize, else unblended.
import { FILE_COLUMN, billingPeriod, chargeDate, chargeDetail, cost, costColumn, ident, jsonObjectEntries, literal, projectJsonObject, text, type BillingSource, type Columns, type KeptKeys, type TagEntries } from "./source";

/** User-defined tags carry a prefix in CUR (user_ in 2.0, user: in legacy); the key is what follows it. */
function userTags(prefix: string) {
  return (text: string): TagEntries | "unreadable" => {
    const entries = jsonObjectEntries(text);
    return entries === "unreadable" ? entries : entries.map(([k, v]) => [k.startsWith(prefix) ? k.slice(prefix.length) : k, v]);
  };
}

/** The projection of userTags: keys are judged without their prefix. */
function projectUserTags(prefix: string) {
  return (text: string, keys: KeptKeys) =>
    projectJsonObject(text, { keep: (key) => keys.keep(`CASE WHEN starts_with(${key}, ${literal(prefix)}) THEN ${key}[${prefix.length + 1}:] ELSE ${key} END`) });
}

interface CurColumns {
  type: string;
  unblended: string;
  spEffective: string;
  riEffective: string;
  currency: string;
  period: string;
  start: string;
  account: string;
  service: string[];
  resource: string;
  region: string[];
  /** What tells two line items apart beyond the common columns; not the line item id, which differs between deliveries of the same charges. */
  detail: { text: string[]; number: string[]; time: string[] };
}

const cur2: CurColumns = {
  type: "line_item_line_item_type", unblended: "line_item_unblended_cost", spEffective: "savings_plan_savings_plan_effective_cost",
  riEffective: "reservation_effective_cost", currency: "line_item_currency_code", period: "bill_billing_period_start_date",
  start: "line_item_usage_start_date", account: "line_item_usage_account_id", service: ["product_servicecode", "line_item_product_code"],
  resource: "line_item_resource_id", region: ["product_region_code", "product_region"],
  detail: {
    text: ["line_item_line_item_type", "line_item_usage_type", "line_item_operation", "line_item_line_item_description", "pricing_term"],
    number: ["line_item_usage_amount", "line_item_unblended_rate", "savings_plan_savings_plan_effective_cost", "reservation_effective_cost"],
    time: ["line_item_usage_start_date", "line_item_usage_end_date"],
  },
};
const legacy: CurColumns = {
  type: "lineItem/LineItemType", unblended: "lineItem/UnblendedCost", spEffective: "savingsPlan/SavingsPlanEffectiveCost",
  riEffective: "reservation/EffectiveCost", currency: "lineItem/CurrencyCode", period: "bill/BillingPeriodStartDate",
  start: "lineItem/UsageStartDate", account: "lineItem/UsageAccountId", service: ["product/ProductName", "lineItem/ProductCode"],
  resource: "lineItem/ResourceId", region: ["product/regionCode", "product/region"],
  detail: {
    text: ["lineItem/LineItemType", "lineItem/UsageType", "lineItem/Operation", "lineItem/LineItemDescription", "pricing/term"],
    number: ["lineItem/UsageAmount", "lineItem/UnblendedRate", "savingsPlan/SavingsPlanEffectiveCost", "reservation/EffectiveCost"],
    time: ["lineItem/UsageStartDate", "lineItem/UsageEndDate"],
  },
};

/** FOCUS ChargeCategory and ChargeClass for each CUR line item type. */
function chargeColumns(type: string): string {
  const t = ident(type);
  return `CASE WHEN ${t} IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage') THEN 'Usage'
      WHEN ${t} = 'Tax' THEN 'Tax'
      WHEN ${t} IN ('Credit', 'Refund', 'BundledDiscount', 'EdpDiscount', 'PrivateRateDiscount', 'DistributorDiscount') THEN 'Credit'
      WHEN ${t} IN ('Fee', 'RIFee', 'SavingsPlanRecurringFee', 'SavingsPlanUpfrontFee') THEN 'Purchase'
      ELSE 'Adjustment' END AS ChargeCategory,
    CASE WHEN ${t} = 'Refund' THEN 'Correction' END AS ChargeClass`;
}

/** EffectiveCost as text, picked per line item type, then parsed like any amount. */
function effectiveCost(c: Columns, m: CurColumns): string {
  const t = ident(m.type);
  const sp = text(c, m.spEffective);
  const ri = text(c, m.riEffective);
  return cost("EffectiveCost", `CASE WHEN ${t} = 'SavingsPlanCoveredUsage' AND ${sp} IS NOT NULL THEN ${sp}
      WHEN ${t} = 'DiscountedUsage' AND ${ri} IS NOT NULL THEN ${ri}
      WHEN ${t} IN ('SavingsPlanNegation', 'SavingsPlanUpfrontFee', 'RIFee') THEN '0'
      ELSE ${text(c, m.unblended)} END`);
}

function select(from: string, c: Columns, m: CurColumns, tags: string, tagsFormat: string): string {
  return `SELECT ${FILE_COLUMN} AS SourceFile,
      ${costColumn(c, "BilledCost", m.unblended)}, ${effectiveCost(c, m)},
      ${text(c, m.currency)} AS BillingCurrency, ${billingPeriod(c, m.period)}, ${chargeDate(c, m.start)} AS ChargeDate,
      ${literal("AWS")} AS ProviderName, ${text(c, m.account)} AS SubAccountId, ${text(c, ...m.service)} AS ServiceName, NULL AS ServiceCategory, ${text(c, ...m.region)} AS RegionId,
      ${chargeColumns(m.type)}, ${text(c, m.resource)} AS ResourceId, NULL AS ResourceType,
      ${tags} AS Tags, ${literal(tagsFormat)} AS TagsFormat, NULL AS AmountProblem, NULL AS AllocatedMethodId, ${chargeDetail(c, m.detail)}, NULL AS CostKind
    FROM ${from}`;
}

export const awsCur2: BillingSource = {
  id: "aws-cur2",
  name: "AWS CUR 2.0 (Data Exports COST_AND_USAGE_REPORT)",
  formats: ["csv", "parquet"],
  detect: (c) => c.has(cur2.unblended) && c.has(cur2.period),
  select: (from, c) => {
    const type = c.get("resource_tags");
    const tags = type === undefined ? "NULL" : type.startsWith("MAP") || type.startsWith("STRUCT") ? "CAST(to_json(resource_tags) AS VARCHAR)" : "CAST(resource_tags AS VARCHAR)";
    return select(from, c, cur2, tags, "aws-cur2");
  },
  parseTags: userTags("user_"),
  projectTags: projectUserTags("user_"),
};

export const awsCurLegacy: BillingSource = {
  id: "aws-cur-legacy",
  name: "AWS legacy CUR (lineItem/..., resourceTags/user:<key>)",
  formats: ["csv", "parquet"],
  detect: (c) => c.has(legacy.unblended) && c.has(legacy.period),
  select: (from, c) => {
    const tagColumns = [...c.keys()].filter((k) => k.startsWith("resourceTags/"));
    const tags = tagColumns.length === 0 ? "NULL" : `CAST(json_object(${tagColumns.map((k) => `${literal(k.slice("resourceTags/".length))}, ${ident(k)}`).join(", ")}) AS VARCHAR)`;
    return select(from, c, legacy, tags, "aws-cur-legacy");
  },
  parseTags: userTags("user:"),
  projectTags: projectUserTags("user:"),
};
