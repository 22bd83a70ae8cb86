// Any tag cardinality: the tag projection (reports/read/tag-projection.ts) leaves every verdict, owner and
// key read as it was, on tricky tag texts of each source and on the sample; and a bill where each resource
// carries its own Name tag (over 200,000 distinct tag sets) runs through compliance, allocation and the
// report with the same figures as the same bill with one Name for all, conserving money exactly. The two
// bills take the scan's two ways (read/charges.ts reduceTagsFirst): the distinct one's texts are reduced
// before grouping, the constant one's after, so the comparison holds the two ways to the same figures.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cloudOfProvider, loadCostModel, ownerKeys, ownerResolver, type CostModel } from "../../model";
import { Decimal } from "../../reports/money";
import { openCharges } from "../../reports/read/billing";
import { reduceTagsFirst } from "../../reports/read/charges";
import { sqlString, withDuckDB } from "../../reports/read/duckdb";
import { projectJsonObject } from "../../reports/read/sources/source";
import { projectTagSets, tagKeysRead, tagProjection } from "../../reports/read/tag-projection";
import { TagSetJudge } from "../../reports/read/tags";
import type { Truth } from "../../reports/sample/truth";
import { allot, makeSample, root, sampleModelFile, tempDir } from "../helpers";

const TRICKY: Record<string, string[]> = {
  focus: [
    '{"Name":"a","team":"checkout"}', '{" Team ":" checkout ","Name":"x"}', '{"TEAM":"payments","costcenter":"CC-1100"}', '{"Name":"only"}',
    '{"teem":"checkout","Name":"y"}', '{"cost_center":"x","Name":"1"}', '{"tëam":"x","Name":"2"}', '{"team":"a","team":"checkout","Name":"3"}',
    '{"team":"checkout","Name":"x",}', '{"team":NaN,"Name":"x"}', '{"team":1.50,"Name":"x","n":null}', '{"team":{"a":1},"Name":"x"}',
    "[1,2]", '"text"', "null", "NULL", '{"team":"NULL","Name":"x"}', '{"\\u0074eam":"checkout","Name":"x"}', '{"team\\t":"checkout","Name":"x"}',
    '{"Project":"web-checkout","product":"storefront","Name":"z"}', '{"environment":"prod","Environment":"","Name":"q"}', "{}", '{"a":1', " ",
    // Dropped by name: keys with quotes, backslashes and non-BMP letters; lenient JSON in arrays and strings;
    // JSON null and NULL text left once Name goes; spaces and escapes written out again.
    '{"na\\"me":"x","team":"checkout"}', '{"a\\\\b":"x","team":"checkout"}', '{"𝒩ame":"x","team":"checkout","Name":"y"}', '{"team":"checkout","x":[1,-Infinity]}',
    '{"team":"checkout","x":[ NaN ],"Name":"y"}', '{"team":"checkout","note":"a,Inf","Name":"y"}', '{"team":null,"Name":"x"}', '{ "team" : "NULL" , "Name" : "x" }',
    '{"team":"NULL","cost-center":"null","Name":"x"}', '{"Name":"x","Name":"y"}', '{"team":"checkout","Name":"x","team":"payments"}', '{"\\u004eame":"x","team":"é\\u00e9"}',
  ],
  "aws-cur2": ['{"user_team":"checkout","user_Name":"x"}', '{"user_ team":"checkout","user_Name":"x"}', '{"User_team":"checkout","user_Name":"x"}', '{"user_Name":"x"}'],
  "aws-cur-legacy": ['{"user:team":"checkout","user:Name":"x"}', '{"user:Name":"x","user:cost-center":null}'],
  "azure-cost-details": ['"team": "checkout","Name": "x"', ' "Team": "checkout", "Name": "x" ', '{"team":"checkout","Name":"x"}', '"team": "checkout",', '"Name": "x"', '"team": "checkout"'],
  "gcp-bigquery": [
    '{"project":[{"key":"team","value":"checkout"}],"resource":[{"key":"name","value":"x"}]}', '{"project":null,"resource":[{"key":"Name","value":"y"},{"value":"z"}]}',
    '{"project":{"key":"team"},"resource":[]}', '{"project":[],"resource":[{"key":"name","value":"x"}]}', '{"project":[{"key":"team","value":"a"}],"resource":[{"key":"team","value":"checkout"},{"key":"n","value":"1"}]}',
  ],
};

