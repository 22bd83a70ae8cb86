#!/usr/bin/env node
// The `allot` command as installed: `npm run build` bundles this file and everything it imports into
// dist/allot.js (all but DuckDB's native binding, which stays a package, and Vega, bundled apart), which
// starts in about two thirds of the time Node takes to load the same code module by module.
import { main } from "./main";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
