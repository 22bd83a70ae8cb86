import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveStandard } from "../../policies/config";
import { costTagCompliance, costTagValues, requiredCostTags } from "../../policies/pack";
import { root } from "../helpers";
import { resourceArgs, stackArgs, UnknownValueError, unknownObjectValue, unknownStringValue, violations, type ResourceSpec } from "./args";

const good = { team: "payments", "cost-center": "CC-1200", environment: "prod" };
const instance = (props: Record<string, unknown>, extra: Partial<ResourceSpec> = {}): ResourceSpec => ({ type: "aws:ec2/instance:Instance", props: { instanceType: "t3.micro", ...props }, name: "web", ...extra });
const required = (spec: ResourceSpec) => violations(requiredCostTags.validateResource, resourceArgs(spec));
const values = (spec: ResourceSpec) => violations(costTagValues.validateResource, resourceArgs(spec));
const awsProvider = (defaultTags: unknown) => ({ type: "pulumi:providers:aws", props: { region: "us-east-1", defaultTags } });

describe("required-cost-tags", () => {
  it("passes a resource with every required tag", async () => {
    expect(await required(instance({ tags: good }))).toEqual([]);
  });

  it("names the resource, the missing keys and the near misses", async () => {
    const [message, ...rest] = await required(instance({ tags: { Team: "payments", environment: "prod" } }));
    expect(rest).toEqual([]);
    expect(message).toBe(
      'aws:ec2/instance:Instance "web": missing cost tags team, cost-center. Found "Team": did you mean "team"? Add team=<value>, cost-center=<value> to its tags or to the aws provider\'s defaultTags.',
    );
  });

  it("flags empty values and null tag maps", async () => {
    expect((await required(instance({ tags: { ...good, team: "  " } })))[0]).toContain("empty cost tags team");
    expect((await required(instance({ tags: null })))[0]).toContain("missing cost tags team, cost-center, environment");
  });

  it("counts provider defaultTags, as an object or as a JSON string, for default and explicit providers", async () => {
    const defaults = { tags: { "cost-center": "CC-1200", environment: "prod" } };
    expect(await required(instance({ tags: { team: "payments" } }, { provider: awsProvider(defaults) }))).toEqual([]);
    expect(await required(instance({ tags: { team: "payments" } }, { provider: awsProvider(JSON.stringify(defaults)) }))).toEqual([]);
    expect((await required(instance({ tags: { team: "payments" } }, { provider: awsProvider(JSON.stringify({ tags: { environment: "prod" } })) })))[0]).toContain("missing cost tags cost-center");
  });

  it("counts GCP defaultLabels and GKE resourceLabels", async () => {
    const gcpProvider = { type: "pulumi:providers:gcp", props: { project: "p", defaultLabels: JSON.stringify({ "cost-center": "CC-1200", environment: "prod" }) } };
    expect(await required({ type: "gcp:storage/bucket:Bucket", props: { labels: { team: "payments" } }, provider: gcpProvider })).toEqual([]);
    expect(await required({ type: "gcp:container/cluster:Cluster", props: { resourceLabels: good } })).toEqual([]);
    expect((await required({ type: "gcp:container/cluster:Cluster", props: { labels: good } }))[0]).toContain("missing cost labels team");
  });

  it("counts tagsAll when present", async () => {
    expect(await required(instance({ tags: {}, tagsAll: good }))).toEqual([]);
  });

  it("reads autoscaling groups' tag lists and Azure tags", async () => {
    const asgTags = Object.entries(good).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
    expect(await required({ type: "aws:autoscaling/group:Group", props: { tags: asgTags } })).toEqual([]);
    expect((await required({ type: "aws:autoscaling/group:Group", props: { tags: asgTags.slice(1) } }))[0]).toContain("missing cost tags team");
    expect(await required({ type: "azure-native:compute:VirtualMachine", props: { tags: good } })).toEqual([]);
    expect((await required({ type: "azure-native:compute:VirtualMachine", props: {} }))[0]).toMatch(/missing cost tags team, cost-center, environment\. Add .* to its tags; with enforcement level remediate, allot adds environment=dev\.$/);
  });

  it("never flags untaggable types, components, providers or exempt types", async () => {
    for (const type of ["aws:s3/bucketPolicy:BucketPolicy", "allot:index:TeamBudgets", "pulumi:providers:aws", "pulumi:pulumi:Stack", "aws:iam/role:Role"]) {
      expect(await required({ type, props: {} }), type).toEqual([]);
    }
  });

  it("counts a key whose value is unknown during preview as present", async () => {
    expect(await required(instance({ tags: { ...good, team: unknownStringValue } }))).toEqual([]);
  });

  it("defers a fully unknown tag map to pulumi up through the SDK's advisory, and passes when the provider covers it", async () => {
    await expect(required(instance({ tags: unknownObjectValue }))).rejects.toBeInstanceOf(UnknownValueError);
    expect(await required(instance({ tags: unknownObjectValue }, { provider: awsProvider({ tags: good }) }))).toEqual([]);
  });

  it("accepts secret values without showing them", async () => {
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "payments" };
    expect(await required(instance({ tags: { ...good, team: secret } }))).toEqual([]);
    const [message] = await values(instance({ tags: { ...good, team: { ...secret, value: "nobody" } } }));
    expect(message).toContain("team=[secret]");
    expect(message).not.toContain("nobody");
  });

  it("honours the requiredTags config", async () => {
    expect(await required(instance({ tags: { team: "payments" } }, { config: { requiredTags: ["team"] } }))).toEqual([]);
    expect((await required(instance({ tags: good }, { config: { requiredTags: ["team", "owner"] } })))[0]).toContain("missing cost tags owner");
  });
});

