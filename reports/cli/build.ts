// Run by `npm run build` after tsc: what makes the CLI start faster, prepared once instead of every run.
// - the report's own templates, precompiled (Handlebars's compiler is most of a template's first use);
// - Vega and Vega-Lite bundled into one ES module (loading their 80-odd modules one by one took 160 ms);
// - the CLI itself bundled into dist/allot.js, the `allot` command (Node's module loader took 250 ms for it).
// The first two are used only when allot runs from dist/, a template's code only for the exact text it was made from.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import Handlebars from "handlebars";
import { builtAssetsDir, packageRoot, templatesDir } from "../paths";
import { VEGA_BUNDLE, VEGA_BUNDLE_ENTRY } from "../render/charts";
import { BUILT_IN_TEMPLATES, compileOptions, PRECOMPILED_FILE, sha256, type Precompiled } from "../render/templates";

/** The `allot` command (package.json's bin). */
const CLI_BUNDLE = join(packageRoot, "dist", "allot.js");

async function main(): Promise<void> {
  mkdirSync(builtAssetsDir, { recursive: true });
  const templates: Record<string, Precompiled> = {};
  for (const { name, html } of BUILT_IN_TEMPLATES) {
    const source = readFileSync(join(templatesDir, name), "utf8");
    templates[name] = { handlebars: Handlebars.VERSION, html, sha256: sha256(source), code: String(Handlebars.precompile(source, compileOptions(html))) };
  }
  writeFileSync(join(builtAssetsDir, PRECOMPILED_FILE), `${JSON.stringify(templates, null, 1)}\n`);
  await build({
    stdin: { contents: VEGA_BUNDLE_ENTRY, resolveDir: packageRoot, loader: "js" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // vega-canvas tries the optional canvas package and does without it; SVG needs none.
    external: ["canvas"],
    outfile: join(builtAssetsDir, VEGA_BUNDLE),
    logLevel: "warning",
  });
  await build({
    entryPoints: [join(packageRoot, "dist", "reports", "cli", "bin.js")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // The native binding stays a package (it picks the platform's binary); Vega is loaded from its own bundle.
    external: ["@duckdb/node-bindings", "vega", "vega-lite"],
    outfile: CLI_BUNDLE,
    logLevel: "warning",
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run build: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
