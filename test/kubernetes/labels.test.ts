// Kubernetes at deploy time: namespaces and the pod templates of workloads carry the cost tags as labels,
// judged by the same verdict, with Kubernetes label syntax; auto-tagging and remediation write the labels
// where the pods get them. The pack blocks an unlabeled Deployment over the engine protocol.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAutoTagging } from "../../components";
import { checkCloudTagLimits, judgeTags, loadCostModel, taggableType } from "../../model";
import { effectiveTags, deployCase } from "../../policies/effective-tags";
import { named, runUnderMocks } from "../components/mocks";
import { root, tempDir } from "../helpers";
import { PolicyPackProcess } from "../policies/analyzer";

const model = loadCostModel(join(root, "allot.yaml"));
const good = { team: "payments", "cost-center": "CC-1200", environment: "prod" };
const deployment = (labels: Record<string, unknown> | undefined, name = "api") => ({
  type: "kubernetes:apps/v1:Deployment",
  name,
  props: { metadata: { name }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, ...labels } }, spec: { containers: [{ name, image: "nginx" }] } } } },
});
const verdictOf = (type: string, props: Record<string, unknown>, standard = model.tags) => judgeTags(standard, deployCase(type, effectiveTags(type, props)!));

describe("the verdict on Kubernetes objects", () => {
  it("reads a namespace's labels and a workload's pod template labels, CronJobs included", () => {
    expect(verdictOf("kubernetes:core/v1:Namespace", { metadata: { name: "pay", labels: good } }).status).toBe("compliant");
    expect(verdictOf("kubernetes:apps/v1:Deployment", deployment(good).props).status).toBe("compliant");
    // Labels on the Deployment's own metadata are not the pods': OpenCost sees pod labels.
    expect(verdictOf("kubernetes:apps/v1:Deployment", { metadata: { labels: good }, spec: { template: { metadata: { labels: {} } } } }).findings.map((f) => f.key)).toEqual(["team", "cost-center", "environment"]);
    const cron = { spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { metadata: { labels: good } } } } } };
    expect(verdictOf("kubernetes:batch/v1:CronJob", cron).status).toBe("compliant");
    expect(verdictOf("kubernetes:batch/v1:CronJob", { spec: { jobTemplate: { spec: { template: {} } } } }).status).toBe("non-compliant");
    expect(taggableType("kubernetes:core/v1:ConfigMap")).toBeUndefined();
  });

  it("Kubernetes labels keep their case: cost centers match exactly, as on AWS", () => {
    expect(verdictOf("kubernetes:core/v1:Namespace", { metadata: { labels: { ...good, "cost-center": "cc-1200" } } }).status).toBe("non-compliant");
  });

  it("labelsOn decides which objects must carry labels", () => {
    const dir = tempDir();
    const text = (labelsOn: string) => `currency: USD\ntags:\n  required: [{ key: team, values: org.teams }]\n  kubernetes: { labelsOn: ${labelsOn} }\norg:\n  units: [{ id: u, teams: [{ id: web, owner: a@x.co, costCenter: C-1, budget: 1 }] }]\n`;
    writeFileSync(join(dir, "ns.yaml"), text("[namespaces]"));
    writeFileSync(join(dir, "none.yaml"), text("[]"));
    const onlyNamespaces = loadCostModel(join(dir, "ns.yaml")).tags;
    expect(verdictOf("kubernetes:apps/v1:Deployment", deployment({}).props, onlyNamespaces).status).toBe("not-applicable");
    expect(verdictOf("kubernetes:core/v1:Namespace", { metadata: {} }, onlyNamespaces).status).toBe("non-compliant");
    expect(verdictOf("kubernetes:core/v1:Namespace", { metadata: {} }, loadCostModel(join(dir, "none.yaml")).tags).status).toBe("not-applicable");
  });

  it("checks Kubernetes label syntax: 63-character names and values, letters and digits at both ends, a DNS prefix", () => {
    const limits = (tags: Record<string, string>) => checkCloudTagLimits("kubernetes", Object.entries(tags), Object.keys(tags).length).map((f) => f.key);
    expect(limits({ ...good, "app.kubernetes.io/name": "api", empty: "" })).toEqual([]);
    expect(limits({ team: "pay ments" })).toEqual(["team"]);
    expect(limits({ team: "x".repeat(64) })).toEqual(["team"]);
    expect(limits({ team: "-payments" })).toEqual(["team"]);
    expect(limits({ "Example.COM/team": "a" })).toEqual(["Example.COM/team"]);
    expect(limits({ [`${"k".repeat(64)}`]: "a" })).toEqual(["k".repeat(64)]);
  });
});

