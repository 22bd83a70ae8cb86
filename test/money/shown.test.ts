// Amounts as people read them: every amount of the report at the currency's places, rounded once from the
// exact figure (a Kuwaiti org shows fils, three places; a Japanese one whole yen), the forecast's actual
// from exact decimals, not a float. Bills and orgs are written here; expected figures are recomputed with
// decimal.js over the rows the test wrote.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { allot, tempDir } from "../helpers";
import { sum, writeFocus, writeOrg, type BillRow } from "./bills";

interface Report {
  currency: string;
  summary: { total: string; budget: string; lastMonth: string | null; allocated: string; unallocated: string; overBudget: { team: string; over: string }[] };
  teams: { team: string; cost: string; budget: string; variance: string; lastMonth: string | null }[];
  units: { cost: string; budget: string; variance: string }[];
  composition: { category: string; cost: string }[];
  trend: { month: string; total: string; teams: Record<string, string> }[];
  forecast: { team: string; actual: string }[];
  recommendations: string[];
}

function report(dir: string, config: string, bill: string): { data: Report; md: string } {
  const out = join(dir, "report");
  const run = allot(["report", "--config", config, "--input", bill, "--out", out, "--format", "json,md", "--month", "2026-10", "--quiet"]);
  expect(run.code, run.stderr).toBe(0);
  return { data: JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as Report, md: readFileSync(join(out, "report.md"), "utf8") };
}

/** `value` rounded half away from zero to `places`, written with exactly that many. */
const at = (value: Decimal, places: number) => value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed(places);
const costOf = (rows: readonly BillRow[], pick: (r: BillRow) => boolean) => sum(rows.filter(pick).map((r) => r.cost));
const team = (t: string | undefined) => (r: BillRow) => r.tags?.team === t;
const inMonth = (m: string) => (r: BillRow) => (r.month ?? "2026-10") === m;
const both = (...tests: ((r: BillRow) => boolean)[]) => (r: BillRow) => tests.every((t) => t(r));

