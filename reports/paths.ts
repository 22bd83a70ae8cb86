// Where allot's own files are, whether it runs from source (vitest, tsx) or from dist/.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`allot: package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const packageRoot = findRoot(__dirname);
export const templatesDir = join(packageRoot, "reports", "templates");
/**
 * What `npm run build` prepares beyond tsc's output (reports/cli/build.ts): the report templates
 * precompiled and Vega bundled into one file. Read only when allot runs from dist/, which the build made.
 */
export const builtAssetsDir = join(packageRoot, "dist", "assets");
export const runsFromDist = isWithin(__dirname, join(packageRoot, "dist"));

/** Whether `path` is `dir` or inside it (dist/allot.js, the bundle, runs from dist/ itself). */
export function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + sep);
}
export const sampleModelFile = join(packageRoot, "allot.yaml");

/** allot's version, from its package.json: printed by --version and written into each manifest. */
export const allotVersion = (): string => (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
