import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { judgeBillTags, judgeTags, normalizeTags, parseCostModel } from "../../model";

const model = parseCostModel(readFileSync(join(__dirname, "..", "..", "allot.yaml"), "utf8"));
const good = { team: "payments", "cost-center": "CC-1200", environment: "prod" };
const judge = (tags: Record<string, unknown>) => judgeBillTags(model.tags, "aws", Object.entries(tags)).findings;

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
    expect(judge({ ...good, team: "search" })).toEqual([{ key: "team", problem: "invalid", value: "search", secret: false, expected: "a team in org" }]);
  });

  it("values: org.costCenters accepts unit, team and rejects unknown codes", () => {
    expect(judge({ ...good, "cost-center": "CC-1000" })).toEqual([]);
    expect(judge({ ...good, "cost-center": "CC-9999" })[0]).toMatchObject({ key: "cost-center", problem: "invalid" });
  });

  it("values: a list accepts its members only, case-sensitively", () => {
    expect(judge({ ...good, environment: "staging" })).toEqual([]);
    expect(judge({ ...good, environment: "Prod" })).toEqual([{ key: "environment", problem: "invalid", value: "Prod", secret: false, expected: "one of prod, staging, dev, sandbox", suggestion: "prod" }]);
  });

  it("pattern: the whole value must match", () => {
    const patterned = parseCostModel(readFileSync(join(__dirname, "..", "..", "allot.yaml"), "utf8").replace("      values: [prod, staging, dev, sandbox]", '      pattern: "prod|dev"'));
    expect(judgeBillTags(patterned.tags, "aws", Object.entries(good)).findings).toEqual([]);
    expect(judgeBillTags(patterned.tags, "aws", Object.entries({ ...good, environment: "production" })).findings[0]).toMatchObject({ problem: "invalid", expected: "a value matching /prod|dev/" });
  });

  it("exemptions: accounts and resource-type globs", () => {
    expect(model.tags.isExempt({ account: "444455556666" })).toBe(true);
    expect(model.tags.isExempt({ type: "aws:iam/role:Role" })).toBe(true);
    expect(model.tags.isExempt({ type: "aws:ec2/instance:Instance", account: "222233334444" })).toBe(false);
    expect(model.tags.isExempt({})).toBe(false);
  });
});

describe("the one verdict: judgeTags", () => {
  const known = (tags: Record<string, string>) => Object.entries(tags).map(([k, v]) => [k, { state: "known" as const, value: v }] as const);
  const verdict = (tags: Record<string, string>, mode: "bill" | "deploy", cloud: "aws" | "gcp" | "azure" = "aws") => judgeTags(model.tags, { mode, cloud, entries: known(tags) });

  it("trims surrounding whitespace in keys and values, in the bill and at deploy time alike", () => {
    const padded = { " team": " payments ", "cost-center": "CC-1200 ", environment: "prod" };
    expect(verdict(padded, "bill").status).toBe("compliant");
    expect(verdict(padded, "deploy").status).toBe("compliant");
    expect(verdict({ ...good, team: "   " }, "deploy").findings).toEqual([{ key: "team", problem: "empty" }]);
  });

  it("bill mode accepts aliases and case variants of keys; deploy mode names them as near misses", () => {
    const aliased = { Team: "payments", costcenter: "CC-1200", environment: "prod" };
    expect(verdict(aliased, "bill").status).toBe("compliant");
    const deploy = verdict(aliased, "deploy");
    expect(deploy.status).toBe("non-compliant");
    expect(deploy.findings).toEqual([
      { key: "team", problem: "missing", nearMiss: "Team" },
      { key: "cost-center", problem: "missing", nearMiss: "costcenter" },
    ]);
  });

  it("on GCP, org ids, allowed values and patterns match without regard to case, read back in the standard's spelling", () => {
    const lower = { team: "payments", "cost-center": "cc-1200", environment: "prod" };
    const gcp = verdict(lower, "deploy", "gcp");
    expect(gcp.status).toBe("compliant");
    expect(gcp.tags.get("cost-center")).toBe("CC-1200");
    expect(verdict(lower, "bill", "gcp").status).toBe("compliant");
    // Elsewhere the case is the value's own: cc-1200 is not a cost center on AWS or Azure.
    expect(verdict(lower, "deploy", "aws").findings[0]).toMatchObject({ key: "cost-center", problem: "invalid", suggestion: "CC-1200" });
    expect(verdict(lower, "bill", "azure").status).toBe("non-compliant");
    const patterned = parseCostModel(readFileSync(join(__dirname, "..", "..", "allot.yaml"), "utf8").replace("      values: [prod, staging, dev, sandbox]", '      pattern: "PROD|DEV"'));
    expect(judgeTags(patterned.tags, { mode: "deploy", cloud: "gcp", entries: known(lower) }).status).toBe("compliant");
    expect(judgeTags(patterned.tags, { mode: "deploy", cloud: "aws", entries: known(good) }).status).toBe("non-compliant");
  });

  it("is not applicable to exempt types and accounts, and unknown while a deciding value is unknown", () => {
    expect(judgeTags(model.tags, { mode: "deploy", resourceType: "aws:iam/role:Role", entries: [] }).status).toBe("not-applicable");
    expect(judgeTags(model.tags, { mode: "bill", account: "444455556666", entries: [] }).status).toBe("not-applicable");
    const unknown = judgeTags(model.tags, { mode: "deploy", cloud: "aws", entries: [...known({ team: "payments", environment: "prod" }), ["cost-center", { state: "unknown" }]] });
    expect(unknown).toMatchObject({ status: "unknown", unknown: ["cost-center"], findings: [] });
    expect(judgeTags(model.tags, { mode: "deploy", cloud: "aws", entries: [], unknownCollection: true })).toMatchObject({ status: "unknown", findings: [] });
    // A finding decides even when another value is unknown.
    const both = judgeTags(model.tags, { mode: "deploy", cloud: "aws", entries: [...known({ team: "nobody", environment: "prod" }), ["cost-center", { state: "unknown" }]] });
    expect(both.status).toBe("non-compliant");
  });
});