describe("a Kuwaiti org (KWD, three places)", () => {
  // Budgets are 100 each: b is over hers. Every figure has a fourth decimal to round, none ties.
  const rows: BillRow[] = [
    { cost: "10.1234", tags: { team: "a" }, currency: "KWD" },
    { cost: "5.0005", tags: { team: "a" }, currency: "KWD", category: "Storage", service: "Amazon S3" },
    { cost: "123.4561", tags: { team: "b" }, currency: "KWD" },
    { cost: "0.4442", currency: "KWD" },
    { cost: "7.0006", tags: { team: "a" }, currency: "KWD", month: "2026-09" },
    { cost: "91.2344", tags: { team: "b" }, currency: "KWD", month: "2026-09" },
    { cost: "2.1111", currency: "KWD", month: "2026-09" },
    { cost: "0.0007", tags: { team: "b" }, currency: "KWD", month: "2026-09", service: "Amazon S3", category: "Storage" },
  ];

  it("shows every amount at three places, rounded once from the exact sum", () => {
    const dir = tempDir();
    const { data, md } = report(dir, writeOrg(dir, "", "", "KWD"), writeFocus(dir, "bill.csv", rows));
    const now = rows.filter(inMonth("2026-10"));
    const before = rows.filter(inMonth("2026-09"));
    const total = costOf(now, () => true);
    const [a, b] = [costOf(now, team("a")), costOf(now, team("b"))];
    const [lastA, lastB] = [costOf(before, team("a")), costOf(before, team("b"))];
    expect(data.currency).toBe("KWD");
    expect(data.summary).toMatchObject({
      total: at(total, 3), budget: "200.000", lastMonth: at(costOf(before, () => true), 3),
      allocated: at(a.plus(b), 3), unallocated: at(costOf(now, team(undefined)), 3),
      overBudget: [{ team: "b", over: at(b.minus(100), 3) }],
    });
    expect(data.teams.map((t) => [t.team, t.cost, t.budget, t.variance, t.lastMonth])).toEqual([
      ["a", at(a, 3), "100.000", at(new Decimal(100).minus(a), 3), at(lastA, 3)],
      ["b", at(b, 3), "100.000", at(new Decimal(100).minus(b), 3), at(lastB, 3)],
    ]);
    expect(data.units).toEqual([expect.objectContaining({ cost: at(a.plus(b), 3), budget: "200.000" })]);
    // The categories partition the total: Compute 134.0237 and Storage 5.0005 would each round up (134.024 +
    // 5.001 = 139.025) past the total, 139.0242 shown 139.024; by largest remainder the unit goes to Compute's .0007.
    expect(at(costOf(now, (r) => r.category === undefined), 3)).toBe("134.024");
    expect(at(costOf(now, (r) => r.category === "Storage"), 3)).toBe("5.001");
    expect(Object.fromEntries(data.composition.map((c) => [c.category, c.cost]))).toEqual({ Compute: "134.024", Storage: "5.000" });
    expect(at(total, 3)).toBe("139.024");
    expect(data.trend).toEqual([
      { month: "2026-09", total: at(costOf(before, () => true), 3), teams: { a: at(lastA, 3), b: at(lastB, 3) } },
      { month: "2026-10", total: at(total, 3), teams: { a: at(a, 3), b: at(b, 3) } },
    ]);
    expect(data.forecast.map((f) => [f.team, f.actual])).toEqual([["a", at(a, 3)], ["b", at(b, 3)]]);
    expect(data.recommendations[0]).toContain(`(${at(b.minus(100), 3)} KWD over)`);
    // The Markdown writes the same figures with the code before them, and no amount at two places.
    expect(md).toContain(`**KWD ${at(total, 3)}**`);
    expect(md).toContain(`was KWD ${at(costOf(before, () => true), 3)}`);
    expect(md).not.toMatch(/KWD [\d,]+\.\d\d(?!\d)/);
  });

  it("must fail: the old two-place amounts (a total cut to fils it does not have) are not what it shows", () => {
    const dir = tempDir();
    const { data, md } = report(dir, writeOrg(dir, "", "", "KWD"), writeFocus(dir, "bill.csv", rows));
    const total = costOf(rows.filter(inMonth("2026-10")), () => true);
    expect(data.summary.total).not.toBe(total.toFixed(2));
    expect(md).not.toContain(`KWD ${new Decimal(total.toFixed(2)).toFixed(3)}`);
  });
});

describe("a Japanese org (JPY, no decimals)", () => {
  // a's month is 1,234.495 yen: 1,234 rounded once, 1,235 rounded to two places first (1,234.50).
  const rows: BillRow[] = [
    { cost: "1000.245", tags: { team: "a" }, currency: "JPY" },
    { cost: "234.25", tags: { team: "a" }, currency: "JPY" },
    { cost: "5000", tags: { team: "b" }, currency: "JPY" },
    { cost: "900.4", tags: { team: "a" }, currency: "JPY", month: "2026-09" },
    { cost: "4100.45", tags: { team: "b" }, currency: "JPY", month: "2026-09" },
  ];

  it("shows whole yen, rounded once: 1,234.495 is 1,234", () => {
    const dir = tempDir();
    const { data, md } = report(dir, writeOrg(dir, "", "", "JPY"), writeFocus(dir, "bill.csv", rows));
    const now = rows.filter(inMonth("2026-10"));
    const a = costOf(now, team("a"));
    expect(at(a, 0)).toBe("1234");
    expect(data.summary).toMatchObject({ total: at(costOf(now, () => true), 0), budget: "200", lastMonth: at(costOf(rows.filter(inMonth("2026-09")), () => true), 0) });
    expect(data.teams.find((t) => t.team === "a")).toMatchObject({ cost: "1234", budget: "100", variance: "-1134", lastMonth: at(costOf(rows, both(inMonth("2026-09"), team("a"))), 0) });
    expect(data.trend.at(-1)).toEqual({ month: "2026-10", total: at(costOf(now, () => true), 0), teams: { a: "1234", b: "5000" } });
    expect(data.forecast.find((f) => f.team === "a")!.actual).toBe("1234");
    expect(md).toContain(`**¥${Number(at(costOf(now, () => true), 0)).toLocaleString("en-US")}**`);
    // must fail: rounded twice, through two places, a's month would be 1,235.
    expect(data.summary.overBudget.find((o) => o.team === "a")!.over).toBe("1134");
    expect(md).not.toContain("¥1,235");
  });
});

