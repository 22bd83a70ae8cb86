// Team aliases and cost centers: which values in a bill name a team, and the config errors that keep that
// answer unique. The org is a small clinic network, unlike the sample's retailer.
import { describe, expect, it } from "vitest";
import { ConfigError, judgeTags, ownerResolver, parseCostModel, type TagValue } from "../../model";

const org = (teams: string, units = "") => `version: 1
currency: EUR
tags:
  required:
    - { key: team, aliases: [department], values: org.teams }
org:
  units:
    - id: clinics
      teams:
${teams}
${units}`;

const radiology = "        - { id: radiology, owner: r@clinic.example, costCenter: KST-410, budget: 900, aliases: [RadiologyNord, Röntgen] }";
const lab = "        - { id: lab, owner: l@clinic.example, costCenter: KST-420, budget: 500 }";

function problemsOf(text: string): string {
  try {
    parseCostModel(text, "allot.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the model to be rejected");
}

const known = (value: string): [string, TagValue] => ["team", { state: "known", value }];

describe("team aliases in the bill", () => {
  const model = parseCostModel(org(`${radiology}\n${lab}`));
  const bill = (value: string, cloud: "aws" | "gcp" = "aws") => judgeTags(model.tags, { mode: "bill", cloud, entries: [known(value)] });

  it("an alias or the id in any case names the team, and reads back as its id", () => {
    for (const value of ["radiology", "Radiology", "RADIOLOGY", "RadiologyNord", "radiologynord", "RADIOLOGYNORD", " RadiologyNord ", "röntgen", "RÖNTGEN"]) {
      const verdict = bill(value);
      expect(verdict.status, value).toBe("compliant");
      expect(verdict.tags.get("team"), value).toBe("radiology");
    }
  });

  it("must fail: a value that is no id or alias names no team, and the closest team is suggested", () => {
    const verdict = bill("RadiologyNorth");
    expect(verdict.status).toBe("non-compliant");
    expect(verdict.findings[0]).toMatchObject({ problem: "invalid", value: "RadiologyNorth" });
    expect(bill("Lab-2").status).toBe("non-compliant");
    expect(bill("").status).toBe("non-compliant");
  });

  it("at deploy time the id is asked for, and an alias is named as a near miss with the team it stands for", () => {
    const deploy = (value: string) => judgeTags(model.tags, { mode: "deploy", cloud: "aws", entries: [known(value)] });
    expect(deploy("radiology").status).toBe("compliant");
    expect(deploy("RadiologyNord").findings).toEqual([expect.objectContaining({ problem: "invalid", value: "RadiologyNord", suggestion: "radiology" })]);
    expect(deploy("Radiology").findings).toEqual([expect.objectContaining({ problem: "invalid", suggestion: "radiology" })]);
  });

  it("the owner resolver takes aliases for keys outside the standard too", () => {
    const owner = ownerResolver(model, ["cost-owner"]);
    expect(owner(new Map([["cost-owner", "RADIOLOGYNORD"]]), "aws", "Usage")).toEqual({ team: "radiology" });
    expect(owner(new Map([["cost-owner", "KST-420"]]), "aws", "Usage")).toEqual({ team: "lab" });
    expect(owner(new Map([["cost-owner", "kst-420"]]), "aws", "Usage")).toEqual({ reason: 'cost-owner "kst-420" names no team' });
    expect(owner(new Map([["cost-owner", "constructor"]]), "aws", "Usage")).toEqual({ reason: 'cost-owner "constructor" names no team' });
  });

  it("hostile aliases: empty, too long, or named like Object.prototype's members", () => {
    expect(problemsOf(org(`        - { id: lab, owner: l@clinic.example, costCenter: KST-420, budget: 500, aliases: ["  "] }`))).toMatch(/org\.units\[0\]\.teams\[0\]\.aliases\[0\]: expected a non-empty string/);
    expect(problemsOf(org(`        - { id: lab, owner: l@clinic.example, costCenter: KST-420, budget: 500, aliases: ["${"x".repeat(257)}"] }`))).toMatch(/aliases\[0\]: expected an alias of at most 256 characters/);
    const proto = parseCostModel(org(`        - { id: lab, owner: l@clinic.example, costCenter: KST-420, budget: 500, aliases: [__proto__, toString] }`));
    expect(judgeTags(proto.tags, { mode: "bill", entries: [known("__PROTO__")] }).tags.get("team")).toBe("lab");
    expect(judgeTags(proto.tags, { mode: "bill", entries: [known("valueOf")] }).status).toBe("non-compliant");
  });
});

describe("what names a team names one team only", () => {
  it("must pass: distinct cost centers and aliases, and an alias that is the team's own id in another case", () => {
    const model = parseCostModel(org(`${radiology}\n        - { id: lab, owner: l@clinic.example, costCenter: KST-420, budget: 500, aliases: [LAB, Labor] }`));
    expect(model.teams.get("lab")?.aliases).toEqual(["LAB", "Labor"]);
  });

  it("two teams sharing a cost center is an error naming both teams and the key", () => {
    const message = problemsOf(org(`${radiology}\n        - { id: lab, owner: l@clinic.example, costCenter: KST-410, budget: 500 }`));
    expect(message).toMatch(/org\.units\[0\]\.teams\[1\]\.costCenter: teams "radiology" and "lab" share cost center "KST-410"/);
  });

  it("a cost center shared in another case, or across units, is an error too", () => {
    expect(problemsOf(org(`${radiology}\n        - { id: lab, owner: l@clinic.example, costCenter: kst-410, budget: 500 }`))).toMatch(/teams "radiology" and "lab" share cost center "kst-410"/);
    const units = "    - id: admin\n      teams:\n        - { id: billing, owner: b@clinic.example, costCenter: KST-410, budget: 100 }\n";
    expect(problemsOf(org(radiology, units))).toMatch(/org\.units\[1\]\.teams\[0\]\.costCenter: teams "radiology" and "billing" share cost center "KST-410"/);
  });

  it("a cost center spelled like a unit's id is fine, unless two teams share it; like another team's id it is an error", () => {
    expect(parseCostModel(org(`        - { id: lab, owner: l@clinic.example, costCenter: Clinics, budget: 500 }`)).teams.get("lab")?.costCenter).toBe("Clinics");
    expect(problemsOf(org(`        - { id: lab, owner: l@clinic.example, costCenter: clinics, budget: 500 }\n        - { id: xray, owner: x@clinic.example, costCenter: CLINICS, budget: 500 }`)))
      .toMatch(/org\.units\[0\]\.teams\[1\]\.costCenter: teams "lab" and "xray" share cost center "CLINICS"/);
    expect(problemsOf(org(`${radiology}\n        - { id: lab, owner: l@clinic.example, costCenter: RADIOLOGY, budget: 500 }`)))
      .toMatch(/cost center "RADIOLOGY" of team "lab" already names team "radiology" \(its id\)/);
  });

  it("a project's cost center names its team: it must be no other team's cost center, id, project or alias", () => {
    const project = (costCenter: string, aliases = "") =>
      org(`${radiology.replace("] }", `${aliases}], projects: [{ id: pacs, costCenter: ${costCenter} }] }`)}\n${lab.replace(" }", ", projects: [{ id: lims }] }")}`);
    // Must pass: its own team's cost center, or a code of its own (which then names radiology in the bill).
    for (const ok of ["KST-410", "KST-411"]) expect(parseCostModel(project(ok)).projects.get("pacs")?.costCenter, ok).toBe(ok);
    expect(ownerResolver(parseCostModel(project("KST-411")), ["team"])(new Map([["team", "KST-411"]]), "aws", "Usage")).toEqual({ team: "radiology" });
    // Must fail: it would name another team.
    expect(problemsOf(project("kst-420"))).toMatch(
      /org\.units\[0\]\.teams\[0\]\.projects\[0\]\.costCenter: cost center "kst-420" of project "pacs" \(team "radiology"\) already names team "lab" \(its cost center\), without regard to case; .* or leave it out to use team "radiology"'s/,
    );
    expect(problemsOf(project("LAB"))).toMatch(/cost center "LAB" of project "pacs" \(team "radiology"\) already names team "lab" \(its id\)/);
    expect(problemsOf(project("Lims"))).toMatch(/cost center "Lims" of project "pacs" \(team "radiology"\) already names team "lab" \(its project "lims"\)/);
    // Two teams' projects sharing a cost center.
    const shared = org(`${radiology.replace("] }", "], projects: [{ id: pacs, costCenter: P-1 }] }")}\n${lab.replace(" }", ", projects: [{ id: lims, costCenter: p-1 }] }")}`);
    expect(problemsOf(shared)).toMatch(/teams\[1\]\.projects\[0\]\.costCenter: cost center "p-1" of project "lims" \(team "lab"\) already names team "radiology" \(its cost center\)/);
    // An alias that is another team's project cost center.
    const aliased = org(`${radiology.replace("] }", "], projects: [{ id: pacs, costCenter: P-1 }] }")}\n${lab.replace(" }", ", aliases: [p-1] }")}`);
    expect(problemsOf(aliased)).toMatch(/alias "p-1" of team "lab" already names team "radiology" \(its cost center\)/);
  });

  it("two teams with the same alias, in any case, is an error naming both teams", () => {
    const message = problemsOf(org(`${radiology}\n        - { id: lab, owner: l@clinic.example, costCenter: KST-420, budget: 500, aliases: [radiologynord] }`));
    expect(message).toMatch(/org\.units\[0\]\.teams\[1\]\.aliases\[0\]: alias "radiologynord" of team "lab" already names team "radiology" \(its alias "RadiologyNord"\)/);
  });

  it("an alias that is another team's id, project, cost center or a unit's id is an error", () => {
    const alias = (aliases: string) => problemsOf(org(`${radiology}\n        - { id: lab, owner: l@clinic.example, costCenter: KST-420, budget: 500, aliases: [${aliases}] }`));
    expect(alias("Radiology")).toMatch(/alias "Radiology" of team "lab" already names team "radiology" \(its id\)/);
    expect(alias("kst-410")).toMatch(/alias "kst-410" of team "lab" already names team "radiology" \(its cost center\)/);
    expect(alias("CLINICS")).toMatch(/alias "CLINICS" of team "lab" already names business unit "clinics"/);
    const withProject = org(`        - { id: radiology, owner: r@clinic.example, costCenter: KST-410, budget: 900, projects: [{ id: pacs }] }\n        - { id: lab, owner: l@clinic.example, costCenter: KST-420, budget: 500, aliases: [PACS] }`);
    expect(problemsOf(withProject)).toMatch(/alias "PACS" of team "lab" already names team "radiology" \(its project "pacs"\)/);
  });
});
