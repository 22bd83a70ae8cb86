// Decisions on exact shares, percentages rounded once: a team in auto mode earns chargeback when its
// exact tag compliance reaches the threshold (79.996% does not reach 80, though it reads 80.00%), and
// --fail-under decides the same way; the terminal and the report show each percentage as it was rounded
// (80.249% is 80.25%, never 80.3% by a second rounding). The org (a river survey institute with four field
// stations, two required tags) and its bills are written here; shares are recomputed with decimal.js.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { allot, tempDir } from "../helpers";
import { sum, writeFocus, type BillRow } from "./bills";

function writeInstitute(dir: string): string {
  const file = join(dir, "allot.yaml");
  writeFileSync(file, `version: 1
currency: USD
tags:
  required:
    - { key: station, values: org.teams }
    - { key: stage, values: [field, lab] }
compliance:
  chargebackThreshold: 80
org:
  defaultBillingMode: auto
  units:
    - id: survey
      teams:
        - { id: north, owner: n@river.example, costCenter: RS-N, budget: 500 }
        - { id: south, owner: s@river.example, costCenter: RS-S, budget: 500 }
        - { id: east, owner: e@river.example, costCenter: RS-E, budget: 500 }
        - { id: west, owner: w@river.example, costCenter: RS-W, budget: 500 }
allocation:
  rules:
    - { name: by-station, method: direct, keys: [station] }
`);
  return file;
}

/** A station's month: `compliant` dollars with both tags, the rest of 100 without its stage. */
const station = (id: string, compliant: string): BillRow[] => [
  { cost: compliant, tags: { station: id, stage: "field" }, resource: `${id}-ok` },
  { cost: new Decimal(100).minus(compliant).toFixed(), tags: { station: id }, resource: `${id}-untagged` },
];

const rows: BillRow[] = [
  ...station("north", "79.996"), // reads 80.00%, is below 80
  ...station("south", "80"), // exactly at the threshold
  ...station("east", "79.99999999999999"), // below by 1e-14
  ...station("west", "80.249"), // 80.25% rounded once, 80.3% rounded twice
];

/** Each station's share of compliant usage cost, exact, from the rows written. */
const shareOf = (id: string, of: readonly BillRow[] = rows) => {
  const own = of.filter((r) => r.tags?.station === id);
  return sum(own.filter((r) => r.tags?.stage).map((r) => r.cost)).times(100).dividedBy(sum(own.map((r) => r.cost)));
};
const earns = (id: string) => (shareOf(id).greaterThanOrEqualTo(80) ? "chargeback" : "showback");
const shown = (pct: Decimal) => `${pct.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)}%`;
const stations = ["north", "south", "east", "west"];