describe("cost-tag-values", () => {
  it("passes valid values", async () => {
    expect(await values(instance({ tags: good }))).toEqual([]);
  });

  it("flags a value that names no team, with a suggestion", async () => {
    expect(await values(instance({ tags: { ...good, team: "paymnts" } }))).toEqual(['aws:ec2/instance:Instance "web": cost tag team="paymnts" is not a team in org (did you mean "payments"?).']);
  });

  it("flags allowed values and honours allowedValues and patterns config", async () => {
    expect((await values(instance({ tags: { ...good, environment: "production" } })))[0]).toContain('environment="production" is not one of prod, staging, dev, sandbox (did you mean "prod"?)');
    expect(await values(instance({ tags: { ...good, environment: "production" } }, { config: { allowedValues: { environment: ["production"] } } }))).toEqual([]);
    expect((await values(instance({ tags: { ...good, "cost-center": "CC-1200" } }, { config: { patterns: { "cost-center": "cc-[0-9]+" } } })))[0]).toContain("is not a value matching /cc-[0-9]+/");
  });

  it("flags non-string values", async () => {
    expect((await values(instance({ tags: { ...good, team: 42 } })))[0]).toContain("team=\"42\" is a number, not a string");
  });

  it("applies each cloud's limits", async () => {
    expect((await values({ type: "gcp:storage/bucket:Bucket", props: { labels: { ...good, "cost-center": "cc-1200", Owner: "x" } } })).join("\n")).toContain('label "Owner": GCP label keys start with a lowercase letter');
    expect((await values({ type: "azure-native:compute:VirtualMachine", props: { tags: { ...good, "a/b": "x" } } }))[0]).toContain("Azure tag names cannot contain");
    expect((await values(instance({ tags: { ...good, "aws:team": "x" } })))[0]).toContain("AWS reserves tag keys starting with aws:");
  });

  it("turns a huge tag map into one clear violation, not an exception", async () => {
    const huge = { ...good, ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, "v"])) };
    expect((await values(instance({ tags: huge })))[0]).toContain("5003 tags; AWS allows at most 50 per resource");
  });

  it("defers an unknown value to pulumi up through the SDK's advisory", async () => {
    await expect(values(instance({ tags: { ...good, team: unknownStringValue } }))).rejects.toBeInstanceOf(UnknownValueError);
  });
});

