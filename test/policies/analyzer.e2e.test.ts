import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyPackProcess, type Resource } from "./analyzer";
import { unknownObjectValue, unknownStringValue } from "./args";

const good = { team: "payments", "cost-center": "CC-1200", environment: "prod" };
const ec2 = (name: string, tags: unknown, provider?: Resource["provider"]): Resource => ({ type: "aws:ec2/instance:Instance", name, props: { instanceType: "t3.micro", tags }, ...(provider ? { provider } : {}) });

let pack: PolicyPackProcess;
beforeAll(async () => {
  pack = await PolicyPackProcess.start();
});
afterAll(async () => {
  await pack?.stop();
});

describe("the policy pack over the Analyzer gRPC protocol", () => {
  it("describes itself: name, version, policies and their config schemas", async () => {
    const info = await pack.info();
    expect(info.name).toBe("allot-cost-tags");
    expect(info.version).toBe("0.1.0");
    expect(info.policies.map((p) => [p.name, p.level])).toEqual([
      ["required-cost-tags", "mandatory"],
      ["cost-tag-values", "mandatory"],
      ["cost-tag-compliance", "mandatory"],
      ["kubernetes-cost-labels", "mandatory"],
    ]);
    // Every policy takes the same standard keys, so one config gives one standard whichever policy reads it.
    const standard = ["allowedValues", "configFile", "defaults", "patterns", "requiredTags"];
    expect(Object.keys(info.policies[0]!.configSchema ?? {}).sort()).toEqual(standard);
    expect(Object.keys(info.policies[1]!.configSchema ?? {}).sort()).toEqual(standard);
    expect(Object.keys(info.policies[2]!.configSchema ?? {}).sort()).toEqual([...standard, "threshold"].sort());
    expect(Object.keys(info.policies[3]!.configSchema ?? {}).sort()).toEqual(standard);
  });

  it("blocks AWS, GCP and Azure resources without cost tags and passes tagged ones", async () => {
    expect(await pack.analyze(ec2("ok", good))).toEqual([]);
    const aws = await pack.analyze(ec2("bare", { Team: "payments" }));
    expect(aws).toEqual([
      expect.objectContaining({ policy: "required-cost-tags", level: "mandatory", message: expect.stringContaining('missing cost tags team, cost-center, environment. Found "Team": did you mean "team"?') }),
    ]);
    // The sample's cost centers are upper case, which GCP labels cannot hold: the pack says so before the API does.
    const gcp = await pack.analyze({ type: "gcp:compute/instance:Instance", name: "vm", props: { labels: good } });
    expect(gcp.map((d) => d.policy)).toEqual(["cost-tag-values"]);
    expect(gcp[0]!.message).toContain('label "cost-center": GCP label values use only a-z, 0-9, _ and -');
    const azure = await pack.analyze({ type: "azure-native:storage:StorageAccount", name: "st", props: { tags: { ...good, team: "serach" } } });
    expect(azure.map((d) => d.message.split("\n")[1])).toEqual(['azure-native:storage:StorageAccount "st": cost tag team="serach" is not a team in org.']);
  });

  it("counts provider defaults sent as JSON strings", async () => {
    const provider = { type: "pulumi:providers:aws", name: "default_7_48_0", props: { region: "us-east-1", defaultTags: JSON.stringify({ tags: { "cost-center": "CC-1200", environment: "prod" } }) } };
    expect(await pack.analyze(ec2("defaults", { team: "payments" }, provider))).toEqual([]);
    const gcpProvider = { type: "pulumi:providers:gcp", name: "default", props: { project: "p", defaultLabels: JSON.stringify({ team: "data", "cost-center": "CC-2200", environment: "prod" }) } };
    const gcp = await pack.analyze({ type: "gcp:storage/bucket:Bucket", name: "b", props: { location: "US" }, provider: gcpProvider });
    expect(gcp.filter((d) => d.policy === "required-cost-tags")).toEqual([]);
  });

  it("counts provider default tags the engine sends as secrets, at any level, and never shows their values", async () => {
    const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
    const defaults = { "cost-center": "CC-1200", environment: "prod" };
    const aws = (defaultTags: unknown) => ({ type: "pulumi:providers:aws", name: "default_7_48_0", props: { region: "us-east-1", defaultTags } });
    for (const [what, defaultTags] of [
      ["a secret defaultTags object", secret({ tags: defaults })],
      ["secret tags inside defaultTags", { tags: secret(defaults) }],
      ["a secret JSON string", secret(JSON.stringify({ tags: defaults }))],
      ["a secret value", { tags: { ...defaults, environment: secret("prod") } }],
    ] as const) {
      expect(await pack.analyze(ec2("secret-defaults", { team: "payments" }, aws(defaultTags))), what).toEqual([]);
    }
    const gcpProvider = { type: "pulumi:providers:gcp", name: "default", props: { project: "p", defaultLabels: secret({ team: "data", "cost-center": "cc-2200", environment: "prod" }) } };
    expect(await pack.analyze({ type: "gcp:storage/bucket:Bucket", name: "b", props: { location: "US" }, provider: gcpProvider })).toEqual([]);
    // A secret default is still judged, and shown masked.
    const bad = await pack.analyze(ec2("secret-bad-default", { team: "payments" }, aws(secret({ tags: { ...defaults, environment: "hunter2-env" } }))));
    expect(bad.map((d) => d.message.split("\n")[1])).toEqual(['aws:ec2/instance:Instance "secret-bad-default": cost tag environment=[secret] is not one of prod, staging, dev, sandbox.']);
    // Missing from a secret defaultTags is still missing.
    const missing = await pack.analyze(ec2("secret-partial", { team: "payments" }, aws(secret({ tags: { environment: "prod" } }))));
    expect(missing.map((d) => d.policy)).toEqual(["required-cost-tags"]);
    expect(missing[0]!.message).toContain("missing cost tags cost-center");
  });

  it("treats preview unknowns as present and defers their values to pulumi up with an advisory", async () => {
    const diags = await pack.analyze(ec2("unknown", { ...good, team: unknownStringValue }));
    expect(diags).toEqual([expect.objectContaining({ policy: "cost-tag-values", level: "advisory", message: expect.stringContaining("can't run policy 'cost-tag-values'") })]);
    const whole = await pack.analyze(ec2("unknown-map", unknownObjectValue));
    expect(whole.map((d) => [d.policy, d.level])).toEqual([["required-cost-tags", "advisory"]]);
  });

  it("never prints a secret tag value, in any policy or the stack policy, whether the value, a list item or the whole map is secret", async () => {
    const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
    const leaked = "hunter2-secret-team";
    const resources = [
      ec2("secret-value", { ...good, team: secret(leaked) }),
      ec2("secret-map", secret({ ...good, team: leaked })),
      { type: "aws:autoscaling/group:Group", name: "asg", props: { tags: [secret({ key: "team", value: leaked, propagateAtLaunch: true }), { key: "cost-center", value: "CC-1200" }, { key: "environment", value: "prod" }] } },
      ec2("secret-non-string", { ...good, team: secret({ nested: leaked }) }),
    ];
    const messages: string[] = [];
    for (const r of resources) {
      const diags = await pack.analyze(r);
      expect(diags.map((d) => d.policy), r.name).toContain("cost-tag-values");
      messages.push(...diags.map((d) => d.message));
    }
    const stack = await pack.analyzeStack([...resources, ec2("ok", good)]);
    expect(stack.map((d) => d.policy)).toEqual(["cost-tag-compliance"]);
    messages.push(...stack.map((d) => d.message), ...pack.logs);
    expect(messages.join("\n")).toContain("team=[secret]");
    expect(messages.join("\n")).not.toContain("hunter2");
    // A valid secret passes: the value is still judged.
    expect(await pack.analyze(ec2("secret-ok", { ...good, team: secret("payments") }))).toEqual([]);
  });

  it("skips untaggable types and components", async () => {
    expect(await pack.analyze({ type: "aws:s3/bucketPolicy:BucketPolicy", name: "p", props: { policy: "{}" } })).toEqual([]);
    expect(await pack.analyze({ type: "allot:index:TeamBudgets", name: "budgets", props: {} })).toEqual([]);
  });

  it("applies the stack threshold", async () => {
    const stack = [ec2("a", good), ec2("b", good), ec2("c", { team: "payments" }), { type: "aws:s3/bucketPolicy:BucketPolicy", name: "p", props: {} }];
    const diags = await pack.analyzeStack(stack);
    expect(diags).toEqual([expect.objectContaining({ policy: "cost-tag-compliance", message: expect.stringContaining("66.7% of 3 taggable resources carry valid cost tags") })]);
  });

  it("takes policy config and remediates missing keys that have a default", async () => {
    await pack.configure({
      "required-cost-tags": { level: "remediate", properties: { defaults: { "cost-center": "CC-1200" } } },
      "cost-tag-compliance": { properties: { threshold: 60 } },
    });
    const [remediation] = await pack.remediate(ec2("fix", { team: "payments" }));
    expect(remediation?.policy).toBe("required-cost-tags");
    expect(remediation?.props?.tags).toEqual({ team: "payments", "cost-center": "CC-1200", environment: "dev" });
    expect(await pack.analyzeStack([ec2("a", good), ec2("b", good), ec2("c", { team: "payments" })])).toEqual([]);
  });

  it("reports its start-up time (measured by npm run bench, not asserted)", () => {
    expect(pack.startupMs).toBeGreaterThan(0);
    console.log(`policy pack start-up: ${pack.startupMs.toFixed(0)} ms`);
  });
});
