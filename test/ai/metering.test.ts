import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCostModel, UserError } from "../../model";
import { loadMetering, tieredCost } from "../../reports/ai/metering";
import { aiSection } from "../../reports/ai/section";
import { AllocationEngine } from "../../reports/allocate/engine";
import { noMetrics } from "../../reports/read/metrics";
import { Decimal } from "../../reports/money";
import { withDuckDB } from "../../reports/read/duckdb";
import type { ChargeRow } from "../../reports/read/charges";
import { allot, makeSample, tempDir } from "../helpers";

const model = (remainder = "proportional") =>
  parseCostModel(`
currency: USD
tags: { required: [{ key: team, values: org.teams }] }
org:
  units:
    - id: u
      teams:
        - { id: web, owner: a@x.co, costCenter: CC-1, budget: 1000 }
        - { id: api, owner: b@x.co, costCenter: CC-2, budget: 1000 }
allocation:
  rules:
    - { name: gateway, method: activity, driver: metering, models: [claude], remainder: ${remainder} }
ai:
  models:
    claude:
      input: [{ upTo: 1000000, per1M: 3 }, { upTo: 3000000, per1M: 2 }, { per1M: 1 }]
      output: 10
    small: { input: 0.5, output: 1 }
  gpus: { a100: 3.6 }
`);

const HEADER = "time,team,product,feature,customer,model,input_tokens,output_tokens,cached_tokens,calls,gpu_type,gpu_seconds";

async function metering(lines: string[], remainder?: string) {
  const file = join(tempDir(), "metering.csv");
  writeFileSync(file, `${HEADER}\n${lines.join("\n")}\n`);
  const m = model(remainder);
  return { file, m, metering: await withDuckDB((db) => loadMetering(db, file, m)) };
}

const pool = (cost: string): ChargeRow => ({
  month: "2026-10", provider: "AWS", account: null, service: "Amazon Bedrock", serviceCategory: "AI and Machine Learning", region: null, chargeCategory: "Usage",
  resourceType: null, resourceId: "gateway", tags: null, tagsFormat: "focus", cost: new Decimal(cost), rows: 1,
});

describe("the AI rate card", () => {
  it("prices volume tiers marginally over the month's tokens", () => {
    const tiers = [{ upTo: 1_000_000, per1M: 3 }, { upTo: 3_000_000, per1M: 2 }, { per1M: 1 }];
    expect(tieredCost(new Decimal(5_000_000), tiers).toFixed()).toBe("9"); // 1M x 3 + 2M x 2 + 2M x 1
    expect(tieredCost(new Decimal(500_000), tiers).toFixed()).toBe("1.5");
    expect(tieredCost(new Decimal(2_000_000), 4).toFixed()).toBe("8");
  });

  it("prices each team's tokens over the tiers of the whole month, and GPU hours by the hour", async () => {
    const { metering: m } = await metering([
      "2026-10-01T10:00:00Z,web,chat,answer,c1,claude,3000000,100000,0,1000,,",
      "2026-10-02,api,search,rewrite,c2,claude,2000000,100000,0,500,,",
      "2026-10-03,api,train,tune,,,,,,,a100,7200",
      "2026-10-04,web,chat,answer,c1,claude,0,0,0,0,,",
      "2026-10-05,web,chat,answer,c2,claude,0,0,0,0,,",
    ]);
    // 5M input tokens over the tiers cost 9, shared 3:2; output 200k x 10/1M = 2, shared 1:1.
    const cost = Object.fromEntries([...m.costByTeam("2026-10")].map(([t, c]) => [t, c.toFixed()]));
    expect(cost).toEqual({ web: "6.4", api: "11.8" }); // web 5.4 + 1; api 3.6 + 1 + 2 GPU hours x 3.6
    expect(m.rows.find((r) => r.kind === "gpu")!.gpuHours.toFixed()).toBe("2");
    expect(m.customers("2026-10")).toBe(2);
    expect([m.customers("2026-10", { team: "web" }), m.customers("2026-10", { team: "api" }), m.customers("2026-10", { product: "chat" }), m.customers("2026-10", { product: "train" })]).toEqual([2, 1, 2, 0]);
    expect(m.customers("2026-09")).toBe(0);
  });
});

