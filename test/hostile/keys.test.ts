// Names from data are data: rate-card, metering and metrics keys named after Object.prototype members
// price and split like any other name; YAML aliases are bounded; counts are bounded; one-line errors.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCostModel, UserError } from "../../model";
import { loadMetering } from "../../reports/ai/metering";
import { AllocationEngine } from "../../reports/allocate/engine";
import { metricsFromRecords, noMetrics } from "../../reports/read/metrics";
import { loadAdjustments } from "../../reports/read/adjustments";
import { Decimal } from "../../reports/money";
import type { ChargeRow } from "../../reports/read/charges";
import { withDuckDB } from "../../reports/read/duckdb";
import { allot, root, sharedData, tempDir } from "../helpers";

const PROTO_NAMES = ["constructor", "toString", "valueOf", "hasOwnProperty"] as const;
const ORG = `currency: USD
tags: { required: [{ key: team, values: org.teams }] }
org:
  units:
    - id: u
      teams:
        - { id: web, owner: a@x.co, costCenter: CC-1, budget: 1000 }
        - { id: api, owner: b@x.co, costCenter: CC-2, budget: 1000 }
`;
const HEADER = "time,team,product,feature,customer,model,input_tokens,output_tokens,cached_tokens,calls,gpu_type,gpu_seconds";

const pool = (cost: string): ChargeRow => ({
  month: "2026-10", provider: "AWS", account: null, service: "Amazon Bedrock", serviceCategory: "AI and Machine Learning", region: null, chargeCategory: "Usage",
  resourceType: null, resourceId: "gateway", tags: null, tagsFormat: "focus", cost: new Decimal(cost), rows: 1,
});

async function meteringOf(yaml: string, lines: string[]) {
  const file = join(tempDir(), "metering.csv");
  writeFileSync(file, `${HEADER}\n${lines.join("\n")}\n`);
  const model = parseCostModel(yaml);
  return { model, load: () => withDuckDB((db) => loadMetering(db, file, model)) };
}

describe("metering and rate-card keys named after Object.prototype members", () => {
  it("price like any other model or GPU type", async () => {
    const { model, load } = await meteringOf(
      `${ORG}allocation: { rules: [{ name: gateway, method: activity, driver: metering }] }
ai:
  models: { ${PROTO_NAMES.map((n, i) => `${n}: { input: ${i + 1}, output: 0 }`).join(", ")} }
  gpus: { toString: 2 }
`,
      [...PROTO_NAMES.map((n, i) => `2026-10-01,${i % 2 ? "api" : "web"},p,f,c,${n},1000000,0,0,1,,`), "2026-10-01,web,train,job,,,,,,,toString,3600"],
    );
    const metering = await load();
    expect(Object.fromEntries(metering.rows.map((r) => [r.model, r.cost.toFixed()]))).toEqual({ constructor: "1", toString: "2", valueOf: "3", hasOwnProperty: "4" });
    const result = new AllocationEngine(model, noMetrics, metering).allocate([pool("12")]);
    expect(Object.fromEntries(result.lines.map((l) => [l.target, l.amount.toFixed()]))).toEqual({ web: "6", api: "6" });
  });

  it("a model or GPU type without a price is named, even one called constructor or __proto__", async () => {
    for (const [name, column] of [["constructor", "model"], ["__proto__", "model"], ["valueOf", "gpu"]] as const) {
      const line = column === "model" ? `2026-10-01,web,p,f,c,${name},1,0,0,1,,` : `2026-10-01,web,p,f,c,,,,,,${name},60`;
      const { load } = await meteringOf(`${ORG}ai: { models: { claude: { input: 1, output: 1 } } }\n`, [line]);
      await expect(load()).rejects.toThrow(new RegExp(`${column === "model" ? "model" : "GPU type"} "${name}" has no price`));
      await expect(load()).rejects.toBeInstanceOf(UserError);
    }
  });

  it("a 40-digit token count is a clear error naming file and line, not an overflow", async () => {
    const { load } = await meteringOf(`${ORG}ai: { models: { claude: { input: 1, output: 1 } } }\n`, ["2026-10-01,web,p,f,c,claude,1,0,0,1,,", `2026-10-01,web,p,f,c,claude,${"9".repeat(40)},0,0,1,,`]);
    await expect(load()).rejects.toThrow(/metering\.csv:3: input_tokens "9{40}" has more than 15 digits/);
  });
});

