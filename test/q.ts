import { withDuckDB } from "../reports/read/duckdb";
withDuckDB(async (db) => {
  const r = await db.runAndReadAll(process.argv[2]!);
  console.log(JSON.stringify(r.getRowObjectsJson(), null, 0).slice(0, 3000));
});
