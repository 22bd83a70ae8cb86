#!/usr/bin/env node
// The `allot` command as installed: `npm run build` bundles this file and everything it imports (but
// DuckDB's native binding and Vega, bundled apart) into dist/allot.js, which starts in two thirds of the time
// Node takes to load the same code module by module.
import { main } from "./main";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