describe("the billing mode a team earns", () => {
  it("is decided on the exact share: at the threshold earns chargeback, below it by any amount does not", () => {
    expect(stations.map(earns)).toEqual(["showback", "chargeback", "showback", "chargeback"]);
    const dir = tempDir();
    const config = writeInstitute(dir);
    const bill = writeFocus(dir, "bill.csv", rows);

    const json = allot(["compliance", "--config", config, "--input", bill, "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const teams = (JSON.parse(json.stdout) as { teams: { team: string; earns: string; compliancePct: number | null }[] }).teams;
    expect(teams.map((t) => [t.team, t.earns, t.compliancePct])).toEqual(stations.map((s) => [s, earns(s), shareOf(s).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber()]));

    const cb = allot(["chargeback", "--config", config, "--input", bill, "--out", join(dir, "cb")]);
    expect(cb.code, cb.stderr).toBe(0);
    const invoices = (JSON.parse(readFileSync(join(dir, "cb", "invoices.json"), "utf8")) as { invoices: { party: string; mode: string }[] }).invoices;
    expect(stations.map((s) => invoices.find((i) => i.party === s)!.mode)).toEqual(stations.map(earns));

    const report = allot(["report", "--config", config, "--input", bill, "--out", join(dir, "report"), "--format", "json,md", "--quiet"]);
    expect(report.code, report.stderr).toBe(0);
    const data = JSON.parse(readFileSync(join(dir, "report", "report.json"), "utf8")) as { teams: { team: string; earns: string }[]; invoices: { party: string; mode: string }[] };
    expect(data.teams.map((t) => [t.team, t.earns])).toEqual(stations.map((s) => [s, earns(s)]));
    expect(stations.map((s) => data.invoices.find((i) => i.party === s)!.mode)).toEqual(stations.map(earns));
  });

  it("must fail: north's 79.996% shows as 80.00% and still earns showback", () => {
    expect(shown(shareOf("north"))).toBe("80.00%");
    const dir = tempDir();
    const json = allot(["compliance", "--config", writeInstitute(dir), "--input", writeFocus(dir, "bill.csv", rows), "--json"]);
    const north = (JSON.parse(json.stdout) as { teams: { team: string; earns: string; compliancePct: number }[] }).teams.find((t) => t.team === "north")!;
    expect(north).toEqual({ team: "north", billingMode: "auto", earns: "showback", compliancePct: 80 });
    // Beside its mode the share that reads as the bar says it is below it, on the terminal as in the report.
    const text = allot(["compliance", "--config", writeInstitute(dir), "--input", join(dir, "bill.csv"), "--quiet"]);
    expect(text.stdout).toMatch(/north\s+auto\s+showback\s+80\.00% \(below 80% unrounded\)/);
    const out = join(dir, "report");
    expect(allot(["report", "--config", join(dir, "allot.yaml"), "--input", join(dir, "bill.csv"), "--out", out, "--format", "md", "--quiet"]).code).toBe(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("auto → showback | 80.00% (below 80% unrounded)");
  });
});

describe("--fail-under", () => {
  it("fails a month just below the bar though it reads as at it, in the words the team table uses", () => {
    const dir = tempDir();
    const north = station("north", "79.996");
    const run = allot(["compliance", "--config", writeInstitute(dir), "--input", writeFocus(dir, "bill.csv", north), "--fail-under", "80", "--quiet"]);
    expect(run.code).toBe(1);
    const exact = shareOf("north", north);
    expect(exact.lessThan(80)).toBe(true);
    expect(run.stderr).toContain(`allot: compliance ${exact.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)}% (below 80% unrounded) is below --fail-under 80%\n`);
  });

  it("passes a month exactly at the bar", () => {
    const dir = tempDir();
    const run = allot(["compliance", "--config", writeInstitute(dir), "--input", writeFocus(dir, "bill.csv", station("south", "80")), "--fail-under", "80", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("below --fail-under");
  });
});

describe("percentages in the terminal and the report", () => {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  it("are rounded once from the exact share: 80.249% is 80.25%, not 80.3%", () => {
    const dir = tempDir();
    const config = writeInstitute(dir);
    const bill = writeFocus(dir, "bill.csv", rows);
    const text = allot(["compliance", "--config", config, "--input", bill, "--quiet"]);
    expect(text.code, text.stderr).toBe(0);
    for (const s of stations) {
      // The "By team" row and the "Billing mode earned" row both end in the share rounded once.
      expect(text.stdout).toMatch(new RegExp(`^${s}\\s.*\\s${escape(shown(shareOf(s)))}$`, "m"));
      // (a share that reads as the bar while below it says so: north's 79.996%)
      const below = earns(s) === "showback" && shown(shareOf(s)) === "80.00%" ? " \\(below 80% unrounded\\)" : "";
      expect(text.stdout).toMatch(new RegExp(`^${s}\\s+auto\\s+${earns(s)}\\s+${escape(shown(shareOf(s)))}${below}$`, "m"));
    }
    expect(shown(shareOf("west"))).toBe("80.25%");
    expect(text.stdout).not.toContain("80.3%");

    const usage = sum(rows.map((r) => r.cost));
    const tagged = sum(rows.filter((r) => r.tags?.stage).map((r) => r.cost));
    expect(text.stdout).toContain(`${shown(tagged.times(100).dividedBy(usage))} of usage cost is compliant`);

    const report = allot(["report", "--config", config, "--input", bill, "--out", join(dir, "report"), "--format", "md"]);
    expect(report.code, report.stderr).toBe(0);
    const md = readFileSync(join(dir, "report", "report.md"), "utf8");
    for (const s of stations) expect(md).toContain(`| auto → ${earns(s)} | ${shown(shareOf(s))}${earns(s) === "showback" && shown(shareOf(s)) === "80.00%" ? " (below 80% unrounded)" : ""} |`);
    expect(md).not.toContain("80.3%");
    expect(report.stdout).toContain(`${shown(tagged.times(100).dividedBy(usage))} of usage tagged`);
  });
});
