// The benchmark's inputs beyond the plain sample: the same month with a distinct tag set per resource (as
// real AWS accounts have, with a Name tag each), and a foreign-shaped 1M-row CSV made of the real FOCUS 1.0
// sample's rows (its 44 columns, JSON tags and quirks), each copy with its own Name tag. Both are written
// by DuckDB once into out/bench/ and reused.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { sqlString, withDuckDB } from "../../reports/read/duckdb";

/** SQL: the tag text with a Name entry added (a JSON object merged; other text left as it is). */
const withName = (tags: string, name: string) =>
  `CASE WHEN json_type(TRY_CAST(${tags} AS JSON)) = 'OBJECT' THEN CAST(json_merge_patch(${tags}, json_object('Name', ${name})) AS VARCHAR)
        WHEN ${tags} IS NULL OR trim(${tags}) IN ('', 'NULL') THEN CAST(json_object('Name', ${name}) AS VARCHAR) ELSE ${tags} END`;

/**
 * The sample's month as Parquet with `distinct` Name values spread over its rows (row number modulo
 * `distinct`), so the bill has about that many distinct tag sets; amounts and every other column unchanged.
 */
export async function withDistinctTagSets(sampleGlob: string, out: string, distinct: number): Promise<{ file: string; tagSets: number }> {
  const file = join(out, `tagsets-${distinct}.parquet`);
  return withDuckDB(async (db) => {
    if (!existsSync(file)) {
      await db.run(`COPY (SELECT * REPLACE (${withName("Tags", `'i-' || ((row_number() OVER ()) % ${distinct})`)} AS Tags) FROM read_parquet(${sqlString(sampleGlob)}))
        TO ${sqlString(file)} (FORMAT parquet)`);
    }
    const [row] = (await db.runAndReadAll(`SELECT COUNT(DISTINCT Tags) AS n FROM read_parquet(${sqlString(file)})`)).getRowObjectsJS();
    return { file, tagSets: Number(row!.n) };
  });
}

/**
 * The real FOCUS 1.0 sample's 1,000 rows, `copies` times, as one CSV: each copy's rows get their own
 * ResourceId suffix and Name tag, so there are as many distinct tag sets as rows with tags. The month's
 * usage total is `copies` times the sample's, which the benchmark checks.
 */
export async function foreignCsv(sampleCsv: string, out: string, copies: number): Promise<string> {
  const file = join(out, `foreign-focus-1.0-x${copies}.csv`);
  if (existsSync(file)) return file;
  await withDuckDB((db) =>
    db.run(`COPY (
      SELECT s.* EXCLUDE (n) REPLACE (CASE WHEN s.ResourceId IS NULL OR s.ResourceId = 'NULL' THEN s.ResourceId ELSE s.ResourceId || '/' || c.i END AS ResourceId,
                          ${withName("s.Tags", "'r' || c.i || '-' || s.n")} AS Tags)
      FROM (SELECT *, row_number() OVER () AS n FROM read_csv(${sqlString(sampleCsv)}, header = true, all_varchar = true)) s
      CROSS JOIN range(${copies}) AS c(i)
    ) TO ${sqlString(file)} (FORMAT csv, HEADER true)`),
  );
  return file;
}
