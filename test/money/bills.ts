// Small FOCUS bills written by hand for the money tests, and an independent reading of them: amounts summed
// with decimal.js straight from the rows the test wrote, never through allot's readers or allocation.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Decimal from "decimal.js";

export interface BillRow {
  cost: string;
  month?: string;
  day?: string;
  service?: string;
  category?: string;
  chargeCategory?: string;
  account?: string;
  resource?: string;
  tags?: Record<string, string>;
  /** Extra FOCUS columns, e.g. the 1.2 split cost allocation ones. */
  extra?: Record<string, string>;
  /** BillingCurrency; USD unless given. */
  currency?: string;
}

const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** Writes a FOCUS CSV; BilledCost and EffectiveCost both carry `cost`. */
export function writeFocus(dir: string, name: string, rows: readonly BillRow[]): string {
  const extraColumns = [...new Set(rows.flatMap((r) => Object.keys(r.extra ?? {})))];
  const header = ["BilledCost", "EffectiveCost", "BillingCurrency", "BillingPeriodStart", "ChargePeriodStart", "ChargeCategory", "ProviderName", "SubAccountId", "ServiceName", "ServiceCategory", "ResourceId", "Tags", ...extraColumns];
  const lines = rows.map((r) => {
    const month = r.month ?? "2026-10";
    return [
      r.cost, r.cost, r.currency ?? "USD", `${month}-01 00:00:00`, `${month}-${r.day ?? "01"} 00:00:00`, r.chargeCategory ?? "Usage", "AWS", r.account ?? "111111111111",
      r.service ?? "Amazon EC2", r.category ?? "Compute", r.resource ?? "", r.tags ? JSON.stringify(r.tags) : "", ...extraColumns.map((c) => r.extra?.[c] ?? ""),
    ].map(quote).join(",");
  });
  const file = join(dir, name);
  writeFileSync(file, `${header.join(",")}\n${lines.join("\n")}\n`);
  return file;
}

/** Wide enough that no sum the tests write rounds: independent of the precision allot sets for itself. */
const Exact = Decimal.clone({ precision: 1000 });

export const sum = (values: Iterable<string | Decimal>) => {
  let total = new Exact(0);
  for (const v of values) total = total.plus(v);
  return total;
};

/** A two-team org, `a` and `b`, tagged by `team`, with the given rules, reporting in `currency`. */
export function writeOrg(dir: string, rules: string, extra = "", currency = "USD"): string {
  const file = join(dir, "allot.yaml");
  writeFileSync(file, `version: 1
currency: ${currency}
tags:
  required:
    - { key: team, values: org.teams }
org:
  units:
    - id: u
      teams:
        - { id: a, owner: a@x.co, costCenter: CC-A, budget: 100 }
        - { id: b, owner: b@x.co, costCenter: CC-B, budget: 100 }
${extra}allocation:
  rules:
${rules}
    - { name: owned, method: direct, keys: [team] }
`);
  return file;
}

/** A CSV file's records as objects, by a plain RFC 4180 reading (a BOM, quotes, doubled quotes, CRLF): no allot code. */
export function readCsv(csv: string): Record<string, string>[] {
  const text = csv.replace(/^\uFEFF/, "");
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") record.push(field), (field = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(field), records.push(record), (field = ""), (record = []);
    } else field += ch;
  }
  if (field !== "" || record.length > 0) record.push(field), records.push(record);
  const [header, ...rows] = records;
  return rows.filter((r) => r.length > 1 || r[0] !== "").map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
}
