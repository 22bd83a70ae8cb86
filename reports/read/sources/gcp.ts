// Google Cloud's BigQuery billing export, extracted as JSON lines, Parquet or flattened CSV: nested service, project,
// invoice and labels; credits as a list of {name, amount, ...} with negative amounts, which become Credit rows
// carrying the usage row's labels; credits of any other shape make that Credit row unreadable (AmountProblem).
// BigQuery stores cost as FLOAT64, so amounts are taken as their shortest decimal text; in JSON and CSV, as the
// file wrote them (DuckDB reads JSON numbers as doubles, which hold 17 significant digits). Every format
// maps the same fields the same way (gcpColumns), so the same charge has one fingerprint whatever its file.
import { FILE_COLUMN, chargeDetailOf, cost, cutOff, DROPPED_TAGS_KEY, ident, jsonObjectOrNull, literal, MONEY, parseJson, utcDay, type BillingSource, type Columns, type KeptKeys, type TagEntries } from "./source";

const TAGS_FORMAT = literal("gcp-bigquery");

const CHARGE_CATEGORY = (costType: string) =>
  `CASE ${costType} WHEN 'tax' THEN 'Tax' WHEN 'adjustment' THEN 'Adjustment' WHEN 'rounding_error' THEN 'Adjustment' ELSE 'Usage' END`;

/** The amount columns of a Credit row: the sum of the row's credits, and what rounding cut off them. */
const CREDIT_AMOUNTS = (["BilledCost", "EffectiveCost"] as const)
  .map((name) => `credit AS ${name}, credit IS NOT NULL AS Has${name}, CAST(credit AS VARCHAR) AS Raw${name}, credit_cut AS Cut${name}`)
  .join(", ");

/** RE2: `"key": <number>` in JSON text, the number in group 1; an escaped quote before the key does not count. */
const numberOf = (key: string) => `'(?:^|[^\\\\])"${key}"\\s*:\\s*(-?[0-9][0-9.eE+-]*)'`;

/**
 * SQL: the text of the JSON number `key` in the object `json` as the file wrote it: the first `"key": <number>`
 * of the raw text when it reads as the same double as the parsed value, else the parsed value's text (a
 * string value, or a key of the same name nested earlier).
 */
function writtenNumber(json: string, key: string): string {
  const parsed = `json_extract_string(${json}, ${literal(`$.${key}`)})`;
  return `list_transform([regexp_extract(CAST(${json} AS VARCHAR), ${numberOf(key)}, 1)], raw ->
      CASE WHEN raw <> '' AND TRY_CAST(raw AS DOUBLE) = TRY_CAST(${parsed} AS DOUBLE) THEN raw ELSE ${parsed} END)[1]`;
}

/**
 * SQL columns credit, credit_cut and AmountProblem from credits as JSON (`credits`, NULL when absent) and
 * as written (`written`, the list's text): a list of objects whose amount is a decimal number (or numeric
 * text), or the reason it is not, naming the usage row by project and start time. Amounts are summed from
 * the text the file wrote when every one is found there, in order, as the same double.
 */
