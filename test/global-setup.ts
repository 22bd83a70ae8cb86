// Builds dist/ once before the tests as `npm run build` does (tsc, then the precompiled templates and the
// Vega bundle), so the CLI tests run the real `allot` binary as users do.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export default function setup() {
  const root = join(__dirname, "..");
  execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
  execFileSync(process.execPath, [join(root, "dist", "reports", "cli", "build.js")], { stdio: "inherit" });
}
