// Where allot's own files are, whether it runs from source (vitest, tsx) or from dist/.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

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
export const sampleModelFile = join(packageRoot, "allot.yaml");