describe("activity allocation over metered usage, reconciled", () => {
  const lines = ["2026-10-01,web,chat,answer,c1,claude,1000000,0,0,10,,", "2026-10-01,api,search,rewrite,c2,claude,1000000,0,0,10,,"];
  // Metered: 1M at 3 + 1M at 2 = 5, shared 2.5 : 2.5.

  it("metered below billed: the whole pool is spread by metered cost and the difference shown", async () => {
    const { m, metering: meter } = await metering(lines);
    const result = new AllocationEngine(m, noMetrics, meter).allocate([pool("8")]);
    expect(Object.fromEntries(result.lines.map((l) => [l.target, l.amount.toFixed()]))).toEqual({ web: "4", api: "4" });
    expect(result.reconciliation.map((r) => [r.billed.toFixed(), r.metered.toFixed(), r.difference.toFixed()])).toEqual([["8", "5", "3"]]);
  });

  it("metered above billed: teams share the bill, the negative difference is shown", async () => {
    const { m, metering: meter } = await metering(lines);
    const result = new AllocationEngine(m, noMetrics, meter).allocate([pool("4")]);
    expect(Object.fromEntries(result.lines.map((l) => [l.target, l.amount.toFixed()]))).toEqual({ web: "2", api: "2" });
    expect(result.reconciliation[0]!.difference.toFixed()).toBe("-1");
  });

  it("remainder: unallocated keeps the bill above the rate card out of the teams, conserving the pool", async () => {
    const { m, metering: meter } = await metering(lines, "unallocated");
    const result = new AllocationEngine(m, noMetrics, meter).allocate([pool("8")]);
    expect(Object.fromEntries(result.lines.map((l) => [l.target ?? l.reason, l.amount.toFixed()]))).toEqual({ web: "2.5", api: "2.5", "billed above the metered cost at the rate card": "3" });
    expect(result.allocated.plus(result.unallocated).toFixed()).toBe("8");
  });

  it("usage metered by an organisation that is not in org stays unallocated, by name", async () => {
    const { m, metering: meter } = await metering([...lines, "2026-10-02,partner-co,chat,answer,c9,claude,2000000,0,0,5,,"]);
    const result = new AllocationEngine(m, noMetrics, meter).allocate([pool("10")]);
    expect(result.lines.find((l) => l.target === null)?.reason).toBe('metered by "partner-co", which is not a team in org');
    expect(result.allocated.plus(result.unallocated).toFixed()).toBe("10");
  });
});

describe("bad metering records are rejected with the file and line", () => {
  for (const [line, message] of [
    ["2026-10-01,web,chat,answer,c1,claude,-5,10,0,1,,", "input_tokens \"-5\" is not a whole number of 0 or more"],
    ["2026-10-01,web,chat,answer,c1,claude,,10,0,1,,", "input_tokens is missing"],
    ["2026-10-01,web,chat,answer,c1,claude,10,12.5,0,1,,", "output_tokens \"12.5\" is not a whole number of 0 or more"],
    ["yesterday,web,chat,answer,c1,claude,10,10,0,1,,", 'time "yesterday" is not a date or timestamp'],
    ["2026-10-01,,chat,answer,c1,claude,10,10,0,1,,", "team is missing"],
  ] as const) {
    it(message, async () => {
      await expect(metering(["2026-10-01,web,chat,answer,c1,claude,10,10,0,1,,", line])).rejects.toThrow(new RegExp(`metering\\.csv:3: ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    });
  }

  it("a model without a price", async () => {
    await expect(metering(["2026-10-01,web,chat,answer,c1,gpt-9,10,10,0,1,,"])).rejects.toThrow(UserError);
  });
});

describe("the sample and the report", () => {
  it("the sample's usage log drives the gateway split, and the report carries unit economics", async () => {
    const { out } = await makeSample({ rows: 8000, months: 2 });
    const dir = tempDir();
    const run = allot(["report", "--config", join(out, "allot.yaml"), "--input", join(out, "focus", "*.parquet"), "--metrics", join(out, "metrics.csv"), "--metering", join(out, "metering.csv"), "--k8s", join(out, "opencost", "*.json"), "--out", dir, "--quiet", "--format", "json,md"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { ai: { products: { product: string; costPerCall: string | null; costPerCustomer: string | null; costPer1KTokens: string | null }[]; reconciliation: { rule: string; billed: string; metered: string; difference: string }[] } };
    const bot = report.ai.products.find((p) => p.product === "support-bot")!;
    expect(Number(bot.costPerCall)).toBeGreaterThan(0);
    expect(Number(bot.costPerCustomer)).toBeGreaterThan(0);
    expect(Number(bot.costPer1KTokens)).toBeGreaterThan(0);
    const gateway = report.ai.reconciliation.find((r) => r.rule === "llm-gateway")!;
    expect(new Decimal(gateway.billed).minus(gateway.metered).toFixed(2)).toBe(new Decimal(gateway.difference).toFixed(2));
    expect(readFileSync(join(dir, "report.md"), "utf8")).toContain("## AI and GPU");
  });
});

describe("the AI section's amounts, on a usage log written here", () => {
  it("add up to the month's AI cost as shown, where rounded alone each would read 0.00", async () => {
    // Three products of 6,670 input tokens of `small` at $0.50 per million: $0.003335 each, $0.010005 in all.
    const lines = ["p1", "p2", "p3"].map((p, i) => `2026-10-0${i + 1}T00:00:00Z,${i === 2 ? "api" : "web"},${p},chat,c${i},small,6670,0,0,1,,`);
    const { m, metering: log } = await metering(lines);
    const ai = aiSection(m, "2026-10", null, log, []);
    const total = new Decimal(6670).times("0.5").dividedBy(1e6).times(3);
    expect(total.toFixed()).toBe("0.010005");
    const sum = (rows: { cost: string }[]) => rows.reduce((s, r) => s.plus(r.cost), new Decimal(0)).toFixed(2);
    expect(sum(ai.products)).toBe(total.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));
    expect(sum(ai.teams)).toBe("0.01");
    expect(sum(ai.features)).toBe("0.01");
    expect(sum(ai.models)).toBe("0.01");
    // Rounded alone, each product's $0.003335 reads 0.00: the table would add up to nothing.
    expect(new Decimal("0.003335").toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)).toBe("0.00");
    // The team with two products shows what its products show together.
    expect(ai.teams.find((t) => t.team === "web")!.cost).toBe(sum(ai.products.filter((p) => p.teams.includes("web"))));
  });
});
