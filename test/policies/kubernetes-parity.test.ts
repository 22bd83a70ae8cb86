// The same cluster judged at deploy time (the policy pack over a stack of Namespaces and Deployments) and
// in the bill (OpenCost's pods of those Deployments, with their namespaces' labels): for every labelsOn,
// a pod's cost is non-compliant exactly when the pack blocks the object the standard asks labels of (the
// Deployment when labelsOn names workloads, else its Namespace). Both sides call the model's
// judgeKubernetesLabels; this checks they feed it the same thing. Aliases apart: the bill counts an alias
// (Team for team), the pack names it as a near miss and blocks (README, "aliases count in the bill, not at
// deploy time"); no pod here carries one.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCostModel } from "../../model";
import { costTagValues, kubernetesCostLabels, requiredCostTags } from "../../policies/pack";
import { labelVerdicts } from "../../reports/compliance/kubernetes";
import { tempDir } from "../helpers";
import { PolicyPackProcess } from "./analyzer";
import { resourceArgs, stackArgs, violations, type ResourceSpec } from "./args";

type Labels = Record<string, string>;

/** A studio's standard, unlike the sample's: a team from org and a stage from a list. */
function model(labelsOn: string | undefined): string {
  const file = join(tempDir(), "allot.yaml");
  writeFileSync(
    file,
    [
      "currency: GBP",
      "tags:",
      "  required:",
      "    - { key: team, aliases: [Team], values: org.teams }",
      "    - { key: stage, values: [live, test] }",
      ...(labelsOn === undefined ? [] : [`  kubernetes: { labelsOn: ${labelsOn} }`]),
      "org:",
      "  units: [{ id: studio, teams: [{ id: render, owner: r@studio.example, costCenter: R-1, budget: 5 }, { id: audio, owner: a@studio.example, costCenter: A-1, budget: 5 }] }]",
      "",
    ].join("\n"),
  );
  return file;
}

const NAMESPACES: Record<string, Labels> = {
  full: { team: "render", stage: "live" },
  bare: {},
  half: { team: "audio" },
  wrong: { team: "nobody", stage: "live" },
  other: { owner: "x" },
};
const POD_LABELS: Labels[] = [{}, { stage: "test" }, { team: "audio" }, { team: "bogus" }, { team: "render", stage: "live" }, { app: "api" }];

const namespace = (name: string): ResourceSpec => ({ type: "kubernetes:core/v1:Namespace", name: `ns-${name}`, props: { metadata: { name, labels: NAMESPACES[name] } } });
const deployment = (ns: string, i: number): ResourceSpec => ({
  type: "kubernetes:apps/v1:Deployment",
  name: `${ns}-${i}`,
  props: { metadata: { namespace: ns }, spec: { selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: POD_LABELS[i] }, spec: { containers: [] } } } },
});
const urn = (spec: ResourceSpec) => `urn:pulumi:dev::shop::${spec.type}::${spec.name}`;

/** The objects the pack blocks (any mandatory violation naming them), called as the SDK calls the policies. */
async function blocked(specs: ResourceSpec[], configFile: string): Promise<Set<string>> {
  const config = { configFile };
  const out = new Set<string>();
  for (const spec of specs) {
    const args = resourceArgs({ ...spec, config });
    if ((await violations(requiredCostTags.validateResource, args)).length + (await violations(costTagValues.validateResource, args)).length > 0) out.add(urn(spec));
  }
  await (kubernetesCostLabels.validateStack as (a: unknown, r: (m: string, u?: string) => void) => void)(stackArgs(specs.map((s) => ({ ...s, config })), config), (_m, u) => out.add(u!));
  return out;
}

