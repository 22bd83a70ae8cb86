import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ConfigError, costModelJsonSchema, loadCostModel, parseCostModel, UserError } from "../../model";

const root = join(__dirname, "..", "..");
const sample = readFileSync(join(root, "allot.yaml"), "utf8");

/** The sample model with one edit applied; fails the test if the edit did not apply. */
function edited(find: string | RegExp, replace: string): string {
  const text = sample.replace(find, replace);
  expect(text).not.toBe(sample);
  return text;
}

function problemsOf(text: string): string[] {
  try {
    parseCostModel(text, "allot.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split("\n");
  }
  throw new Error("expected the model to be rejected");
}

describe("the sample cost model", () => {
  it("loads with its teams, budgets and tag standard", () => {
    const model = loadCostModel(join(root, "allot.yaml"));
    expect([...model.teams.keys()]).toEqual(["checkout", "payments", "catalog", "platform", "data", "security", "ml-platform", "assistant"]);
    expect(model.costBasis).toBe("EffectiveCost");
    expect(model.teams.get("payments")?.budget.toString()).toBe("32000");
    expect(model.teams.get("catalog")?.billingMode).toBe("showback");
    expect(model.units[0]?.budget.toString()).toBe("91000");
    expect(model.tags.required.map((t) => t.key)).toEqual(["team", "cost-center", "environment"]);
    expect(model.chargebackThreshold).toBe(90);
  });

  it("defaults costBasis, billing mode and the chargeback threshold", () => {
    const model = parseCostModel(sample.replace("costBasis: EffectiveCost\n", "").replace(/\ncompliance:\n  chargebackThreshold: 90\n/, "\n").replace("  defaultBillingMode: showback\n", ""));
    expect(model.costBasis).toBe("EffectiveCost");
    expect(model.chargebackThreshold).toBe(90);
    expect(model.teams.get("catalog")?.billingMode).toBe("showback");
  });
});

describe("errors name the key path, the line and what is expected", () => {
  it("a budget that is not a number", () => {
    const [line] = problemsOf(edited("budget: 32000", 'budget: "ten"'));
    expect(line).toMatch(/^allot\.yaml:\d+:\d+: org\.units\[0\]\.teams\[1\]\.budget: expected a positive number, got "ten"$/);
  });

  it("a negative budget", () => {
    expect(problemsOf(edited("budget: 32000", "budget: -5"))[0]).toContain('org.units[0].teams[1].budget: expected a positive number, got -5');
  });

  it("an unknown key, with a suggestion", () => {
    expect(problemsOf(edited("          budget: 32000", "          budgett: 32000"))).toEqual(
      expect.arrayContaining([expect.stringMatching(/org\.units\[0\]\.teams\[1\]\.budgett: unknown key \(did you mean "budget"\?\)/)]),
    );
  });

  it("a missing required key", () => {
    expect(problemsOf(edited("currency: USD\n", ""))[0]).toContain("currency: missing; expected an ISO 4217 currency code");
  });

  it("an unknown allocation method", () => {
    expect(problemsOf(edited("method: even", "method: evenly"))[0]).toMatch(/allocation\.rules\[2\]\.method: expected method: direct, proportional, .*, got "evenly"/);
  });

  it("a billing mode outside the three", () => {
    expect(problemsOf(edited("billingMode: chargeback\n          projects:\n            - id: web", "billingMode: invoice\n          projects:\n            - id: web"))[0]).toContain(
      'org.units[0].teams[0].billingMode: expected showback, chargeback or auto, got "invoice"',
    );
  });

  it("duplicate team ids", () => {
    expect(problemsOf(edited("- id: catalog", "- id: payments")).join("\n")).toContain('org.units[0].teams[2].id: id "payments" is already used by team org.units[0].teams[1].id');
  });

  it("an alias that collides with another key", () => {
    expect(problemsOf(edited("aliases: [env, Environment]", "aliases: [env, Team]"))[0]).toContain('tags.required[2].aliases[1]: "Team" is already the key or an alias of tags.required[0] (team)');
  });

  it("a pattern that is not a regular expression, or needs a backtracking engine", () => {
    expect(problemsOf(edited("      values: [prod, staging, dev, sandbox]", '      pattern: "([a-z"'))[0]).toContain('tags.required[2].pattern: expected a pattern allot can run, got "([a-z": missing closing ]');
    expect(problemsOf(edited("      values: [prod, staging, dev, sandbox]", '      pattern: "(?=p)prod"'))[0]).toContain("(patterns run on RE2: no backreferences or lookaround)");
  });

  it("fixed shares that do not sum to 100, and a target not in org", () => {
    const text = edited("      method: even\n", "      method: fixed\n      shares: { checkout: 60, payments: 30.5, nobody: 10 }\n");
    const problems = problemsOf(text).join("\n");
    expect(problems).toContain('allocation.rules[2].shares.nobody: rule "observability": "nobody" is not a business unit, team or project in org');
    expect(problems).toContain('allocation.rules[2].shares: rule "observability": expected shares that sum to 100, got 100.5');
  });

  it("fixed shares that sum to 100 with decimals pass", () => {
    expect(() => parseCostModel(edited("      method: even\n", "      method: fixed\n      shares: { checkout: 33.3, payments: 33.3, catalog: 33.4 }\n"))).not.toThrow();
  });

  // Budgets are shown at the currency's minor unit; one finer would show rounded, and the teams' shown
  // budgets would no longer add up to their unit's.
  it("a budget finer than the currency's minor unit, and one written to it", () => {
    expect(problemsOf(edited("budget: 32000", "budget: 32000.005")).join("\n")).toMatch(/budget: 32000\.005 has more decimal places than USD has \(2\); write the budget to the USD minor unit, e.g\. 32000\.01/);
    expect(() => parseCostModel(edited("budget: 32000", "budget: 32000.05"))).not.toThrow();
    expect(problemsOf(edited("budget: 32000", "budget: 32000.5").replace("currency: USD", "currency: JPY")).join("\n")).toMatch(/32000\.5 has more decimal places than JPY has \(0\)/);
  });

  it("YAML syntax errors carry the line", () => {
    expect(problemsOf("currency: USD\ntags: [\n")[0]).toMatch(/^allot\.yaml:\d+:\d+: \(yaml\): .*fix the YAML syntax$/);
  });

  it("an empty file", () => {
    expect(problemsOf("")[0]).toBe("allot.yaml: (top level): the file is empty; expected currency, tags and org");
  });

  it("a missing file is a UserError that says which flag to fix", () => {
    expect(() => loadCostModel("/nonexistent/allot.yaml")).toThrowError(new UserError("/nonexistent/allot.yaml: cost model not found; pass --config with the path of your allot.yaml"));
  });
});

describe("the JSON Schema for editors", () => {
  it("is generated from the zod schema and committed up to date (npm run schema)", () => {
    expect(readFileSync(join(root, "model", "allot.schema.json"), "utf8")).toBe(costModelJsonSchema());
  });

  it("accepts the sample model and rejects an unknown key", () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(costModelJsonSchema()));
    expect(validate(parse(sample))).toBe(true);
    expect(validate({ ...parse(sample), budgetz: 1 })).toBe(false);
  });
});