describe("metrics kinds and activity rates named after Object.prototype members", () => {
  const model = parseCostModel(`${ORG}allocation: { rules: [{ name: tokens, method: activity, driver: llm-tokens, rates: { constructor: 2, toString: 3 } }] }\n`);
  const record = (target: string, kind: string, quantity: number) => ({ month: "2026-10", metric: "llm-tokens", target, kind, quantity: new Decimal(quantity) });

  it("split by the rates", () => {
    const metrics = metricsFromRecords([record("web", "constructor", 3), record("api", "toString", 2)]);
    const result = new AllocationEngine(model, metrics).allocate([pool("12")]);
    expect(Object.fromEntries(result.lines.map((l) => [l.target, l.amount.toFixed()]))).toEqual({ web: "6", api: "6" });
  });

  it("a kind without a rate is named, even one called valueOf", () => {
    const metrics = metricsFromRecords([record("web", "valueOf", 3)]);
    expect(() => new AllocationEngine(model, metrics).allocate([pool("12")])).toThrow(/no rate for llm-tokens kind "valueOf"/);
  });

  it("no character in a name makes two metrics meet", () => {
    const metrics = metricsFromRecords([
      { month: "2026-10", metric: "cpu|x", target: "web", quantity: new Decimal(1) },
      { month: "2026-10", metric: "cpu", target: "x|web", quantity: new Decimal(2) },
    ]);
    expect(metrics.get("2026-10", "cpu|x", "web")?.toFixed()).toBe("1");
    expect(metrics.get("2026-10", "cpu", "x|web")?.toFixed()).toBe("2");
  });
});

describe("YAML: aliases bounded and resolved, __proto__ refused, one line each", () => {
  const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`;

  function expectOneLine(args: string[], message: RegExp) {
    const run = allot(args);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  }

  it("in allot.yaml", () => {
    const dir = tempDir();
    const input = join(sharedData, "focus-1.0-sample", "focus_sample.csv");
    const cases: [string, RegExp][] = [
      [`${ORG}${bomb}`, /allot\.yaml: \(yaml\): aliases expand too far .*allot expands at most 100 aliases/],
      [`${ORG}budgets: { alerts: *missing }\n`, /allot\.yaml:\d+:\d+: \(yaml\): alias \*missing refers to no anchor &missing/],
      [`${ORG}ai: { gpus: { __proto__: 3 } }\n`, /allot\.yaml:\d+:\d+: \(yaml\): "__proto__" cannot be a key; rename it/],
    ];
    for (const [text, message] of cases) {
      writeFileSync(join(dir, "allot.yaml"), text);
      expectOneLine(["compliance", "--config", join(dir, "allot.yaml"), "--input", input, "--quiet"], message);
    }
    expect(allot(["compliance", "--config", join(root, "allot.yaml"), "--input", input, "--quiet"]).code).toBe(0);
  });

  it("in an adjustments file", async () => {
    const dir = tempDir();
    const load = (text: string) => {
      writeFileSync(join(dir, "adjustments.yaml"), text);
      return withDuckDB((db) => loadAdjustments(db, join(dir, "adjustments.yaml"), new Set(["INV-2026-10-web"]), "USD"));
    };
    await expect(load(`- { invoice: *nope, amount: -5, reason: r, approvedBy: me }\n`)).rejects.toThrow(/adjustments\.yaml:1:\d+: \(yaml\): alias \*nope refers to no anchor/);
    await expect(load(`x: &x [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n${bomb}`)).rejects.toThrow(/aliases expand too far/);
    await expect(load(`- { invoice: [unclosed\n`)).rejects.toBeInstanceOf(UserError);
    const ok = await load(`# reviewed\n- invoice: INV-2026-10-web\n  amount: -5\n  reason: outage credit\n  approvedBy: finance\n`);
    expect(ok.map((a) => [a.source.replace(/.*\//, ""), a.amount.toFixed()])).toEqual([["adjustments.yaml:2", "-5"]]);
  });
});
