// Tag keys and values named like Object.prototype's members (constructor, toString, __proto__) are data: the
// policy config's per-key overrides and defaults are looked up as entries, never through the prototype.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveStandard } from "../../policies/config";
import { requiredCostTags, costTagValues } from "../../policies/pack";
import { tempDir } from "../helpers";
import { PolicyPackProcess } from "./analyzer";
import { resourceArgs, violations } from "./args";

/** An org unlike the sample's: a lab whose standard asks keys named like Object.prototype's members. */
function hostileModel(): string {
  const dir = tempDir();
  const file = join(dir, "allot.yaml");
  writeFileSync(
    file,
    [
      "currency: EUR",
      "tags:",
      "  required:",
      "    - { key: constructor, values: org.teams }",
      "    - { key: toString, values: [hasOwnProperty, valueOf] }",
      "    - { key: valueOf }",
      "org:",
      "  units: [{ id: lab, teams: [{ id: constructor, owner: a@lab.example, costCenter: toString, budget: 10 }, { id: optics, owner: b@lab.example, costCenter: OPT-1, budget: 10 }] }]",
      "",
    ].join("\n"),
  );
  return file;
}

const bucket = (tags: Record<string, unknown>, config: object) => resourceArgs({ type: "aws:s3/bucket:Bucket", props: { tags }, config });

describe("hostile tag keys in the policy config", () => {
  const configFile = hostileModel();

  it("a key without an override keeps the standard's rule, not Object.prototype's member", () => {
    // The config gives overrides for other keys only: patterns.constructor and allowedValues.toString are absent.
    const resolved = resolveStandard({ configFile, patterns: { valueOf: "^v[0-9]+$" }, allowedValues: { other: ["x"] } });
    const byKey = new Map(resolved.standard.required.map((r) => [r.key, r]));
    expect(byKey.get("constructor")!.expected).toBe("a team in org");
    expect(byKey.get("toString")!.expected).toBe("one of hasOwnProperty, valueOf");
    expect(byKey.get("valueOf")!.expected).toBe("a value matching /^v[0-9]+$/");
    expect([...resolved.defaults]).toEqual([]);
  });

  it("judges values named like prototype members as plain values", async () => {
    const config = { configFile };
    expect(await violations(requiredCostTags.validateResource, bucket({ constructor: "constructor", toString: "valueOf", valueOf: "x" }, config))).toEqual([]);
    expect(await violations(costTagValues.validateResource, bucket({ constructor: "constructor", toString: "valueOf", valueOf: "x" }, config))).toEqual([]);
    const bad = await violations(costTagValues.validateResource, bucket({ constructor: "toString", toString: "__proto__", valueOf: "x" }, config));
    expect(bad).toEqual([
      'aws:s3/bucket:Bucket "res": cost tag constructor="toString" is not a team in org.',
      'aws:s3/bucket:Bucket "res": cost tag toString="__proto__" is not one of hasOwnProperty, valueOf.',
    ]);
  });

  it("offers only the defaults the config gives, never a prototype member as a default", async () => {
    const [message] = await violations(requiredCostTags.validateResource, bucket({ valueOf: "x" }, { configFile, defaults: { toString: "valueOf" } }));
    expect(message).toBe(
      'aws:s3/bucket:Bucket "res": missing cost tags constructor, toString. Add constructor=<value>, toString=<value> to its tags or to the aws provider\'s defaultTags; with enforcement level remediate, allot adds toString=valueOf.',
    );
    const fixed = (await requiredCostTags.remediateResource!(bucket({ valueOf: "x" }, { configFile, defaults: { toString: "valueOf" } }))) as { tags: Record<string, unknown> };
    expect(fixed.tags).toEqual({ valueOf: "x", toString: "valueOf" });
  });

  it("refuses __proto__ as a key of allowedValues, patterns or defaults, naming it", () => {
    for (const field of ["allowedValues", "patterns", "defaults"]) {
      const value = field === "allowedValues" ? ["a"] : "a";
      const raw = JSON.parse(`{"configFile": ${JSON.stringify(configFile)}, "${field}": {"__proto__": ${JSON.stringify(value)}}}`);
      expect(() => resolveStandard(raw), field).toThrow(`allot-cost-tags config: ${field}.__proto__: "__proto__" cannot be a tag key here; rename the tag`);
    }
  });
});

describe("hostile tag keys over the engine protocol", () => {
  const configFile = hostileModel();
  let pack: PolicyPackProcess;
  beforeAll(async () => {
    pack = await PolicyPackProcess.start();
  });
  afterAll(async () => {
    await pack?.stop();
  });

  it("judges and remediates keys named constructor and toString as the tags they are", async () => {
    const config = { configFile, defaults: { toString: "valueOf" } };
    await pack.configure({ "required-cost-tags": { level: "remediate", properties: config }, "cost-tag-values": { properties: config }, "cost-tag-compliance": { properties: config } });
    const bucket = (name: string, tags: object) => ({ type: "aws:s3/bucket:Bucket", name, props: { tags } });
    expect(await pack.analyze(bucket("ok", { constructor: "optics", toString: "hasOwnProperty", valueOf: "v" }))).toEqual([]);
    // constructor has no default: nothing may be added for it (the old lookup found Object itself).
    const [fix, ...more] = await pack.remediate(bucket("fix", { valueOf: "v" }));
    expect(more).toEqual([]);
    expect(fix?.props?.tags).toEqual({ valueOf: "v", toString: "valueOf" });
    const bad = await pack.analyze(bucket("bad", { constructor: "hasOwnProperty", toString: "valueOf", valueOf: "v" }));
    expect(bad.map((d) => d.message.split("\n")[1])).toEqual(['aws:s3/bucket:Bucket "bad": cost tag constructor="hasOwnProperty" is not a team in org.']);
  });
});