/** Everything a consumer reads from a verdict: status, findings, the keys read, whether there are tags, owners. */
function readOf(model: CostModel, judge: TagSetJudge, format: string, tags: string | null, provider: string) {
  const verdict = judge.judge(format, tags, provider);
  if (verdict === "unreadable") return "unreadable";
  const cloud = cloudOfProvider(provider);
  const owners = [ownerKeys(model), ...model.allocationRules.flatMap((r) => (r.method === "direct" ? [r.keys] : []))].map((keys) => ownerResolver(model, keys)(verdict.tags, cloud, "Usage"));
  return { status: verdict.status, findings: verdict.findings, keys: tagKeysRead(model).map((k) => verdict.tags.get(k) ?? null), hasTags: verdict.tags.size > 0, owners };
}

async function projections(model: CostModel, sets: [string, string][], inputs: string[] = []) {
  return withDuckDB(async (db) => {
    await db.run("CREATE TEMP TABLE sets (TagsFormat VARCHAR, Tags VARCHAR)");
    if (sets.length > 0) await db.run(`INSERT INTO sets VALUES ${sets.map(([f, t]) => `(${sqlString(f)}, ${sqlString(t)})`).join(", ")}`);
    if (inputs.length > 0) {
      await openCharges(db, inputs);
      await db.run("INSERT INTO sets SELECT DISTINCT TagsFormat, Tags FROM charges");
    }
    await projectTagSets(db, model, "sets");
    const result = await db.runAndReadAll("SELECT TagsFormat, Tags, Projected FROM tag_projection");
    return result.getRowObjectsJS().map((r) => ({ format: String(r.TagsFormat), tags: String(r.Tags), projected: String(r.Projected) }));
  });
}

let sample: { out: string; truth: Truth };
beforeAll(async () => {
  sample = await makeSample({ rows: 6000, months: 2 });
}, 120_000);

