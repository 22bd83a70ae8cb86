// The ownership step of the month pipeline, in DuckDB: each distinct (source, tags, provider) of
// `charge_groups` is judged once by the model's tag verdict and owner resolver, each distinct (resource
// type, account) once by the model's exemptions, and both go back as small tables joined into `judged`:
// the charge groups with their verdict, owner and exemption, which compliance and the report query. The
// verdict's normalised tags go to `tag_entries` (one row per key of each distinct tag set), so what the
// bill carries can be asked of DuckDB (month/unmatched.ts).
import type { DuckDBConnection } from "@duckdb/node-api";
import { cloudOfProvider, ownerResolver, type CostModel, type TagFinding } from "../../model";
import { queryCharges } from "../read/billing";
import { DROPPED_TAGS_KEY } from "../read/sources";
import { TagSetJudge } from "../read/tags";

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
/** A finding as the reports name it; a secret's value never shown. */
export const problemText = (f: TagFinding) => (f.problem === "invalid" ? `${f.key}=${JSON.stringify(f.secret ? "[secret]" : f.value)} not allowed` : `${f.problem} ${f.key}`);

/**
 * Builds `judged` (and `judged_resources` over `resource_groups` when `resources`); returns the required
 * keys in the order of judged's k0, k1, ... columns (missing/empty/invalid).
 */
export async function judgeTagSets(db: DuckDBConnection, model: CostModel, resources = false): Promise<{ keys: string[] }> {
  const judge = new TagSetJudge(model.tags);
  const owner = ownerResolver(model);
  const keys = model.tags.required.map((t) => t.key);
  await db.run(`CREATE OR REPLACE TEMP TABLE tag_sets (TagsFormat VARCHAR, Tags VARCHAR, ProviderName VARCHAR, compliant BOOLEAN, owner VARCHAR, problems VARCHAR${keys.map((_, i) => `, k${i} VARCHAR`).join("")})`);
  await db.run("CREATE OR REPLACE TEMP TABLE tag_entries (TagsFormat VARCHAR, Tags VARCHAR, ProviderName VARCHAR, key VARCHAR, value VARCHAR)");
  const appender = await db.createAppender("tag_sets");
  const entries = await db.createAppender("tag_entries");
  for (const set of await queryCharges(db, "SELECT DISTINCT TagsFormat, Tags, ProviderName FROM charge_groups")) {
    const tags = str(set.Tags);
    const provider = str(set.ProviderName);
    const verdict = judge.judge(String(set.TagsFormat), tags, provider);
    const unreadable = verdict === "unreadable";
    for (const [key, value] of unreadable ? [] : verdict.tags) {
      if (key === DROPPED_TAGS_KEY) continue;
      for (const v of [String(set.TagsFormat), tags, provider, key, value]) {
        if (v === null) entries.appendNull();
        else entries.appendVarchar(v);
      }
      entries.endRow();
    }
    const found = unreadable ? undefined : owner(verdict.tags, cloudOfProvider(provider), "Usage");
    appender.appendVarchar(String(set.TagsFormat));
    for (const value of [tags, provider]) {
      if (value === null) appender.appendNull();
      else appender.appendVarchar(value);
    }
    appender.appendBoolean(!unreadable && verdict.status === "compliant");
    if (found && "team" in found) appender.appendVarchar(found.team);
    else appender.appendNull();
    // A JSON list, not joined text: a tag value may hold ", " itself.
    appender.appendVarchar(JSON.stringify(unreadable ? ["tags cannot be read"] : verdict.findings.map(problemText)));
    for (const key of keys) {
      const problem = unreadable ? "missing" : verdict.findings.find((f) => f.key === key)?.problem;
      if (problem) appender.appendVarchar(problem);
      else appender.appendNull();
    }
    appender.endRow();
  }
  appender.closeSync();
  entries.closeSync();

  await db.run("CREATE OR REPLACE TEMP TABLE exemptions (ResourceType VARCHAR, SubAccountId VARCHAR, exempt BOOLEAN)");
  const exemptions = await db.createAppender("exemptions");
  for (const r of await queryCharges(db, "SELECT DISTINCT ResourceType, SubAccountId FROM charge_groups")) {
    const [type, account] = [str(r.ResourceType), str(r.SubAccountId)];
    for (const value of [type, account]) {
      if (value === null) exemptions.appendNull();
      else exemptions.appendVarchar(value);
    }
    exemptions.appendBoolean(model.tags.isExempt({ type, account }));
    exemptions.endRow();
  }
  exemptions.closeSync();

  // A view, not a table: a copy of every charge group (a million with a resource each) is memory the
  // queries over it do not need; the joins with the small verdict tables are cheap to run again.
  await db.run(`
    CREATE OR REPLACE TEMP VIEW judged AS
    SELECT g.*, t.compliant, COALESCE(t.owner, '(unallocated)') AS team, t.problems${keys.map((_, i) => `, t.k${i}`).join("")},
      lower(g.ChargeCategory) = 'usage' AS is_usage, e.exempt AS is_exempt
    FROM charge_groups g
    JOIN tag_sets t ON t.TagsFormat = g.TagsFormat AND t.Tags IS NOT DISTINCT FROM g.Tags AND t.ProviderName IS NOT DISTINCT FROM g.ProviderName
    JOIN exemptions e ON e.ResourceType IS NOT DISTINCT FROM g.ResourceType AND e.SubAccountId IS NOT DISTINCT FROM g.SubAccountId
    WHERE g.BillingMonth IS NOT NULL AND g.row_count > 0`);
  // Each resource's charges by tag set (the same reduced texts as the charge groups'), with their verdict.
  if (resources) {
    await db.run(`
      CREATE OR REPLACE TEMP VIEW judged_resources AS
      SELECT r.*, t.compliant, t.problems, lower(r.ChargeCategory) = 'usage' AS is_usage, e.exempt AS is_exempt
      FROM resource_groups r
      JOIN tag_sets t ON t.TagsFormat = r.TagsFormat AND t.Tags IS NOT DISTINCT FROM r.Tags AND t.ProviderName IS NOT DISTINCT FROM r.ProviderName
      JOIN exemptions e ON e.ResourceType IS NOT DISTINCT FROM r.ResourceType AND e.SubAccountId IS NOT DISTINCT FROM r.SubAccountId`);
  }
  return { keys };
}
