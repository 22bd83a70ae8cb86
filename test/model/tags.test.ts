import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateTags, normalizeTags, parseCostModel } from "../../model";

const model = parseCostModel(readFileSync(join(__dirname, "..", "..", "allot.yaml"), "utf8"));
const good = { team: "payments", "cost-center": "CC-1200", environment: "prod" };
const judge = (tags: Record<string, unknown>) => evaluateTags(model.tags, Object.entries(tags)).findings;

describe("normalizeTags", () => {
  it("resolves aliases to the canonical key and trims keys and values", () => {
    const tags = normalizeTags(model.tags, Object.entries({ Team: " payments ", " costcenter": "CC-1200", env: "prod", app: " x " }));
    expect(Object.fromEntries(tags)).toEqual({ team: "payments", "cost-center": "CC-1200", environment: "prod", app: "x" });
  });

  it("prefers the canonical key over an alias, and a non-empty value over an empty one", () => {
    expect(normalizeTags(model.tags, [["Team", "catalog"], ["team", "payments"]]).get("team")).toBe("payments");
    expect(normalizeTags(model.tags, [["team", ""], ["Team", "catalog"]]).get("team")).toBe("catalog");
    expect(normalizeTags(model.tags, [["owner-team", "data"], ["Team", "catalog"]]).get("team")).toBe("catalog");
  });

  it("turns null and numbers into text", () => {
    expect(Object.fromEntries(normalizeTags(model.tags, [["team", null], ["size", 3]]))).toEqual({ team: "", size: "3" });
  });
});

describe("required tag rules", () => {
  it("compliant: every required key with a valid value", () => {
    expect(judge(good)).toEqual([]);
  });

  it("missing key", () => {
    const { team: _, ...rest } = good;
    expect(judge(rest)).toEqual([{ key: "team", problem: "missing" }]);
  });

  it("empty value", () => {
    expect(judge({ ...good, team: "  " })).toEqual([{ key: "team", problem: "empty" }]);
  });

  it("values: org.teams accepts a team and rejects a retired one", () => {
    expect(judge({ ...good, team: "data" })).toEqual([]);
    expect(judge({ ...good, team: "search" })).toEqual([{ key: "team", problem: "invalid", value: "search", expected: "a team in org" }]);
  });

  it("values: org.costCenters accepts unit, team and rejects unknown codes", () => {
    expect(judge({ ...good, "cost-center": "CC-1000" })).toEqual([]);
    expect(judge({ ...good, "cost-center": "CC-9999" })[0]).toMatchObject({ key: "cost-center", problem: "invalid" });
  });

  it("values: a list accepts its members only, case-sensitively", () => {
    expect(judge({ ...good, environment: "staging" })).toEqual([]);
    expect(judge({ ...good, environment: "Prod" })).toEqual([{ key: "environment", problem: "invalid", value: "Prod", expected: "one of prod, staging, dev, sandbox" }]);
  });

  it("pattern: the whole value must match", () => {
    const patterned = parseCostModel(readFileSync(join(__dirname, "..", "..", "allot.yaml"), "utf8").replace("      values: [prod, staging, dev, sandbox]", '      pattern: "prod|dev"'));
    expect(evaluateTags(patterned.tags, [...Object.entries(good)]).findings).toEqual([]);
    expect(evaluateTags(patterned.tags, [...Object.entries({ ...good, environment: "production" })]).findings[0]).toMatchObject({ problem: "invalid", expected: "a value matching /prod|dev/" });
  });

  it("exemptions: accounts and resource-type globs", () => {
    expect(model.tags.isExempt({ account: "444455556666" })).toBe(true);
    expect(model.tags.isExempt({ type: "aws:iam/role:Role" })).toBe(true);
    expect(model.tags.isExempt({ type: "aws:ec2/instance:Instance", account: "222233334444" })).toBe(false);
    expect(model.tags.isExempt({})).toBe(false);
  });
});