describe("the tag projection changes no verdict", () => {
  it("on tricky tag texts of every source, on each cloud", async () => {
    const model = loadCostModel(sampleModelFile);
    const sets = Object.entries(TRICKY).flatMap(([format, texts]) => texts.map((t) => [format, t] as [string, string]));
    const rows = await projections(model, sets);
    expect(rows.length).toBe(sets.filter(([, t]) => t !== null).length);
    const judge = new TagSetJudge(model.tags);
    for (const r of rows) {
      for (const provider of ["AWS", "Google Cloud", "Microsoft"]) {
        expect(readOf(model, judge, r.format, r.projected, provider), `${r.format} ${r.tags} -> ${r.projected}`).toEqual(readOf(model, judge, r.format, r.tags, provider));
      }
    }
    // Name is dropped, and a set that had only Name still has tags.
    expect(rows.find((r) => r.tags === '{"Name":"only"}')!.projected).toBe('{"…":""}');
    expect(rows.find((r) => r.tags === '{"team":"checkout","Name":"x",}')!.projected).toBe('{"team":"checkout","Name":"x",}');
  });

  // A few dropped keys go by name (json_merge_patch), up to 256 by a list lookup per entry, more by
  // judging each entry's key (tag-projection.ts): the same verdicts each way.
  it.each([
    ["by name", 0, '{"teaa":"x"}'],
    ["by a list lookup per entry", 100, '{"teaa":"x","…":""}'],
    ["by judging each entry's key", 300, '{"teaa":"x","…":""}'],
  ])("with keys dropped %s (300 near misses of team, %i other keys), each entry judged as before", async (_, others, firstProjected) => {
    const model = loadCostModel(sampleModelFile);
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const nearMisses = Array.from({ length: 300 }, (_, i) => `te${letters[Math.floor(i / 26) % 26]}${letters[i % 26]}`);
    const other = (i: number) => (others === 0 ? {} : { [`label-${i % others}`]: "y" });
    const sets = [...nearMisses.map((k, i): [string, string] => ["focus", JSON.stringify({ [k]: "x", ...(i % 2 ? { team: "checkout" } : {}), Name: `n${i}`, ...other(i) })]), ...TRICKY.focus!.map((t): [string, string] => ["focus", t])];
    const rows = await projections(model, sets);
    const judge = new TagSetJudge(model.tags);
    for (const r of rows) expect(readOf(model, judge, r.format, r.projected, "AWS"), `${r.tags} -> ${r.projected}`).toEqual(readOf(model, judge, r.format, r.tags, "AWS"));
    // The near miss is kept (the verdict names it), Name and the other keys are not. By name, the marker
    // for dropped entries is only added where the rest could read as no tags.
    const first = rows.find((r) => r.tags === sets[0]![1])!;
    expect(first.projected).toBe(firstProjected);
  });

  // The scan reduces many texts by the keys of the bill's first rows (read/charges.ts): keys those rows lack must be kept.
  const fromSample = (model: CostModel, sample: string[], texts: string[]) =>
    withDuckDB(async (db) => {
      await db.run("CREATE TEMP TABLE sample (TagsFormat VARCHAR, Tags VARCHAR)");
      await db.run(`INSERT INTO sample VALUES ${sample.map((t) => `('focus', ${sqlString(t)})`).join(", ")}`);
      await db.run("CREATE TEMP TABLE sets (TagsFormat VARCHAR, Tags VARCHAR)");
      await db.run(`INSERT INTO sets VALUES ${texts.map((t) => `('focus', ${sqlString(t)})`).join(", ")}`);
      const projected = await tagProjection(db, model, "sample");
      const rows = (await db.runAndReadAll(`SELECT Tags, ${projected} AS Projected FROM sets`)).getRowObjectsJS();
      return new Map(rows.map((r) => [String(r.Tags), r.Projected === null ? null : String(r.Projected)]));
    });

  it("reduced by the keys of a sample, keys the sample lacks are kept whole: no verdict changes", async () => {
    const model = loadCostModel(sampleModelFile);
    const judge = new TagSetJudge(model.tags);
    const texts = TRICKY.focus!;
    const projected = await fromSample(model, ['{"Name":"a","team":"checkout"}', '{"Name":"b"}'], texts);
    for (const t of texts) expect(readOf(model, judge, "focus", projected.get(t) ?? null, "AWS"), `${t} -> ${projected.get(t)}`).toEqual(readOf(model, judge, "focus", t, "AWS"));
    // Name was in the sample and is not read: dropped. TEAM and costcenter were not in it: kept.
    expect(projected.get('{"Name":"only"}')).toBe('{"…":""}');
    expect(projected.get('{"TEAM":"payments","costcenter":"CC-1100"}')).toBe('{"TEAM":"payments","costcenter":"CC-1100"}');
  });

  it("must fail: a key the verdict reads, dropped by name, changes the verdict", async () => {
    const model = loadCostModel(sampleModelFile);
    const judge = new TagSetJudge(model.tags);
    const text = '{" Team ":" checkout ","Name":"x"}';
    const projected = await withDuckDB(async (db) =>
      String((await db.runAndReadAll(`SELECT ${projectJsonObject(sqlString(text), { keep: () => "true", dropped: [" Team ", "Name"] })} AS p`)).getRowObjectsJS()[0]!.p));
    expect(projected).toBe('{"…":""}');
    expect(readOf(model, judge, "focus", projected, "AWS")).not.toEqual(readOf(model, judge, "focus", text, "AWS"));
  });

  it("on every tag set of the sample and of the source fixtures", async () => {
    const model = loadCostModel(sampleModelFile);
    const fixtures = ["aws-cur2.csv", "aws-cur-legacy-tags.csv", "azure-cost-details.csv", "gcp-billing.jsonl"].map((f) => join(root, "test", "fixtures", f));
    const judge = new TagSetJudge(model.tags);
    for (const inputs of [[join(sample.out, "focus", "2026-10.parquet")], ...fixtures.map((f) => [f])]) {
      const rows = await projections(model, [], inputs);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(readOf(model, judge, r.format, r.projected, "AWS"), `${r.tags} -> ${r.projected}`).toEqual(readOf(model, judge, r.format, r.tags, "AWS"));
    }
  }, 60_000);

  // Real exports (../shared/data) under two orgs: the sample's, and the one written for the FOCUS sample's own
  // tags (environment/env, business_unit, application), whose near misses (CostCenter, " org") differ.
  it("on every tag set of the real FOCUS and Azure exports (the AWS one has no tags), under the sample's org and another", async () => {
    const data = join(root, "..", "shared", "data");
    const exports = [join(data, "focus-1.0-sample", "focus_sample.csv"), join(data, "azure-cost-details", "sample-anonymous-ea-export-dataset.csv")];
    for (const modelFile of [sampleModelFile, join(root, "test", "bench", "foreign", "allot.yaml")]) {
      const model = loadCostModel(modelFile);
      const judge = new TagSetJudge(model.tags);
      for (const file of exports) {
        const rows = await projections(model, [], [file]);
        expect(rows.length, file).toBeGreaterThan(0);
        // Some texts must lose keys, or this would compare each text with itself.
        expect(rows.some((r) => r.projected !== r.tags), file).toBe(true);
        for (const r of rows) expect(readOf(model, judge, r.format, r.projected, "AWS"), `${file}: ${r.tags} -> ${r.projected}`).toEqual(readOf(model, judge, r.format, r.tags, "AWS"));
      }
    }
  }, 120_000);
});

