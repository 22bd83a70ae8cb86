// The project's own policy pack over everything the project's own example stack creates, as
// `pulumi preview --policy-pack policies` runs it: the pack process in policies/ (the engine's working
// directory for a pack), configured with the project's allot.yaml by an absolute configFile.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Registered } from "../components/mocks";
import { root } from "../helpers";
import { runExampleStack } from "../stacks/example-stacks";
import { PolicyPackProcess, type Diagnostic, type Resource } from "./analyzer";

const configFile = join(root, "allot.yaml");
const POLICIES = ["required-cost-tags", "cost-tag-values", "cost-tag-compliance"];

/** The stack's resources as the engine sends them to the pack: inputs as plain JSON, with their explicit provider. */
function asAnalyzed(resources: Registered[]): Resource[] {
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value ?? {})) as Record<string, unknown>;
  const byName = new Map(resources.map((r) => [r.name, r]));
  return resources.map((r) => {
    const provider = r.provider !== undefined ? byName.get(r.provider) : undefined;
    return { type: r.type, name: r.name, props: plain(r.inputs), ...(provider ? { provider: { type: provider.type, name: provider.name, props: plain(provider.inputs) } } : {}) };
  });
}

let pack: PolicyPackProcess;
beforeAll(async () => {
  pack = await PolicyPackProcess.start();
  await pack.configure(Object.fromEntries(POLICIES.map((policy) => [policy, { level: "mandatory" as const, properties: { configFile } }])));
});
afterAll(async () => {
  await pack?.stop();
});

describe("the project's own pack over every resource of the example stack", () => {
  for (const stack of ["example", "example-aws", "example-gcp", "example-azure"]) {
    it(`${stack}: no mandatory violation on any resource, and the stack policy passes`, async () => {
      const { resources } = await runExampleStack(stack);
      const analyzed = asAnalyzed(resources);
      expect(analyzed.length).toBeGreaterThan(10);
      const violations: Diagnostic[] = [];
      for (const resource of analyzed) violations.push(...(await pack.analyze(resource)).filter((d) => d.level === "mandatory"));
      expect.soft(violations.map((d) => `${d.policy}: ${d.message}`)).toEqual([]);
      expect.soft((await pack.analyzeStack(analyzed)).map((d) => `${d.policy}: ${d.message}`)).toEqual([]);
    });
  }
});
