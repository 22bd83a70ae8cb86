// One verdict, two paths: every tag case goes through the policy pack over the engine protocol (deploy
// time) and through `allot compliance` on a bill with one row per resource (the bill), and both must give
// the same answer; aliases and key case variants apart, which the bill accepts and deploy time names as
// near misses by design. The organisation is not the sample's: a cost model a new user would write.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allot, tempDir } from "../helpers";
import { PolicyPackProcess, type Resource } from "../policies/analyzer";

const MODEL = `version: 1
currency: EUR
tags:
  required:
    - key: owner
      aliases: [Owner, owner_team]
      values: org.teams
    - key: cost-code
      aliases: [costcode]
      values: org.costCenters
    - key: stage
      values: [live, test]
    - key: product
      pattern: "[a-z]{2,12}"
org:
  units:
    - id: machines
      costCenter: FR-100
      teams:
        - { id: drivetrain, owner: dt@ferrum.example, costCenter: FR-200, budget: 5000, aliases: [Antrieb] }
        - { id: vision, owner: vi@ferrum.example, costCenter: FR-300, budget: 7000, billingMode: auto }
`;

type Cloud = "aws" | "gcp" | "azure";
type Answer = "compliant" | "non-compliant";
interface Case {
  name: string;
  cloud: Cloud;
  tags: Record<string, string>;
  /** The answer both paths give; for alias cases, the bill's and deploy time's differ by design. */
  expected: Answer | { bill: Answer; deploy: Answer };
}

const ok = { owner: "drivetrain", "cost-code": "FR-200", stage: "live", product: "arm" };
const CASES: Case[] = [
  { name: "aws-valid", cloud: "aws", tags: ok, expected: "compliant" },
  { name: "aws-padded", cloud: "aws", tags: { owner: " drivetrain ", "cost-code": "FR-200 ", stage: " live", product: "arm " }, expected: "compliant" },
  { name: "aws-padded-key", cloud: "aws", tags: { ...ok, " stage": "live" }, expected: "compliant" },
  { name: "aws-missing", cloud: "aws", tags: { owner: "vision", "cost-code": "FR-300", product: "eye" }, expected: "non-compliant" },
  { name: "aws-empty", cloud: "aws", tags: { ...ok, stage: "" }, expected: "non-compliant" },
  { name: "aws-blank", cloud: "aws", tags: { ...ok, stage: "   " }, expected: "non-compliant" },
  { name: "aws-unknown-team", cloud: "aws", tags: { ...ok, owner: "nobody" }, expected: "non-compliant" },
  { name: "aws-unit-cost-code", cloud: "aws", tags: { ...ok, "cost-code": "FR-100" }, expected: "compliant" },
  { name: "aws-list-case", cloud: "aws", tags: { ...ok, stage: "Live" }, expected: "non-compliant" },
  { name: "aws-lower-cost-code", cloud: "aws", tags: { ...ok, "cost-code": "fr-200" }, expected: "non-compliant" },
  { name: "aws-pattern-miss", cloud: "aws", tags: { ...ok, product: "Arm" }, expected: "non-compliant" },
  { name: "aws-pattern-partial", cloud: "aws", tags: { ...ok, product: "arm9" }, expected: "non-compliant" },
  { name: "gcp-valid", cloud: "gcp", tags: { ...ok, "cost-code": "fr-200" }, expected: "compliant" },
  { name: "gcp-team-cost-code", cloud: "gcp", tags: { owner: "vision", "cost-code": "fr-300", stage: "test", product: "eye" }, expected: "compliant" },
  { name: "gcp-unknown-cost-code", cloud: "gcp", tags: { ...ok, "cost-code": "fr-999" }, expected: "non-compliant" },
  { name: "gcp-no-labels", cloud: "gcp", tags: {}, expected: "non-compliant" },
  { name: "azure-valid", cloud: "azure", tags: ok, expected: "compliant" },
  { name: "azure-lower-cost-code", cloud: "azure", tags: { ...ok, "cost-code": "fr-200" }, expected: "non-compliant" },
  { name: "azure-missing-two", cloud: "azure", tags: { owner: "vision", stage: "test" }, expected: "non-compliant" },
  // Aliases apart: the bill reads them, deploy time asks for the canonical key.
  { name: "aws-alias", cloud: "aws", tags: { Owner: "drivetrain", costcode: "FR-200", stage: "live", product: "arm" }, expected: { bill: "compliant", deploy: "non-compliant" } },
  { name: "azure-key-case", cloud: "azure", tags: { ...ok, stage: undefined as never, STAGE: "live" }, expected: { bill: "compliant", deploy: "non-compliant" } },
  { name: "aws-empty-key-alias-set", cloud: "aws", tags: { ...ok, owner: "", owner_team: "vision" }, expected: { bill: "compliant", deploy: "non-compliant" } },
  // Team aliases and the case of team ids likewise: the bill reads them, deploy time asks for the team id.
  { name: "aws-team-alias", cloud: "aws", tags: { ...ok, owner: "Antrieb" }, expected: { bill: "compliant", deploy: "non-compliant" } },
  { name: "azure-team-case", cloud: "azure", tags: { ...ok, owner: "DriveTrain" }, expected: { bill: "compliant", deploy: "non-compliant" } },
  { name: "aws-not-an-alias", cloud: "aws", tags: { ...ok, owner: "Antrie" }, expected: "non-compliant" },
];