describe("a bill with a Name tag per resource", () => {
  const COPIES = 70;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    // Each row copied COPIES times; every copy gets its own Name (distinct tag sets), or one Name for all.
    await withDuckDB(async (db) => {
      for (const [name, value] of [["distinct", "'r-' || i || '-' || row_number() OVER ()"], ["constant", "'same'"]] as const) {
        await db.run(`COPY (SELECT * REPLACE (CAST(json_merge_patch(COALESCE(NULLIF(Tags, ''), '{}'), json_object('Name', ${value})) AS VARCHAR) AS Tags)
          FROM read_parquet(${sqlString(join(sample.out, "focus", "*.parquet"))}) CROSS JOIN range(${COPIES}) AS copies(i))
          TO ${sqlString(join(dir, `${name}.parquet`))} (FORMAT parquet)`);
      }
      const [row] = (await db.runAndReadAll(`SELECT COUNT(DISTINCT Tags) AS n FROM ${sqlString(join(dir, "distinct.parquet"))} WHERE strftime(BillingPeriodStart, '%Y-%m') = '2026-10'`)).getRowObjectsJS();
      expect(Number(row!.n)).toBeGreaterThan(200_000);
    });
  }, 120_000);

  const run = (bill: string, ...command: string[]) => {
    const sideInputs = command[0] === "compliance" ? [] : ["--metrics", join(sample.out, "metrics.csv"), "--metering", join(sample.out, "metering.csv"), "--k8s", join(sample.out, "opencost", "*.json")];
    const result = allot([...command, "--config", join(sample.out, "allot.yaml"), "--input", join(dir, `${bill}.parquet`), ...sideInputs]);
    expect(result.code, result.stderr).toBe(0);
    return result;
  };
  // The month's total, independently of allot: the sample's truth, copied.
  const expected = () => new Decimal(sample.truth.months["2026-10"]!.EffectiveCost).times(COPIES);

  it("the two bills take the scan's two ways, so the comparisons below compare them", async () => {
    const ways = await Promise.all(["distinct", "constant"].map((b) => withDuckDB(async (db) => {
      await openCharges(db, [join(dir, `${b}.parquet`)]);
      return reduceTagsFirst(db);
    })));
    expect(ways).toEqual([true, false]);
  });

  it("allot compliance: the same figures as with one Name, the bill's total exactly", () => {
    const [distinct, constant] = ["distinct", "constant"].map((b) => JSON.parse(run(b, "compliance", "--json").stdout) as { totalCost: string });
    expect(new Decimal(distinct!.totalCost).toFixed()).toBe(expected().toFixed());
    expect(distinct).toEqual(constant);
  }, 120_000);

  it("allot allocate: conserves the bill exactly, as with one Name", () => {
    const [distinct, constant] = ["distinct", "constant"].map((b) => JSON.parse(run(b, "allocate", "--json").stdout) as { totalCost: string; allocatedCost: string; unallocatedCost: string });
    expect(new Decimal(distinct!.totalCost).toFixed()).toBe(expected().toFixed());
    expect(new Decimal(distinct!.allocatedCost).plus(distinct!.unallocatedCost).toFixed()).toBe(expected().toFixed());
    expect(distinct).toEqual(constant);
  }, 120_000);

  it("allot report: the same report as with one Name", () => {
    const [distinct, constant] = ["distinct", "constant"].map((b) => {
      const out = join(dir, `report-${b}`);
      run(b, "report", "--out", out, "--format", "json", "--quiet");
      const { inputs: _inputs, ...data } = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as { inputs: string[]; summary: { total: string } };
      return data;
    });
    expect(new Decimal(distinct!.summary.total).toFixed(2)).toBe(expected().toFixed(2));
    expect(distinct).toEqual(constant);
  }, 180_000);
});
