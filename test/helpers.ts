// Shared by the tests: temporary folders, the sample model, a small generated sample, and running the
// built CLI as a separate process.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCostModel } from "../model";
import { generateSample, type SampleOptions } from "../reports/sample/generate";

export const root = join(__dirname, "..");
export const sharedData = join(root, "..", "shared", "data");
export const sampleModelFile = join(root, "allot.yaml");

export function tempDir(prefix = "allot-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function makeSample(overrides: Partial<SampleOptions> = {}) {
  const out = overrides.out ?? tempDir();
  const truth = await generateSample({ out, rows: 6000, months: 3, endMonth: "2026-10", format: "parquet", seed: 7, model: loadCostModel(sampleModelFile), modelFile: sampleModelFile, ...overrides });
  return { out, truth };
}

/** Runs `allot ...` as installed: dist/allot.js, the bundle the global setup builds. */
export function allot(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, [join(root, "dist", "allot.js"), ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
