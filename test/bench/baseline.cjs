// The floor for any tool on DuckDB: runs one SQL statement (argv[2]) on a fresh in-memory DuckDB and reads
// the whole result, nothing else.
const { DuckDBInstance } = require("@duckdb/node-api");

(async () => {
  const connection = await (await DuckDBInstance.create(":memory:")).connect();
  const reader = await connection.runAndReadAll(process.argv[2]);
  process.stdout.write(`${JSON.stringify(reader.getRowsJS()[0], (_, v) => (typeof v === "bigint" ? String(v) : v))}\n`);
  connection.closeSync();
})().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
