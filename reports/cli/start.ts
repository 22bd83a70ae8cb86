// `npm start`: generate the sample (once), write its latest month's report, and check the report's
// figures against the sample's truth.json.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../../model";
import { Decimal } from "../money";
import { packageRoot } from "../paths";
import { SAMPLE_VERSION, type Truth } from "../sample/truth";
import { main, runReport, summary } from "./main";

const sampleDir = join(packageRoot, "out", "sample");
const reportDir = join(packageRoot, "out", "report");

async function start(): Promise<number> {
  const truthFile = join(sampleDir, "truth.json");
  const cached = existsSync(truthFile) ? (JSON.parse(readFileSync(truthFile, "utf8")) as Truth) : undefined;
  if (cached?.generator.version !== SAMPLE_VERSION) {
    console.log(`generating the sample organisation's billing data in ${sampleDir} ...`);
    const code = await main(["sample", "--out", sampleDir]);
    if (code !== 0) return code;
  }
  const { built, files } = await runReport({ config: join(sampleDir, "allot.yaml"), input: [join(sampleDir, "focus", "*")], metrics: join(sampleDir, "metrics.csv"), metering: join(sampleDir, "metering.csv"), k8s: [join(sampleDir, "opencost", "*.json")], out: reportDir });
  console.log(`\nreport: ${files.find((f) => f.endsWith("report.md"))} (and report.html, report.json, tables/, manifest.json)\n${summary(built.data)}`);
  const report = { month: built.data.month, costBasis: built.model.costBasis, attribution: built.attribution, untaggedUsage: new Decimal(built.untaggedUsage) };

  const truth = JSON.parse(readFileSync(truthFile, "utf8")) as Truth;
  const expected = truth.months[report.month]!;
  const a = report.attribution;
  const checks: [string, Decimal, string][] = [
    ["total", a.total, expected[report.costBasis]],
    ["unallocated", a.unallocated.total(), expected.unallocated[report.costBasis]],
    ["untagged usage", report.untaggedUsage, expected.untaggedUsage[report.costBasis]],
    ...Object.entries(expected.byTeam).map(([team, pair]): [string, Decimal, string] => [`team ${team}`, a.byTeam.get(team) ?? new Decimal(0), pair[report.costBasis]]),
  ];
  const wrong = checks.filter(([, got, want]) => !got.equals(want));
  for (const [what, got, want] of wrong) console.error(`mismatch: ${what}: report ${got.toFixed()} vs truth.json ${want}`);
  console.log(wrong.length === 0 ? `matches truth.json on all ${checks.length} figures, to the last digit` : "");
  return wrong.length === 0 ? 0 : 1;
}

start().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`allot: ${error instanceof UserError ? error.message : ((error as Error).stack ?? String(error))}\n`);
    process.exitCode = error instanceof UserError ? error.exitCode : 1;
  },
);
