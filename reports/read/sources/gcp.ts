// Google Cloud's BigQuery billing export, extracted as JSON lines, Parquet or flattened CSV: nested service, project,
// invoice and labels; credits as a list of negative amounts, which become Credit rows carrying the
// usage row's labels. BigQuery stores cost as FLOAT64, so amounts are taken as their shortest decimal text.
import { chargeDetailOf, cost, DROPPED_TAGS_KEY, ident, jsonObjectOrNull, literal, parseJson, type BillingSource, type Columns, type TagEntries } from "./source";

const TAGS_FORMAT = literal("gcp-bigquery");

const CHARGE_CATEGORY = (costType: string) =>
  `CASE ${costType} WHEN 'tax' THEN 'Tax' WHEN 'adjustment' THEN 'Adjustment' WHEN 'rounding_error' THEN 'Adjustment' ELSE 'Usage' END`;

/** JSON lines: fields are pulled out of each raw object, so no number ever becomes a DOUBLE first. */
function fromJson(from: string): string {
  const field = (path: string) => `json_extract_string(json, ${literal(path)})`;
  const month = field("$.invoice.month");
  const tags = `CAST(json_object('project', json_extract(json, '$.project.labels'), 'resource', json_extract(json, '$.labels')) AS VARCHAR)`;
  const common = `${field("$.currency")} AS BillingCurrency, ${month} IS NOT NULL AS HasBillingPeriod, ${month} AS RawBillingPeriod,
      TRY_STRPTIME(${month} || '01', '%Y%m%d') AS BillingPeriod,
      CAST(TRY_CAST(${field("$.usage_start_time")} AS TIMESTAMP) AS DATE) AS ChargeDate,
      'Google Cloud' AS ProviderName, ${field("$.project.id")} AS SubAccountId, ${field("$.service.description")} AS ServiceName,
      NULL AS ServiceCategory, ${field("$.location.region")} AS RegionId, NULL AS CostKind,
      ${chargeDetailOf({ text: [field("$.sku.id"), field("$.cost_type")], number: [[field("$.usage.amount"), "VARCHAR"]], time: [[field("$.usage_start_time"), "VARCHAR"], [field("$.usage_end_time"), "VARCHAR"]] })}`;
  return `SELECT filename AS SourceFile, ${cost("BilledCost", field("$.cost"))}, ${cost("EffectiveCost", field("$.cost"))}, ${common},
      ${CHARGE_CATEGORY(field("$.cost_type"))} AS ChargeCategory, NULL AS ChargeClass,
      ${field("$.resource.global_name")} AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AllocatedMethodId
    FROM ${from}
    UNION ALL BY NAME
    SELECT SourceFile, ${cost("BilledCost", "credit", "DECIMAL")}, ${cost("EffectiveCost", "credit", "DECIMAL")}, * EXCLUDE (SourceFile, credit)
    FROM (
      SELECT filename AS SourceFile, ${common}, 'Credit' AS ChargeCategory, NULL AS ChargeClass,
        ${field("$.resource.global_name")} AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AllocatedMethodId,
        (SELECT SUM(CAST(json_extract_string(c, '$.amount') AS DECIMAL(38,18))) FROM unnest(json_extract(json, '$.credits[*]')) AS t(c)) AS credit
      FROM ${from}
    ) WHERE credit IS NOT NULL AND credit <> 0`;
}

/** ChargeDetail from the Parquet columns there are: the SKU and usage structs as their text, the usage window. */
function parquetDetail(c: Columns): string {
  const has = (names: string[]) => names.filter((n) => c.has(n));
  return chargeDetailOf({
    text: has(["sku", "usage", "cost_type"]).map((n) => ident(n)),
    time: has(["usage_start_time", "usage_end_time"]).map((n) => [ident(n), c.get(n)!] as [string, string]),
  });
}

/** Parquet: typed nested columns; DOUBLE amounts go through their shortest text. */
function fromParquet(from: string, c: Columns): string {
  const month = "CAST(invoice.month AS VARCHAR)";
  const tags = `CAST(json_object('project', to_json(project.labels), 'resource', to_json(labels)) AS VARCHAR)`;
  const common = `CAST(currency AS VARCHAR) AS BillingCurrency, invoice.month IS NOT NULL AS HasBillingPeriod, ${month} AS RawBillingPeriod,
      TRY_STRPTIME(${month} || '01', '%Y%m%d') AS BillingPeriod,
      CAST(TRY_CAST(usage_start_time AS TIMESTAMP) AS DATE) AS ChargeDate,
      'Google Cloud' AS ProviderName, CAST(project.id AS VARCHAR) AS SubAccountId, CAST(service.description AS VARCHAR) AS ServiceName,
      NULL AS ServiceCategory, NULL AS RegionId, NULL AS CostKind,
      ${parquetDetail(c)}`;
  return `SELECT filename AS SourceFile, ${cost("BilledCost", "cost", "DOUBLE")}, ${cost("EffectiveCost", "cost", "DOUBLE")}, ${common},
      ${CHARGE_CATEGORY("cost_type")} AS ChargeCategory, NULL AS ChargeClass, NULL AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AllocatedMethodId
    FROM ${from}
    UNION ALL BY NAME
    SELECT SourceFile, ${cost("BilledCost", "credit", "DECIMAL")}, ${cost("EffectiveCost", "credit", "DECIMAL")}, * EXCLUDE (SourceFile, credit)
    FROM (
      SELECT filename AS SourceFile, ${common}, 'Credit' AS ChargeCategory, NULL AS ChargeClass, NULL AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AllocatedMethodId,
        (SELECT SUM(CAST(CAST(c.amount AS VARCHAR) AS DECIMAL(38,18))) FROM unnest(credits) AS t(c)) AS credit
      FROM ${from}
    ) WHERE credit IS NOT NULL AND credit <> 0`;
}