function jsonCredits(credits: string, written: string, project: string, start: string): string {
  const items = `json_extract(${credits}, '$[*]')`;
  const amount = (c: string) => `json_extract_string(${c}, '$.amount')`;
  const wellFormed = `COALESCE(json_type(${credits}) = 'ARRAY' AND COALESCE(list_bool_and(list_transform(${items}, c ->
      json_type(c) = 'OBJECT' AND json_type(c, '$.amount') IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE', 'VARCHAR') AND TRY_CAST(${amount("c")} AS ${MONEY}) IS NOT NULL)), true), false)`;
  const absent = `((${written} IS NULL AND ${credits} IS NULL) OR COALESCE(json_type(${credits}) = 'NULL', false))`;
  const parsed = `list_transform(${items}, c -> ${amount("c")})`;
  const amounts = `list_transform([regexp_extract_all(CAST(${written} AS VARCHAR), ${numberOf("amount")}, 1)], raw ->
      CASE WHEN len(raw) = len(${items}) AND list_bool_and(list_transform(range(1, len(raw) + 1), i -> TRY_CAST(raw[i] AS DOUBLE) = TRY_CAST(${amount(`${items}[i]`)} AS DOUBLE)))
        THEN raw ELSE ${parsed} END)[1]`;
  return `CASE WHEN ${wellFormed} THEN list_sum(list_transform(${amounts}, a -> TRY_CAST(a AS ${MONEY}))) END AS credit,
    CASE WHEN ${wellFormed} THEN list_sum(list_transform(${amounts}, a -> ${cutOff("a")})) END AS credit_cut,
    CASE WHEN NOT ${absent} AND NOT ${wellFormed} THEN 'credits ' || left(COALESCE(CAST(${written} AS VARCHAR), CAST(${credits} AS VARCHAR)), 120) || ' are not a list of {name, amount} with decimal amounts (the row of project '
      || COALESCE(CAST(${project} AS VARCHAR), '(none)') || ' from ' || COALESCE(CAST(${start} AS VARCHAR), '(no usage_start_time)') || ')' END AS AmountProblem`;
}

/** A field of a format as an SQL expression and its DuckDB type (VARCHAR for text, a typed column's own type). */
type Field = [expression: string, type: string];

/** The fields of a GCP row that every format maps alike; a field the file lacks is NULL. */
interface GcpFields {
  currency: string;
  /** invoice.month as text, YYYYMM. */
  month: string;
  project: string;
  service: string;
  region: string;
  sku: string;
  costType: string;
  usageAmount: Field;
  start: Field;
  end: Field;
}

/**
 * The columns every GCP row (usage or Credit) takes from its fields, whatever the file format: the day in
 * UTC and the usage window as instants (text with an offset or typed), the usage amount through its double
 * (BigQuery's FLOAT64), the SKU by its id. ChargeDetail is part of the fingerprint that finds the same
 * charges in two inputs (overlap.ts), so JSON, CSV and Parquet of one export must hash alike.
 */
function gcpColumns(f: GcpFields): string {
  const usageAmount: Field = [`TRY_CAST(${f.usageAmount[0]} AS DOUBLE)`, "DOUBLE"];
  return `${f.currency} AS BillingCurrency, ${f.month} IS NOT NULL AS HasBillingPeriod, ${f.month} AS RawBillingPeriod,
      TRY_STRPTIME(${f.month} || '01', '%Y%m%d') AS BillingPeriod,
      ${utcDay(...f.start)} AS ChargeDate,
      'Google Cloud' AS ProviderName, ${f.project} AS SubAccountId, ${f.service} AS ServiceName,
      NULL AS ServiceCategory, ${f.region} AS RegionId, NULL AS CostKind,
      ${chargeDetailOf({ text: [f.sku, f.costType], number: [usageAmount], time: [f.start, f.end] })}`;
}

