// Mapping a bill we did not write to the org: an allot.yaml written for the organisation in the real FOCUS
// 1.0 sample (business units tagged City+Department, e.g. PeoriaData), with team aliases; and the month's
// warnings for rules, exemptions and keys that match nothing. Expected figures are summed here with
// decimal.js over the raw CSV (DuckDB only reads the cells as text), never through allot's readers.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Decimal from "decimal.js";
import { beforeAll, describe, expect, it } from "vitest";
import { withDuckDB } from "../../reports/read/duckdb";
import { allot, sharedData, tempDir } from "../helpers";
import { writeFocus } from "../money/bills";

const sample = join(sharedData, "focus-1.0-sample", "focus_sample.csv");

/** The sample organisation: teams named in the bill by business_unit (AWS) or "Cost department" (Azure). */
const peoria = (aliases = "[PeoriaData]", rules = "") => `version: 1
currency: USD
costBasis: BilledCost
tags:
  required:
    - key: team
      aliases: [business_unit, Cost department]
      values: org.teams
    - key: environment
      aliases: [env]
      values: [prod, dev]
org:
  units:
    - id: data
      teams:
        - { id: peoria-data, owner: peoria@example.org, costCenter: D-100, budget: 50, aliases: ${aliases} }
        - { id: philadelphia-data, owner: phl@example.org, costCenter: D-200, budget: 20, aliases: [PhiladelphiaData] }
    - id: ai
      teams:
        - { id: tempe-ai, owner: tempe@example.org, costCenter: A-100, budget: 10, aliases: [TempeAI] }
    - id: go-to-market
      teams:
        - { id: marketing, owner: mkt@example.org, costCenter: M-100, budget: 10 }
allocation:
  rules:
    - { name: owned, method: direct, keys: [team] }
${rules}`;

interface Summary {
  allocations: { target: string; amount: string }[];
  unallocated: { reason: string; amount: string }[];
  warnings: string[];
}

/** BilledCost of the sample's September rows by (tag key, value), summed from the raw cells. */
let byTag: Map<string, Decimal>;
beforeAll(async () => {
  const cells = await withDuckDB(async (db) =>
    (await db.runAndReadAll(`SELECT BillingPeriodStart AS period, BilledCost AS cost, Tags AS tags FROM read_csv('${sample}', header = true, all_varchar = true)`)).getRowObjectsJS());
  byTag = new Map();
  for (const c of cells) {
    if (!String(c.period).startsWith("2024-09") || c.tags === null || c.tags === "NULL" || c.tags === "") continue;
    for (const [key, value] of Object.entries(JSON.parse(String(c.tags)) as Record<string, string>)) {
      const at = JSON.stringify([key, value]);
      byTag.set(at, (byTag.get(at) ?? new Decimal(0)).plus(String(c.cost)));
    }
  }
});
const billed = (key: string, value: string) => byTag.get(JSON.stringify([key, value])) ?? new Decimal(0);

function allocate(config: string, ...extra: string[]) {
  const dir = tempDir();
  writeFileSync(join(dir, "allot.yaml"), config);
  const run = allot(["allocate", "--config", join(dir, "allot.yaml"), "--input", sample, "--month", "2024-09", "--json", ...extra]);
  expect(run.code, run.stderr).toBe(0);
  return { summary: JSON.parse(run.stdout) as Summary, stderr: run.stderr, dir };
}
const amountOf = (s: Summary, team: string) => new Decimal(s.allocations.find((a) => a.target === team)?.amount ?? 0);
/** Shown in cents by largest remainder: within a cent of the exact figure. */
const withinACent = (shown: Decimal, exact: Decimal) => shown.minus(exact).abs().lessThan("0.01");

describe("team aliases on the real FOCUS 1.0 sample", () => {
  it("the bill's PeoriaData, TempeAI, PhiladelphiaData and Marketing are attributed to their teams", () => {
    const { summary, stderr } = allocate(peoria());
    expect(billed("business_unit", "PeoriaData").greaterThan(15)).toBe(true);
    for (const [team, key, value] of [["peoria-data", "business_unit", "PeoriaData"], ["tempe-ai", "business_unit", "TempeAI"], ["philadelphia-data", "business_unit", "PhiladelphiaData"], ["marketing", "Cost department", "Marketing"]] as const) {
      expect(withinACent(amountOf(summary, team), billed(key, value)), `${team}: ${amountOf(summary, team)} vs ${billed(key, value)}`).toBe(true);
    }
    expect(summary.unallocated.some((u) => u.reason.includes("PeoriaData"))).toBe(false);
    expect(summary.warnings).toEqual([]);
    expect(stderr).not.toContain("warning");
  });

  it("an alias matches the bill's value whatever the case of either", () => {
    const { summary } = allocate(peoria("[PEORIADATA]"));
    expect(withinACent(amountOf(summary, "peoria-data"), billed("business_unit", "PeoriaData"))).toBe(true);
  });

  it("must fail: a value that is not an alias is not attributed, and says which value named no team", () => {
    const { summary } = allocate(peoria("[PeoriaDat]"));
    expect(amountOf(summary, "peoria-data").isZero()).toBe(true);
    const reason = summary.unallocated.find((u) => u.reason === 'team "PeoriaData" names no team');
    expect(withinACent(new Decimal(reason!.amount), billed("business_unit", "PeoriaData"))).toBe(true);
  });

  it("compliance counts an aliased value as compliant, by team", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "allot.yaml"), peoria());
    const run = allot(["compliance", "--config", join(dir, "allot.yaml"), "--input", sample, "--month", "2024-09", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { byTeam: { name: string; totalCost: string }[]; warnings: string[] };
    expect(report.warnings).toEqual([]);
    expect(JSON.stringify(report.byTeam)).toContain("peoria-data");
  });
});

