// What `npm run build` prepares beyond tsc (reports/cli/build.ts) and dist/ uses: precompiled templates,
// only ever for the exact text they were made from, one bundle of Vega, and the `allot` command as one file.
// Every CLI test runs that file, and the report goldens (report.test.ts) check that it renders what the
// packages themselves do.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { BUILT_IN_TEMPLATES, compileOptions, type Precompiled } from "../../reports/render/templates";

const root = join(__dirname, "..", "..");
const assets = join(root, "dist", "assets");
// dist/'s own modules (built by the global setup), which are the ones that read the assets.
const dist = createRequire(join(root, "dist", "reports", "render", "x.js")) as NodeRequire;
const built = dist("./templates.js") as typeof import("../../reports/render/templates");

describe("precompiled templates", () => {
  const file = JSON.parse(readFileSync(join(assets, "templates.json"), "utf8")) as Record<string, Precompiled>;

  it("hold, for each of the report's templates, exactly the code Handlebars compiles from its text", () => {
    expect(Object.keys(file).sort()).toEqual(BUILT_IN_TEMPLATES.map((t) => t.name).sort());
    for (const { name, html } of BUILT_IN_TEMPLATES) {
      const source = readFileSync(join(root, "reports", "templates", name), "utf8");
      expect(file[name]!.html).toBe(html);
      expect(file[name]!.code, name).toBe(String(Handlebars.precompile(source, compileOptions(html))));
      expect(built.precompiledCode(source, html), name).toBe(file[name]!.code);
    }
  });

  it("are never used for other text or other escaping: an edited template is compiled from what it says", () => {
    const source = readFileSync(join(root, "reports", "templates", "report.md.hbs"), "utf8");
    expect(built.precompiledCode(`${source} `, false)).toBeUndefined();
    expect(built.precompiledCode(source, true)).toBeUndefined();
    // Through the built loader: an override of the same name renders what it says, not the report's own code.
    const dir = mkdtempSync(join(tmpdir(), "allot-templates-"));
    writeFileSync(join(dir, "report.md.hbs"), "EDITED {{month}}");
    expect(built.loadTemplate("report.md.hbs", dir)({ month: "2026-10" })).toBe("EDITED 2026-10");
  });
});

describe("the Vega bundle", () => {
  it("exports Vega and Vega-Lite at the versions the package pins", async () => {
    const bundle = (await import(join(assets, "vega.mjs"))) as { vega: typeof import("vega"); vegaLite: typeof import("vega-lite") };
    const vega = await import("vega");
    const vegaLite = await import("vega-lite");
    expect(bundle.vega.version).toBe(vega.version);
    expect(bundle.vegaLite.version).toBe(vegaLite.version);
    expect(typeof bundle.vega.View).toBe("function");
  });
});

describe("the allot command, dist/allot.js", () => {
  it("loads none of allot's modules or its JavaScript dependencies one by one: they are in the bundle", () => {
    const hook = join(mkdtempSync(join(tmpdir(), "allot-modules-")), "list.cjs");
    writeFileSync(hook, `process.on("exit", () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));\n`);
    const run = spawnSync(process.execPath, ["-r", hook, join(root, "dist", "allot.js"), "--version"], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version);
    const loaded = (JSON.parse(run.stderr) as string[]).filter((f) => f !== hook);
    expect(loaded.filter((f) => f.includes(`${join(root, "dist")}/reports`) || /node_modules[\\/](zod|yaml|handlebars|decimal\.js|commander|@duckdb[\\/]node-api)[\\/]/.test(f))).toEqual([]);
    expect(loaded).toContain(join(root, "dist", "allot.js"));
  });
});

describe("the built command uses what the build prepared", () => {
  it("reads the precompiled templates and looks for the Vega bundle when it renders a report, run as dist/allot.js", () => {
    const dir = mkdtempSync(join(tmpdir(), "allot-assets-"));
    // Records the paths the process reads and checks, through node:fs, which the bundle calls at run time.
    const hook = join(dir, "fs.cjs");
    writeFileSync(hook, `const fs = require("node:fs"); const seen = new Set();
for (const name of ["readFileSync", "existsSync"]) { const real = fs[name]; fs[name] = function (path, ...rest) { if (typeof path === "string") seen.add(name + " " + path); return real.call(this, path, ...rest); }; }
process.on("exit", () => fs.writeFileSync(${JSON.stringify(join(dir, "seen.json"))}, JSON.stringify([...seen])));\n`);
    const bill = join(dir, "bill.csv");
    writeFileSync(bill, "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName,Tags\n5,5,USD,2026-10-01,Usage,AWS,Amazon EC2,\"{\"\"team\"\":\"\"payments\"\"}\"\n");
    const run = spawnSync(process.execPath, ["-r", hook, join(root, "dist", "allot.js"), "report", "--config", join(root, "allot.yaml"), "--input", bill, "--out", join(dir, "out"), "--quiet"], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const seen = JSON.parse(readFileSync(join(dir, "seen.json"), "utf8")) as string[];
    expect(seen).toContain(`readFileSync ${join(assets, "templates.json")}`);
    expect(seen).toContain(`existsSync ${join(assets, "vega.mjs")}`);
  });
});