describe("the pack over the engine protocol", () => {
  let pack: PolicyPackProcess;
  beforeAll(async () => {
    pack = await PolicyPackProcess.start();
  });
  afterAll(async () => {
    await pack?.stop();
  });

  it("blocks an unlabeled Deployment, passes a labeled one, and names where the labels go", async () => {
    expect(await pack.analyze(deployment(good))).toEqual([]);
    // Its namespace could carry the labels: whether they are missing is decided with the stack in view.
    expect(await pack.analyze(deployment(undefined, "unlabeled"))).toEqual([]);
    const blocked = (await pack.analyzeStack([deployment(good), deployment(undefined, "unlabeled")])).filter((d) => d.policy !== "cost-tag-compliance");
    expect(blocked).toEqual([expect.objectContaining({ policy: "kubernetes-cost-labels", level: "mandatory", message: expect.stringContaining("missing cost labels team, cost-center, environment") })]);
    expect(blocked[0]!.message).toContain("to its spec.template.metadata.labels");
    const syntax = await pack.analyze(deployment({ ...good, team: "pay ments" }, "spaced"));
    expect(new Set(syntax.map((d) => d.policy))).toEqual(new Set(["cost-tag-values"]));
    expect(syntax.map((d) => d.message).join("\n")).toContain('label "team": Kubernetes label values are at most 63 characters');
  });

  it("remediates a workload by adding the defaults to its pod template labels", async () => {
    await pack.configure({ "required-cost-tags": { level: "remediate", properties: { defaults: { team: "payments", "cost-center": "CC-1200" } } } });
    const [fix] = await pack.remediate(deployment({ environment: "prod" }, "fixable"));
    const props = fix?.props as { metadata: unknown; spec: { selector: unknown; template: { metadata: { labels: Record<string, string> }; spec: unknown } } };
    expect(props.spec.template.metadata.labels).toEqual({ app: "fixable", environment: "prod", team: "payments", "cost-center": "CC-1200" });
    expect(props.spec.selector).toEqual({ matchLabels: { app: "fixable" } });
    expect(props.spec.template.spec).toEqual({ containers: [{ name: "fixable", image: "nginx" }] });
  });
});

describe("auto-tagging on Kubernetes", () => {
  it("labels namespaces and pod templates, keeps a workload's own labels and selector, writes valid label values", async () => {
    const { resources } = await runUnderMocks(() => {
      registerAutoTagging({ team: "payments", "cost-center": "CC 1200", environment: "prod", "example.com/owner": "platform team" }, model.tags);
      new k8s.core.v1.Namespace("payments", { metadata: { name: "payments" } });
      new k8s.apps.v1.Deployment("api", {
        metadata: { labels: { tier: "web" } },
        spec: { selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api", team: "checkout" } }, spec: { containers: [{ name: "api", image: "nginx" }] } } },
      });
      new k8s.core.v1.ConfigMap("settings", { data: { a: "b" } });
    });
    // A prefixed key keeps its prefix; only values are made valid label values.
    expect((named(resources, "payments").inputs.metadata as { labels: unknown }).labels).toEqual({ team: "payments", "cost-center": "CC_1200", environment: "prod", "example.com/owner": "platform_team" });
    const spec = named(resources, "api").inputs.spec as { selector: unknown; template: { metadata: { labels: unknown } } };
    expect(spec.template.metadata.labels).toEqual({ app: "api", team: "checkout", "cost-center": "CC_1200", environment: "prod", "example.com/owner": "platform_team" });
    expect(spec.selector).toEqual({ matchLabels: { app: "api" } });
    expect((named(resources, "api").inputs.metadata as { labels: unknown }).labels).toEqual({ tier: "web" });
    expect((named(resources, "settings").inputs.metadata as unknown)).toBeUndefined();
  });
});