describe("remediation", () => {
  it("adds missing keys that have a default, to maps and to tag lists", async () => {
    const remediated = await requiredCostTags.remediateResource!(resourceArgs(instance({ tags: { team: "payments", "cost-center": "CC-1200" } })));
    expect((remediated as { tags: unknown }).tags).toEqual({ ...good, environment: "dev" });
    const list = await requiredCostTags.remediateResource!(resourceArgs({ type: "aws:autoscaling/group:Group", props: { tags: [{ key: "team", value: "payments", propagateAtLaunch: true }] }, config: { defaults: { "cost-center": "CC-1200" } } }));
    expect((list as { tags: unknown[] }).tags).toEqual([
      { key: "team", value: "payments", propagateAtLaunch: true },
      { key: "cost-center", value: "CC-1200", propagateAtLaunch: true },
      { key: "environment", value: "dev", propagateAtLaunch: true },
    ]);
  });

  it("leaves resources alone when nothing has a default or the tags are unknown", async () => {
    expect(await requiredCostTags.remediateResource!(resourceArgs(instance({ tags: { environment: "prod" } })))).toBeUndefined();
    expect(await requiredCostTags.remediateResource!(resourceArgs(instance({ tags: unknownObjectValue })))).toBeUndefined();
  });
});

describe("cost-tag-compliance", () => {
  const stack = (n: number, bad: number) => Array.from({ length: n }, (_, i) => instance({ tags: i < bad ? { team: "payments" } : good }, { name: `web-${i}` }));

  it("passes at or above the threshold", async () => {
    expect(await violations(costTagCompliance.validateStack, stackArgs(stack(10, 1)))).toEqual([]);
  });

  it("fails below it with the share and the worst offenders", async () => {
    const [message] = await violations(costTagCompliance.validateStack, stackArgs([...stack(4, 2), { type: "aws:s3/bucketPolicy:BucketPolicy", props: {} }]));
    expect(message).toMatch(/^50\.0% of 4 taggable resources carry valid cost tags \(2 of 4\); the threshold is 90%\. Worst: urn:pulumi:dev::shop::aws:ec2\/instance:Instance::web-0 \(missing cost-center, missing environment\)/);
    expect(await violations(costTagCompliance.validateStack, stackArgs(stack(4, 2), { threshold: 50 }))).toEqual([]);
  });

  it("must fail: decides on the exact share, not a double's: 2 of 3 is below 66.66666666666667", async () => {
    // 200 / 3 in floating point is exactly the double 66.66666666666667 reads as, so a float comparison passed it.
    expect((2 * 100) / 3 >= 66.66666666666667).toBe(true);
    const [message] = await violations(costTagCompliance.validateStack, stackArgs(stack(3, 1), { threshold: 66.66666666666667 }));
    // A share that rounds up to the bar beside a failure says it is below it, as the billing mode does.
    expect(message).toMatch(/^66\.7% \(below 66\.66666666666667% unrounded\) of 3 taggable resources carry valid cost tags \(2 of 3\); the threshold is 66\.66666666666667%\./);
    expect(await violations(costTagCompliance.validateStack, stackArgs(stack(3, 1), { threshold: 66.66 }))).toEqual([]);
  });
});

describe("policy config", () => {
  it("reads the allot.yaml named by configFile", () => {
    const resolved = resolveStandard({ configFile: join(root, "allot.yaml"), requiredTags: ["team"] });
    expect(resolved.standard.required.map((r) => r.key)).toEqual(["team"]);
    expect(resolved.threshold).toBe(90);
  });

  it("rejects unknown keys and bad patterns with the key", () => {
    expect(() => resolveStandard({ requiredTag: ["team"] })).toThrow(/allot-cost-tags config: .*requiredTag/);
    expect(() => resolveStandard({ patterns: { team: "([" } })).toThrow('allot-cost-tags config: patterns.team: "([" is not a pattern allot can run');
    expect(() => resolveStandard({ configFile: "/nonexistent/allot.yaml" })).toThrow("cost model not found");
  });
});