const PROVIDER: Record<Cloud, string> = { aws: "AWS", gcp: "Google Cloud", azure: "Microsoft" };
const RESOURCE: Record<Cloud, { type: string; property: string }> = {
  aws: { type: "aws:s3/bucket:Bucket", property: "tags" },
  gcp: { type: "gcp:storage/bucket:Bucket", property: "labels" },
  azure: { type: "azure-native:storage:StorageAccount", property: "tags" },
};
const tagsOf = (c: Case) => Object.fromEntries(Object.entries(c.tags).filter(([, v]) => v !== undefined));
const csv = (text: string) => `"${text.replace(/"/g, '""')}"`;

let dir: string;
let pack: PolicyPackProcess;
const deploy = new Map<string, Answer>();
const bill = new Map<string, Answer>();

beforeAll(async () => {
  dir = tempDir();
  const config = join(dir, "allot.yaml");
  writeFileSync(config, MODEL);
  // The bill: one usage row per case, each case its own service, so compliance by service is its verdict.
  const header = "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargeCategory,ProviderName,SubAccountId,ServiceName,ResourceId,ResourceType,Tags";
  const rows = CASES.map((c, i) => [`${i + 1}.25`, `${i + 1}.25`, "EUR", "2026-10-01T00:00:00Z", "2026-10-03T00:00:00Z", "Usage", PROVIDER[c.cloud], "acct-1", c.name, `res-${c.name}`, "bucket", csv(JSON.stringify(tagsOf(c)))].join(","));
  writeFileSync(join(dir, "bill.csv"), `${[header, ...rows].join("\n")}\n`);
  const run = allot(["compliance", "--config", config, "--input", join(dir, "bill.csv"), "--json"]);
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as { byService: { name: string; compliancePct: number }[] };
  for (const s of report.byService) bill.set(s.name, s.compliancePct === 100 ? "compliant" : "non-compliant");

  pack = await PolicyPackProcess.start();
  await pack.configure(Object.fromEntries(["required-cost-tags", "cost-tag-values", "cost-tag-compliance"].map((p) => [p, { level: "mandatory" as const, properties: { configFile: config } }])));
  for (const c of CASES) {
    const { type, property } = RESOURCE[c.cloud];
    const resource: Resource = { type, name: c.name, props: { [property]: tagsOf(c) } };
    const violations = (await pack.analyze(resource)).filter((d) => d.level === "mandatory");
    deploy.set(c.name, violations.length === 0 ? "compliant" : "non-compliant");
  }
}, 120_000);

afterAll(async () => {
  await pack?.stop();
});

describe("the bill and deploy time agree on every tag case", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const want = typeof c.expected === "string" ? { bill: c.expected, deploy: c.expected } : c.expected;
      expect({ bill: bill.get(c.name), deploy: deploy.get(c.name) }).toEqual(want);
    });
  }

  it("the stack policy passes a stack of the cases that pass the resource policies, and blocks one with a failing case", async () => {
    const resourceOf = (c: Case): Resource => ({ type: RESOURCE[c.cloud].type, name: c.name, props: { [RESOURCE[c.cloud].property]: tagsOf(c) } });
    const passing = CASES.filter((c) => deploy.get(c.name) === "compliant").map(resourceOf);
    expect(passing.length).toBeGreaterThan(5);
    expect(await pack.analyzeStack(passing)).toEqual([]);
    const failing = [passing[0]!, passing[1]!, resourceOf(CASES.find((c) => c.name === "aws-unknown-team")!)];
    const [violation] = await pack.analyzeStack(failing);
    expect(violation?.policy).toBe("cost-tag-compliance");
    expect(violation?.message).toContain("66.7% of 3 taggable resources");
  });

  it("every policy honours the same config overrides: a stack passing the resource policies passes the stack policy", async () => {
    const config = join(dir, "allot.yaml");
    const overrides = { configFile: config, allowedValues: { stage: ["live", "test", "canary"] }, patterns: { product: "[a-z]+[0-9]?" } };
    await pack.configure(Object.fromEntries(["required-cost-tags", "cost-tag-values", "cost-tag-compliance"].map((p) => [p, { level: "mandatory" as const, properties: overrides }])));
    try {
      const stack: Resource[] = ["canary", "live"].map((stage, i) => ({ type: "aws:s3/bucket:Bucket", name: `b${i}`, props: { tags: { ...ok, stage, product: "arm9" } } }));
      for (const r of stack) expect(await pack.analyze(r)).toEqual([]);
      expect(await pack.analyzeStack(stack)).toEqual([]);
      const [violation] = await pack.analyzeStack([...stack, { type: "aws:s3/bucket:Bucket", name: "b2", props: { tags: { ...ok, stage: "dev" } } }]);
      expect(violation?.message).toContain("b2");
    } finally {
      await pack.configure(Object.fromEntries(["required-cost-tags", "cost-tag-values", "cost-tag-compliance"].map((p) => [p, { level: "mandatory" as const, properties: { configFile: config } }])));
    }
  });
});