/** JSON lines: fields are pulled out of each raw object, and amounts read from the text the file wrote. */
function fromJson(from: string): string {
  const field = (path: string) => `json_extract_string(json, ${literal(path)})`;
  const month = field("$.invoice.month");
  const tags = `CAST(json_object('project', json_extract(json, '$.project.labels'), 'resource', json_extract(json, '$.labels')) AS VARCHAR)`;
  const common = gcpColumns({
    currency: field("$.currency"), month, project: field("$.project.id"), service: field("$.service.description"), region: field("$.location.region"),
    sku: field("$.sku.id"), costType: field("$.cost_type"), usageAmount: [field("$.usage.amount"), "VARCHAR"],
    start: [field("$.usage_start_time"), "VARCHAR"], end: [field("$.usage_end_time"), "VARCHAR"],
  });
  return `SELECT ${FILE_COLUMN} AS SourceFile, ${cost("BilledCost", writtenNumber("json", "cost"))}, ${cost("EffectiveCost", writtenNumber("json", "cost"))}, ${common},
      ${CHARGE_CATEGORY(field("$.cost_type"))} AS ChargeCategory, NULL AS ChargeClass,
      ${field("$.resource.global_name")} AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AmountProblem, NULL AS AllocatedMethodId
    FROM ${from}
    UNION ALL BY NAME
    SELECT SourceFile, ${CREDIT_AMOUNTS}, * EXCLUDE (SourceFile, credit, credit_cut)
    FROM (
      SELECT ${FILE_COLUMN} AS SourceFile, ${common}, 'Credit' AS ChargeCategory, NULL AS ChargeClass,
        ${field("$.resource.global_name")} AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AllocatedMethodId,
        ${jsonCredits("json_extract(json, '$.credits')", `NULLIF(regexp_extract(CAST(json AS VARCHAR), '(?:^|[^\\\\])"credits"\\s*:\\s*(\\[[^\\]]*\\]|[^,}]*)', 1), '')`, field("$.project.id"), field("$.usage_start_time"))}
      FROM ${from}
    ) WHERE (credit IS NOT NULL AND credit <> 0) OR AmountProblem IS NOT NULL`;
}

/**
 * Parquet: credits are typed, so their shape is known from the column type: a list of structs with a
 * numeric amount is summed (DOUBLEs through their shortest text); any other type makes every row that has
 * credits unreadable, and a file without the column has none.
 */
function parquetCredits(type: string | undefined): string {
  if (type === undefined) return "NULL AS credit, NULL AS credit_cut, NULL AS AmountProblem";
  const amount = /\bamount (DOUBLE|FLOAT|REAL|DECIMAL\(\d+,\d+\)|BIGINT|INTEGER|HUGEINT|VARCHAR)\b/.exec(type)?.[1];
  if (!type.startsWith("STRUCT(") || !type.endsWith(")[]") || amount === undefined) {
    return `NULL AS credit, NULL AS credit_cut, CASE WHEN credits IS NOT NULL THEN ${literal(`credits of type ${type} are not a list of {name, amount} with decimal amounts; export the billing table with its credits column as BigQuery writes it`)} END AS AmountProblem`;
  }
  const text = "CAST(c.amount AS VARCHAR)";
  const wellFormed = `COALESCE(list_bool_and(list_transform(credits, c -> TRY_CAST(${text} AS ${MONEY}) IS NOT NULL OR c.amount IS NULL)), true)`;
  return `CASE WHEN ${wellFormed} THEN (SELECT SUM(TRY_CAST(${text} AS ${MONEY})) FROM unnest(credits) AS t(c)) END AS credit,
    CASE WHEN ${wellFormed} THEN (SELECT SUM(${cutOff(text)}) FROM unnest(credits) AS t(c)) END AS credit_cut,
    CASE WHEN NOT ${wellFormed} THEN 'credits ' || left(CAST(credits AS VARCHAR), 120) || ' have an amount that is not a decimal number (the row of project ' || COALESCE(CAST(project.id AS VARCHAR), '(none)') || ')' END AS AmountProblem`;
}

/**
 * A Parquet field as text with its type: `column.field` of a STRUCT column, the column itself when no
 * field is asked; NULL when the file lacks it (the standard export has no `resource`, older ones no `location`).
 */
function parquetField(c: Columns, column: string, field?: string): Field {
  const type = c.get(column);
  if (type === undefined) return ["CAST(NULL AS VARCHAR)", "VARCHAR"];
  if (field === undefined) return [ident(column), type];
  const member = new RegExp(`[(,]\\s*"?${field}"?\\s+([A-Z][A-Z0-9_]*)`).exec(type);
  if (!type.startsWith("STRUCT(") || !member) return ["CAST(NULL AS VARCHAR)", "VARCHAR"];
  return [`${ident(column)}.${ident(field)}`, member[1]!];
}