describe("Kubernetes labels: the pack and the bill agree", () => {
  for (const labelsOn of [undefined, "[namespaces, workloads]", "[workloads]", "[namespaces]", "[]"]) {
    it(`labelsOn ${labelsOn ?? "(default)"}`, async () => {
      const file = model(labelsOn);
      const asks = loadCostModel(file).tags.labelsOn;
      const namespaces = Object.keys(NAMESPACES).map(namespace);
      const deployments = Object.keys(NAMESPACES).flatMap((ns) => POD_LABELS.map((_, i) => deployment(ns, i)));
      const packBlocks = await blocked([...namespaces, ...deployments], file);
      const billVerdict = labelVerdicts(loadCostModel(file));
      const rows = deployments.map((d) => {
        const ns = (d.props.metadata as { namespace: string }).namespace;
        const pod = { labels: POD_LABELS[Number(d.name!.split("-")[1])]!, namespaceLabels: NAMESPACES[ns]! };
        const bill = billVerdict(pod).status;
        // The object the standard asks labels of, for this pod's cost.
        const asked = asks.has("workloads") ? d : asks.has("namespaces") ? namespace(ns) : undefined;
        const pack = asked === undefined ? "not-applicable" : packBlocks.has(urn(asked)) ? "non-compliant" : "compliant";
        return { pod: d.name, bill, pack };
      });
      for (const row of rows) expect(row.pack, `${row.pod}: ${JSON.stringify(row)}`).toBe(row.bill);
      // The cases are not vacuous: both answers occur wherever labels are asked.
      const statuses = new Set(rows.map((r) => r.bill));
      expect([...statuses].sort()).toEqual(asks.size === 0 ? ["not-applicable"] : ["compliant", "non-compliant"]);
      if (asks.size === 0) expect(packBlocks.size).toBe(0);
    });
  }

  it("a workload in a labelled namespace passes; its own label overrides the namespace's, for better or worse", async () => {
    const file = model(undefined);
    const blocks = await blocked([namespace("full"), deployment("full", 0), deployment("full", 3), deployment("half", 1)], file);
    expect([...blocks].sort()).toEqual([urn(deployment("full", 3)), urn(deployment("half", 1))]);
    const bill = labelVerdicts(loadCostModel(file));
    expect(bill({ labels: {}, namespaceLabels: NAMESPACES.full! }).status).toBe("compliant");
    expect(bill({ labels: { team: "bogus" }, namespaceLabels: NAMESPACES.full! }).status).toBe("non-compliant");
  });

  it("a namespace outside the stack counts as unlabelled at deploy time: the pack is the stricter side, and says why", async () => {
    const file = model(undefined);
    const messages: string[] = [];
    const spec = deployment("full", 0);
    await (kubernetesCostLabels.validateStack as (a: unknown, r: (m: string) => void) => void)(stackArgs([{ ...spec, config: { configFile: file } }], { configFile: file }), (m) => messages.push(m));
    expect(messages).toEqual([
      'kubernetes:apps/v1:Deployment "full-0": missing cost labels team, stage. Add team=<value>, stage=<value> to its spec.template.metadata.labels. Its namespace "full" is not in this stack, so its labels cannot count: label the pod template, or manage the namespace in this stack.',
    ]);
    // A namespace name unknown during preview leaves the keys undecided: nothing is reported until pulumi up.
    const unknownNs = { ...spec, props: { ...spec.props, metadata: { namespace: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } } };
    const quiet: string[] = [];
    await (kubernetesCostLabels.validateStack as (a: unknown, r: (m: string) => void) => void)(stackArgs([unknownNs], { configFile: file }), (m) => quiet.push(m));
    expect(quiet).toEqual([]);
  });

  it("a workload's own empty label is reported once, by required-cost-tags, not again by the stack check", async () => {
    const file = model(undefined);
    const base = deployment("full", 0);
    const empty: ResourceSpec = { ...base, name: "empty-team", props: { ...base.props, spec: { selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: { team: "" } }, spec: { containers: [] } } } } };
    const own: string[] = [];
    await (requiredCostTags.validateResource as (a: unknown, r: (m: string) => void) => void)(resourceArgs({ ...empty, config: { configFile: file } }), (m) => own.push(m));
    expect(own).toEqual(['kubernetes:apps/v1:Deployment "empty-team": empty cost labels team. Add team=<value> to its spec.template.metadata.labels.']);
    const stack: string[] = [];
    const specs = [namespace("full"), empty].map((s) => ({ ...s, config: { configFile: file } }));
    await (kubernetesCostLabels.validateStack as (a: unknown, r: (m: string) => void) => void)(stackArgs(specs, { configFile: file }), (m) => stack.push(m));
    // must fail on the old stack check, which said "empty cost labels team" a second time.
    expect(stack).toEqual([]);
  });
});

describe("Kubernetes labels over the engine protocol", () => {
  let pack: PolicyPackProcess;
  beforeAll(async () => {
    pack = await PolicyPackProcess.start();
  });
  afterAll(async () => {
    await pack?.stop();
  });

  it("a Deployment without labels in a labelled namespace of the stack passes; in an unlabelled one it is blocked", async () => {
    const file = model(undefined);
    const properties = { configFile: file };
    await pack.configure({ "required-cost-tags": { properties }, "cost-tag-values": { properties }, "cost-tag-compliance": { properties }, "kubernetes-cost-labels": { properties } });
    const stack = [namespace("full"), namespace("bare"), deployment("full", 0), deployment("bare", 4), deployment("bare", 0)].map((r) => ({ type: r.type, name: r.name!, props: r.props }));
    for (const r of stack.slice(2)) expect((await pack.analyze(r)).map((d) => d.policy), r.name).toEqual([]);
    const diags = await pack.analyzeStack(stack);
    const labels = diags.filter((d) => d.policy === "kubernetes-cost-labels");
    expect(labels.map((d) => [d.urn, d.level])).toEqual([[urn(deployment("bare", 0)), "mandatory"]]);
    expect(labels[0]!.message).toContain('missing cost labels team, stage. Add team=<value>, stage=<value> to its spec.template.metadata.labels. Labels of its namespace "bare" count too.');
  });
});