describe("the forecast's actual", () => {
  it("is the team's exact cost shown once, not a float's: 1.005 is 1.01 (a double holds 1.00499…)", () => {
    const dir = tempDir();
    const rows: BillRow[] = [{ cost: "1.005", tags: { team: "a" } }, { cost: "2", tags: { team: "b" } }, { cost: "0.5", tags: { team: "a" }, month: "2026-09" }, { cost: "1", tags: { team: "b" }, month: "2026-09" }];
    const { data } = report(dir, writeOrg(dir, ""), writeFocus(dir, "bill.csv", rows));
    const a = costOf(rows.filter(inMonth("2026-10")), team("a"));
    expect(a.toFixed(2, Decimal.ROUND_HALF_UP)).toBe("1.01");
    expect((1.005).toFixed(2)).toBe("1.00");
    expect(data.forecast.find((f) => f.team === "a")!.actual).toBe(at(a, 2));
    expect(data.teams.find((t) => t.team === "a")!.cost).toBe(at(a, 2));
  });
});

describe("a change shown beside its two figures", () => {
  // S3 grows from 0.005 to 0.014 dollars: both show as 0.01, so the change shown is 0.00, not the exact 0.009
  // rounded on its own (0.01), which would read as 0.01 -> 0.01 changing by 0.01.
  it("is the shown 'to' less the shown 'from'", () => {
    const rows: BillRow[] = [
      { cost: "0.014", tags: { team: "a" }, service: "Amazon S3", category: "Storage" },
      { cost: "0.005", tags: { team: "a" }, service: "Amazon S3", category: "Storage", month: "2026-09" },
      { cost: "20", tags: { team: "b" } },
      { cost: "10", tags: { team: "b" }, month: "2026-09" },
    ];
    const dir = tempDir();
    const data = report(dir, writeOrg(dir, "", ""), writeFocus(dir, "bill.csv", rows)).data as Report & { summary: { topDrivers: { service: string; from: string; to: string; change: string }[] } };
    const s3 = data.summary.topDrivers.find((d) => d.service === "Amazon S3")!;
    const [from, to] = [at(new Decimal("0.005"), 2), at(new Decimal("0.014"), 2)];
    expect(s3).toEqual({ service: "Amazon S3", from, to, change: new Decimal(to).minus(from).toFixed(2) });
    expect(s3.change).toBe("0.00");
  });
});

describe("the compliance command's tables", () => {
  it("show each table's rows so they add up to the usage in the headline, with what the rows left out are worth", () => {
    const dir = tempDir();
    // Twelve accounts of $0.335 each: rounded alone every row reads $0.34, twelve of them $4.08 of a $4.02 month.
    const rows: BillRow[] = Array.from({ length: 12 }, (_, i) => ({ cost: "0.335", tags: { team: i % 2 ? "a" : "b" }, account: `acct-${String(i).padStart(2, "0")}` }));
    const run = allot(["compliance", "--config", writeOrg(dir, ""), "--input", writeFocus(dir, "bill.csv", rows), "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    const usage = sum(rows.map((r) => r.cost));
    expect(run.stdout).toContain(`of $${usage.toFixed(2)};`);
    const byAccount = run.stdout.split("By account\n")[1]!.split("\n\n")[0]!.split("\n").slice(2);
    const dollars = (line: string) => new Decimal(/\$(\d+\.\d\d)/.exec(line)![1]!);
    const shown = byAccount.filter((l) => l.startsWith("acct-")).map(dollars);
    expect(shown).toHaveLength(10);
    expect(byAccount.at(-1)).toMatch(/^\(2 more, usage \$\d+\.\d\d\)$/);
    expect(sum([...shown, dollars(byAccount.at(-1)!)]).toFixed(2)).toBe(usage.toFixed(2));
    // Each row within a cent of its own $0.335.
    for (const s of shown) expect(s.minus("0.335").abs().lessThan("0.01")).toBe(true);
  });
});