/** Parquet: typed nested columns; DOUBLE amounts go through their shortest text. */
function fromParquet(from: string, c: Columns): string {
  const asText = ([e]: Field) => `CAST(${e} AS VARCHAR)`;
  const month = asText(parquetField(c, "invoice", "month"));
  const tags = `CAST(json_object('project', to_json(project.labels), 'resource', to_json(labels)) AS VARCHAR)`;
  const resource = asText(parquetField(c, "resource", "global_name"));
  const common = gcpColumns({
    currency: asText(parquetField(c, "currency")), month, project: asText(parquetField(c, "project", "id")), service: asText(parquetField(c, "service", "description")),
    region: asText(parquetField(c, "location", "region")), sku: asText(parquetField(c, "sku", "id")), costType: asText(parquetField(c, "cost_type")),
    usageAmount: parquetField(c, "usage", "amount"), start: parquetField(c, "usage_start_time"), end: parquetField(c, "usage_end_time"),
  });
  return `SELECT ${FILE_COLUMN} AS SourceFile, ${cost("BilledCost", "cost", "DOUBLE")}, ${cost("EffectiveCost", "cost", "DOUBLE")}, ${common},
      ${CHARGE_CATEGORY("cost_type")} AS ChargeCategory, NULL AS ChargeClass, ${resource} AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AmountProblem, NULL AS AllocatedMethodId
    FROM ${from}
    UNION ALL BY NAME
    SELECT SourceFile, ${CREDIT_AMOUNTS}, * EXCLUDE (SourceFile, credit, credit_cut)
    FROM (
      SELECT ${FILE_COLUMN} AS SourceFile, ${common}, 'Credit' AS ChargeCategory, NULL AS ChargeClass, ${resource} AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AllocatedMethodId,
        ${parquetCredits(c.get("credits"))}
      FROM ${from}
    ) WHERE (credit IS NOT NULL AND credit <> 0) OR AmountProblem IS NOT NULL`;
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
  const resource = col("resource.global_name", "resource_global_name");
  const common = gcpColumns({
    currency: col("currency"), month, project: col("project.id", "project_id"), service: col("service.description", "service_description"), region: col("location.region", "location_region"),
    sku: col("sku.id", "sku_id"), costType: col("cost_type"), usageAmount: [col("usage.amount", "usage_amount"), "VARCHAR"],
    start: [col("usage_start_time"), "VARCHAR"], end: [col("usage_end_time"), "VARCHAR"],
  });
  return `SELECT ${FILE_COLUMN} AS SourceFile, ${cost("BilledCost", "cost")}, ${cost("EffectiveCost", "cost")}, ${common},
      ${CHARGE_CATEGORY(col("cost_type"))} AS ChargeCategory, NULL AS ChargeClass, ${resource} AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AmountProblem, NULL AS AllocatedMethodId
    FROM ${from}
    UNION ALL BY NAME
    SELECT SourceFile, ${CREDIT_AMOUNTS}, * EXCLUDE (SourceFile, credit, credit_cut)
    FROM (
      SELECT ${FILE_COLUMN} AS SourceFile, ${common}, 'Credit' AS ChargeCategory, NULL AS ChargeClass, ${resource} AS ResourceId, NULL AS ResourceType, ${tags} AS Tags, ${TAGS_FORMAT} AS TagsFormat, NULL AS AllocatedMethodId,
        ${jsonCredits(`TRY_CAST(${col("credits")} AS JSON)`, col("credits"), col("project.id", "project_id"), col("usage_start_time"))}
      FROM ${from}
    ) WHERE (credit IS NOT NULL AND credit <> 0) OR AmountProblem IS NOT NULL`;
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
function projectGcpTags(text: string, { keep }: KeptKeys): string {
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