describe("warnings for what allot.yaml names and the month's bill does not", () => {
  it("a rule whose match has a typo: a warning with did-you-mean on stderr, in --json and in the report's notes", () => {
    const rules = "    - { name: shared-network, method: even, match: { serviceCategory: Netwrking }, targets: [peoria-data, tempe-ai] }\n";
    const { summary, stderr, dir } = allocate(peoria("[PeoriaData]", rules));
    const warning = 'rule "shared-network" (allocation.rules[1]) selects no charge in 2024-09: match.serviceCategory "Netwrking" is on no charge (did you mean "Networking"?)';
    expect(summary.warnings).toEqual([warning]);
    expect(stderr.split("\n")).toContain(`allot: warning: ${warning}`);
    const report = allot(["report", "--config", join(dir, "allot.yaml"), "--input", sample, "--month", "2024-09", "--out", join(dir, "out"), "--format", "md"]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toContain(`allot: warning: ${warning}`);
    expect(readFileSync(join(dir, "out", "report.md"), "utf8")).toContain("did you mean \"Networking\"?");
  });

  it("must pass: the same rule spelled right gives no warning", () => {
    const rules = "    - { name: shared-network, method: even, match: { serviceCategory: Networking }, targets: [peoria-data, tempe-ai] }\n";
    expect(allocate(peoria("[PeoriaData]", rules)).summary.warnings).toEqual([]);
  });

  it("hand-written bill: a tag value, a tag key, a tier, an exemption and an owner key that match nothing", () => {
    const dir = tempDir();
    const bill = writeFocus(dir, "bill.csv", [
      { cost: "10.00", tags: { team: "a", "cost-pool": "shared-network" } },
      { cost: "4.00", tags: { "cost-pool": "shared-network", "app\nname": "x" } },
      { cost: "2.50", service: "Amazon S3", tags: { team: "b" } },
    ]);
    const config = join(dir, "allot.yaml");
    writeFileSync(config, `version: 1
currency: USD
tags:
  required:
    - { key: team, values: org.teams }
  exemptions: { accounts: ["111111111112"], resourceTypes: ["aws:iam/*"] }
org:
  units:
    - id: u
      teams:
        - { id: a, owner: a@x.co, costCenter: CC-A, budget: 100 }
        - { id: b, owner: b@x.co, costCenter: CC-B, budget: 100 }
allocation:
  rules:
    - { name: owned, method: direct, keys: [team, owning-team] }
    - { name: net, method: even, match: { tags: { cost-pool: shared-netwrok } } }
    - { name: net-ok, method: even, match: { tags: { cost-pool: shared-network } } }
    - { name: app, method: even, match: { tags: { appname: "*" } } }
    - name: layered
      method: tiered
      match: { tags: { cost-pool: "*" } }
      tiers:
        - { name: storage, method: even, match: { service: Amazon S3 } }
        - { name: rest, method: even }
    - { name: listed, method: even, match: { tags: { cost-pool: [shared-network, shared-netwrk, other-pool] } } }
    - name: impossible
      method: tiered
      match: { service: Amazon S3, tags: { cost-pool: "*" } }
      tiers:
        - { name: first, method: even, match: { chargeCategory: Usage } }
`);
    const run = allot(["compliance", "--config", config, "--input", bill, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const { warnings } = JSON.parse(run.stdout) as { warnings: string[] };
    expect(warnings).toEqual([
      'tag key "owning-team" (an owner key of rule "owned") is on no charge in 2026-10',
      'tags.exemptions.accounts[0] "111111111112" is the account of no charge in 2026-10 (did you mean "111111111111"?)',
      'rule "net" (allocation.rules[1]) selects no charge in 2026-10: match.tags.cost-pool "shared-netwrok" is on no charge (did you mean "shared-network"?)',
      'rule "app" (allocation.rules[3]) selects no charge in 2026-10: match.tags key "appname" is on no charge (did you mean "app\\nname"?)',
      'tier "storage" of rule "layered" (allocation.rules[4].tiers[0]) selects no charge in 2026-10: no charge meets all of its conditions at once',
      // One value that looks like a typo, though the rule selects charges by its others; other-pool is no typo of anything.
      'rule "listed" (allocation.rules[5]): match.tags.cost-pool "shared-netwrk" is on no charge in 2026-10 (did you mean "shared-network"?)',
      // A rule that selects nothing says so once, not again for its tiers.
      'rule "impossible" (allocation.rules[6]) selects no charge in 2026-10: no charge meets all of its conditions at once',
    ]);
    // One line each on stderr, whatever the bill's text holds.
    const lines = run.stderr.split("\n").filter((l) => l.startsWith("allot: warning: "));
    expect(lines).toHaveLength(7);
    expect(run.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("allot: "))).toEqual([]);
  });
});
