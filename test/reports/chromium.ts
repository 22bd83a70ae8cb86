// Finds the Chromium the browser test drives, installing Debian's package when this machine allows it
// (root and apt-get), so `npm test` on a fresh machine with only Node either runs the test or says why not.
// With CI=true a missing Chromium is an error: CI must run the test (.ci/run installs it).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM = "/usr/bin/chromium";

export type ChromiumLookup = { path: string; installed: boolean } | { path: undefined; reason: string };

const hasCommand = (name: string) => spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;

/** Chromium's path, installing it with apt-get when running as root; otherwise why it is not there. */
export function findChromium(
  env: { executable: string; isRoot: boolean; hasAptGet: boolean; install: () => string | undefined } = {
    executable: CHROMIUM,
    isRoot: process.getuid?.() === 0,
    hasAptGet: hasCommand("apt-get"),
    install: aptInstallChromium,
  },
): ChromiumLookup {
  if (existsSync(env.executable)) return { path: env.executable, installed: false };
  if (!env.isRoot || !env.hasAptGet) {
    return { path: undefined, reason: `${env.executable} is missing and this machine cannot install it (${env.isRoot ? "no apt-get" : "not root"}); install Debian's chromium (apt-get install chromium), as .ci/run does` };
  }
  const failure = env.install();
  if (failure === undefined && existsSync(env.executable)) return { path: env.executable, installed: true };
  return { path: undefined, reason: `${env.executable} is missing and apt-get install chromium failed: ${failure ?? "no executable after install"}` };
}

/** apt-get update and install chromium; undefined on success, else the last lines apt printed. */
function aptInstallChromium(): string | undefined {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", "chromium"]]) {
    const run = spawnSync("apt-get", args, { env, encoding: "utf8", timeout: 15 * 60_000 });
    if (run.status !== 0) return `apt-get ${args[0]} exited with ${run.status ?? run.signal}: ${`${run.stderr ?? ""}${run.stdout ?? ""}`.trim().split("\n").slice(-3).join(" / ")}`;
  }
  return undefined;
}

/** CI=true (as CI services and .ci/run set it) makes the browser test required. */
export const chromiumRequired = () => process.env.CI === "true" || process.env.CI === "1";