/**
 * CSV: BigQuery cannot extract nested columns to CSV, so such files come from a query that flattens them:
 * service.description (or service_description), invoice.month, project.id, and labels, project.labels and
 * credits as JSON text (TO_JSON_STRING).
 */
function fromCsv(from: string, c: Columns): string {
  const col = (...names: string[]) => {
    const found = names.find((n) => c.has(n));
    return found ? ident(found) : "NULL";
  };
  const month = col("invoice.month", "invoice_month");
  const tags = `CAST(json_object('project', TRY_CAST(${col("project.labels", "project_labels")} AS JSON), 'resource', TRY_CAST(${col("labels")} AS JSON)) AS VARCHAR)`;
  const common = `${col("currency")} AS BillingCurrency, ${month} IS NOT NULL AS HasBillingPeriod, ${month} AS RawBillingPeriod,
      TRY_STRPTIME(${month} || '01', '%Y%m%d') AS BillingPeriod,
      CAST(TRY_CAST(${col("usage_start_time")} AS TIMESTAMP) AS DATE) AS ChargeDate,
      'Google Cloud' AS ProviderName, ${col("project.id", "project_id")} AS SubAccountId, ${col("service.description", "service_description")} AS ServiceName,
      NULL AS ServiceCategory, ${col("location.region", "location_region")} AS RegionId, NULL AS CostKind,
      ${chargeDetailOf({ text: [col("sku.id", "sku_id"), col("cost_type")], number: [[col("usage.amount", "usage_amount"), "VARCHAR"]], time: [[col("usage_start_time"), "VARCHAR"], [col("usage_end_time"), "VARCHAR"]] })}`;
  const resource = col("resource.global_name", "resource_global_name");
  return `SELECT filename AS SourceFile, ${cost("BilledCost", "cost")}, ${cost("EffectiveCost", "cost")}, ${common},
      ${CHARGE_CATEGORY(col("cost_type"))} AS ChargeCategory, NULL AS ChargeClass, ${resource} AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AllocatedMethodId
    FROM ${from}
    UNION ALL BY NAME
    SELECT SourceFile, ${cost("BilledCost", "credit", "DECIMAL")}, ${cost("EffectiveCost", "credit", "DECIMAL")}, * EXCLUDE (SourceFile, credit)
    FROM (
      SELECT filename AS SourceFile, ${common}, 'Credit' AS ChargeCategory, NULL AS ChargeClass, ${resource} AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AllocatedMethodId,
        (SELECT SUM(CAST(json_extract_string(x, '$.amount') AS DECIMAL(38,18))) FROM unnest(json_extract(TRY_CAST(${col("credits")} AS JSON), '$[*]')) AS t(x)) AS credit
      FROM ${from}
    ) WHERE credit IS NOT NULL AND credit <> 0`;
}

export const gcpBilling: BillingSource = {
  id: "gcp-bigquery",
  name: "Google Cloud BigQuery billing export (JSON lines, Parquet, or CSV with nested columns flattened)",
  formats: ["json", "parquet", "csv"],
  detect: (c) =>
    c.has("cost") &&
    ((c.has("invoice") && c.has("service") && c.has("project")) || ((c.has("invoice.month") || c.has("invoice_month")) && (c.has("service.description") || c.has("service_description")))),
  select: (from, columns, format) => (format === "json" ? fromJson(from) : format === "csv" ? fromCsv(from, columns) : fromParquet(from, columns)),
  parseTags: (text) => gcpEntries(parseJson(text)),
  projectTags: projectGcpTags,
};

/**
 * SQL: {project, resource} with only the labels whose key `keep` accepts (labels without a text key are
 * ignored by gcpEntries, so they go too), and a DROPPED_TAGS_KEY label when a label was dropped.
 */
function projectGcpTags(text: string, keep: (key: string) => string): string {
  const named = (l: string) =>
    `CASE WHEN COALESCE(json_type(obj, '$.${l}'), 'NULL') IN ('ARRAY', 'NULL') THEN list_filter(COALESCE(CAST(json_extract(obj, '$.${l}') AS JSON[]), []), item -> json_type(item, '$.key') = 'VARCHAR') END`;
  const kept = (l: string) => `list_filter(${l}, item -> ${keep("json_extract_string(item, '$.key')")})`;
  const marker = literal(JSON.stringify({ key: DROPPED_TAGS_KEY, value: "" }));
  // One-element lists bind each step to a lambda parameter, as in projectJsonObject.
  return `list_transform([${jsonObjectOrNull(text)}], obj -> list_transform([${named("project")}], project -> list_transform([${named("resource")}], resource ->
      CASE WHEN project IS NULL OR resource IS NULL OR (len(${kept("project")}) = len(project) AND len(${kept("resource")}) = len(resource)) THEN ${text}
        ELSE CAST(json_object('project', to_json(${kept("project")}), 'resource', to_json(list_append(${kept("resource")}, CAST(${marker} AS JSON)))) AS VARCHAR) END)[1])[1])[1]`;
}

/** {project, resource} lists of {key, value}; project labels first, so a resource's own label overrides them. */
function gcpEntries(value: unknown): TagEntries | "unreadable" {
  if (value === null || typeof value !== "object") return "unreadable";
  const { project, resource } = value as { project?: unknown; resource?: unknown };
  const merged = new Map<string, unknown>();
  for (const list of [project, resource]) {
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list)) return "unreadable";
    for (const item of list) {
      if (item && typeof item === "object" && typeof (item as { key?: unknown }).key === "string") merged.set((item as { key: string }).key, (item as { value?: unknown }).value);
    }
  }
  return [...merged];
}
