// Tag patterns are data, not a program: patterns that backtrack catastrophically on a backtracking engine
// (`(a+)+`, `([a-z0-9]+-?)*`) run in linear time on RE2 in the reports and the pack, and a pattern RE2
// cannot run (backreferences, lookaround) is refused at load, naming the key and the pattern.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { judgeBillTags, parseCostModel } from "../../model";
import { resolveStandard } from "../../policies/config";
import { allot, tempDir } from "../helpers";

const model = (pattern: string) => `currency: USD
tags:
  required:
    - { key: team, values: org.teams }
    - { key: release, pattern: ${JSON.stringify(pattern)} }
org:
  units:
    - id: u
      teams:
        - { id: web, owner: a@x.co, costCenter: CC-1, budget: 1000 }
`;
const EVIL = ["(a+)+", "([a-z0-9]+-?)*", "(a|aa)+", "(.*a){12}"];
// The classic attack strings: a long run that almost matches, then one character that cannot.
const attack = `${"a".repeat(40_000)}!`;

describe("tag patterns on a linear-time engine", () => {
  for (const pattern of EVIL) {
    it(`${pattern}: the verdict on a hostile value comes back, and is right`, () => {
      const m = parseCostModel(model(pattern), "allot.yaml");
      expect(judgeBillTags(m.tags, "aws", [["team", "web"], ["release", attack]]).status).toBe("non-compliant");
      expect(judgeBillTags(m.tags, "aws", [["team", "web"], ["release", "a".repeat(40_000)]]).status).toBe("compliant");
    });
  }

  it("allot compliance finishes on a bill full of hostile values", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "allot.yaml"), model("([a-z0-9]+-?)*"));
    const rows = Array.from({ length: 200 }, (_, i) => `1.00,1.00,USD,2026-10-01,Usage,AWS,EC2,r${i},"${JSON.stringify({ team: "web", release: `${"a".repeat(2000 + i)}!` }).replace(/"/g, '""')}"`);
    writeFileSync(join(dir, "bill.csv"), `BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName,ResourceId,Tags\n${rows.join("\n")}\n`);
    const run = allot(["compliance", "--config", join(dir, "allot.yaml"), "--input", join(dir, "bill.csv"), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ usageCost: "200", compliantCost: "0" });
  });

  it("the pack's config patterns run on the same engine", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "allot.yaml"), model("[a-z]+"));
    const resolved = resolveStandard({ configFile: join(dir, "allot.yaml"), patterns: { release: "(a+)+" } });
    const spec = resolved.standard.required.find((s) => s.key === "release")!;
    expect(spec.match(attack, "aws")).toBeUndefined();
    expect(spec.match("aaaa", "aws")).toBe("aaaa");
  });

  it("refuses, at load, a pattern RE2 cannot run: the key, the pattern and why", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "allot.yaml"), model("(a)\\1"));
    writeFileSync(join(dir, "bill.csv"), "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName,Tags\n1,1,USD,2026-10-01,Usage,AWS,EC2,\n");
    const run = allot(["compliance", "--config", join(dir, "allot.yaml"), "--input", join(dir, "bill.csv")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^allot: .*allot\.yaml:\d+:\d+: tags\.required\[1\]\.pattern: expected a pattern allot can run, got "\(a\)\\\\1": invalid escape sequence: `\\1` \(patterns run on RE2: no backreferences or lookaround\)/);
    expect(run.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    writeFileSync(join(dir, "ok.yaml"), model("[a-z]+"));
    expect(() => resolveStandard({ configFile: join(dir, "ok.yaml"), patterns: { release: "(?<=x)y" } })).toThrow(/patterns\.release: "\(\?<=x\)y" is not a pattern allot can run/);
  });
});
