// Benchmark of the allot-cost-tags policy pack: start-up, a 5,000-resource stack analysed over the
// Analyzer gRPC protocol as the engine does, and per-resource time in process. Part of `npm run bench`.
import { costTagValues, requiredCostTags } from "../../policies/pack";
import { PolicyPackProcess, type Resource } from "../policies/analyzer";
import { resourceArgs } from "../policies/args";

const RESOURCES = 5_000;
const good = { team: "payments", "cost-center": "CC-1200", environment: "prod" };

function stack(): Resource[] {
  const kinds: ((i: number) => Resource)[] = [
    (i) => ({ type: "aws:ec2/instance:Instance", name: `vm-${i}`, props: { instanceType: "m6i.large", tags: i % 5 === 0 ? { Team: "payments" } : good } }),
    (i) => ({ type: "aws:s3/bucket:Bucket", name: `bucket-${i}`, props: { tags: { team: "data" } }, provider: { type: "pulumi:providers:aws", name: "default", props: { defaultTags: JSON.stringify({ tags: { "cost-center": "CC-2200", environment: "prod" } }) } } }),
    (i) => ({ type: "gcp:storage/bucket:Bucket", name: `gcs-${i}`, props: { labels: { team: "data", "cost-center": "cc-2200", environment: "prod" } } }),
    (i) => ({ type: "azure-native:storage:StorageAccount", name: `st-${i}`, props: { tags: i % 7 === 0 ? { ...good, team: "serach" } : good } }),
    (i) => ({ type: "aws:iam/rolePolicy:RolePolicy", name: `policy-${i}`, props: { policy: "{}" } }),
  ];
  return Array.from({ length: RESOURCES }, (_, i) => kinds[i % kinds.length]!(i));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchPolicyPack() {
  const resources = stack();
  const startups: number[] = [];
  for (let run = 0; run < 3; run++) {
    const pack = await PolicyPackProcess.start();
    startups.push(pack.startupMs);
    await pack.stop();
  }

  const pack = await PolicyPackProcess.start();
  await pack.analyze(resources[0]!);
  let started = performance.now();
  for (const r of resources) await pack.analyze(r);
  const sequentialMs = performance.now() - started;
  started = performance.now();
  for (let i = 0; i < resources.length; i += 32) await Promise.all(resources.slice(i, i + 32).map((r) => pack.analyze(r)));
  const concurrentMs = performance.now() - started;
  started = performance.now();
  const stackDiagnostics = await pack.analyzeStack(resources);
  const stackMs = performance.now() - started;
  await pack.stop();

  const args = resources.map((r) => resourceArgs({ type: r.type, props: r.props, name: r.name, ...(r.provider ? { provider: r.provider } : {}) }));
  const noop = () => undefined;
  const validations = [requiredCostTags, costTagValues].map((p) => p.validateResource as (a: unknown, report: () => void) => void);
  const inProcess: number[] = [];
  for (let run = 0; run < 6; run++) {
    started = performance.now();
    for (const a of args) for (const validate of validations) validate(a, noop);
    if (run > 0) inProcess.push(((performance.now() - started) * 1000) / args.length);
  }

  const results = {
    resources: RESOURCES,
    startupMs: Math.round(median(startups)),
    grpcSequentialPerSecond: Math.round(RESOURCES / (sequentialMs / 1000)),
    grpcConcurrent32PerSecond: Math.round(RESOURCES / (concurrentMs / 1000)),
    analyzeStackMs: Math.round(stackMs),
    stackViolations: stackDiagnostics.length,
    inProcessMicrosPerResource: Number(median(inProcess).toFixed(2)),
  };
  return results;
}
