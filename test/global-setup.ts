// Builds dist/ once before the tests, so the CLI tests run the real `allot` binary as users do.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export default function setup() {
  const root = join(__dirname, "..");
  execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
}
