// One golden file per billing source: what its mapping makes of a real (or hand-written, where no public
// sample exists) export: the charges by provider, account, service, category and class with both cost
// columns, and the tag sets as its own parseTags reads them with the sample standard's verdict. A change
// to any source's mapping, tags included, shows here as a diff (UPDATE_GOLDEN=1 rewrites them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { judgeBillTags, loadCostModel, cloudOfProvider } from "../../model";
import { openCharges, queryCharges } from "../../reports/read/billing";
import { withDuckDB } from "../../reports/read/duckdb";
import { parseTagSet } from "../../reports/read/tags";
import { root, sharedData } from "../helpers";

const fixtures = join(__dirname, "..", "fixtures");
const SOURCES: { source: string; file: string }[] = [
  { source: "focus", file: join(sharedData, "focus-1.0-sample", "focus_sample.csv") },
  { source: "aws-cur-legacy", file: join(sharedData, "aws-cur-legacy", "sample-anonymous-aws-export-dataset.csv") },
  { source: "aws-cur-legacy-tags", file: join(fixtures, "aws-cur-legacy-tags.csv") },
  { source: "aws-cur2", file: join(fixtures, "aws-cur2.csv") },
  { source: "azure-cost-details", file: join(sharedData, "azure-cost-details", "sample-anonymous-ea-export-dataset.csv") },
  { source: "gcp-bigquery", file: join(fixtures, "gcp-billing.jsonl") },
];
const model = loadCostModel(join(root, "allot.yaml"));
const golden = join(__dirname, "golden", "sources");

describe("each billing source's whole mapping, tags included, against its golden file", () => {
  for (const { source, file } of SOURCES) {
    it(source, async () => {
      const mapped = await withDuckDB(async (db) => {
        const info = await openCharges(db, [file]);
        const charges = await queryCharges(
          db,
          `SELECT strftime(BillingPeriod, '%Y-%m') AS month, ProviderName, SubAccountId, ServiceName, ServiceCategory, RegionId, ChargeCategory, ChargeClass,
             COUNT(*) AS rows, CAST(SUM(BilledCost) AS VARCHAR) AS BilledCost, CAST(SUM(EffectiveCost) AS VARCHAR) AS EffectiveCost
           FROM charges GROUP BY ALL ORDER BY ALL`,
        );
        const tagSets = await queryCharges(db, `SELECT TagsFormat, Tags, ProviderName, COUNT(*) AS rows, CAST(SUM(BilledCost) AS VARCHAR) AS cost FROM charges GROUP BY ALL ORDER BY ALL`);
        return {
          source: info.files.map((f) => f.source.id),
          charges: charges.map((r) => ({ ...r, rows: Number(r.rows) })),
          tagSets: tagSets.map((t) => {
            const entries = parseTagSet(String(t.TagsFormat), t.Tags === null ? null : String(t.Tags));
            const provider = t.ProviderName === null ? null : String(t.ProviderName);
            const verdict = entries === "unreadable" ? "unreadable" : judgeBillTags(model.tags, cloudOfProvider(provider), entries);
            return {
              provider,
              rows: Number(t.rows),
              cost: t.cost,
              tags: entries,
              verdict: verdict === "unreadable" ? verdict : { status: verdict.status, tags: Object.fromEntries(verdict.tags), findings: verdict.findings.map((f) => `${f.problem} ${f.key}`) },
            };
          }),
        };
      });
      // One line per charge group and per tag set, so a diff names exactly what moved.
      const text = [`source ${mapped.source.join(", ")}`, "charges:", ...mapped.charges.map((c) => JSON.stringify(c)), "tag sets:", ...mapped.tagSets.map((t) => JSON.stringify(t)), ""].join("\n");
      const path = join(golden, `${source}.txt`);
      mkdirSync(golden, { recursive: true });
      if (process.env.UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, text);
      expect(text).toBe(readFileSync(path, "utf8"));
    });
  }
});
