// Inputs that hold the same charges in other bytes are refused, naming both; parts of one month are read
// together; Azure actual and amortized exports of the same charges: the one costBasis needs is read and
// stderr says so. Totals recomputed with Decimal from the rows the test wrote or the raw files.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { allot, root, sharedData, tempDir } from "../helpers";
import { readCsv, sum, writeFocus, writeOrg, type BillRow } from "./bills";

const azure = join(sharedData, "azure-cost-details");
const actualFile = join(azure, "EA_ActualCost_Small.csv");
const amortizedFile = join(azure, "EA_AmortizedCost_Small.csv");

/** A file's Cost column summed with Decimal, each cell taken to the 18 places allot reads (rounded half up; allot says what it cut). */
const csvCost = (file: string) => sum(readCsv(readFileSync(file, "utf8")).map((r) => new Decimal(r.Cost!).toDecimalPlaces(18, Decimal.ROUND_HALF_UP)));

/** Twelve rows of one account and month that differ only in resource and day, like an hourly export's. */
const monthRows = (prefix: string, from: number): BillRow[] =>
  Array.from({ length: 12 }, (_, i) => ({ cost: ["0.0416", "1.25", "0.000125"][i % 3]!, day: String(from + (i % 10)).padStart(2, "0"), resource: `${prefix}-${i}`, tags: { team: i % 2 ? "a" : "b" } }));

/** The same bill with its columns in reverse order and no quotes (the values hold no commas). */
function reordered(source: string, target: string): string {
  const lines = readCsv(readFileSync(source, "utf8"));
  const header = Object.keys(lines[0]!).reverse();
  const esc = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  writeFileSync(target, `${header.join(",")}\r\n${lines.map((l) => header.map((h) => esc(l[h]!)).join(",")).join("\r\n")}\r\n`);
  return target;
}

async function toParquet(source: string, target: string): Promise<string> {
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  await db.run(`COPY (SELECT * FROM read_csv('${source}', all_varchar = true)) TO '${target}' (FORMAT parquet)`);
  db.closeSync();
  instance.closeSync();
  return target;
}

describe("inputs that hold the same charges", () => {
  it("the same rows with other bytes (columns reordered, other quoting, CRLF; or as Parquet) are refused, naming both files", async () => {
    const dir = tempDir();
    const config = writeOrg(dir, "");
    const bill = writeFocus(dir, "oct.csv", monthRows("i", 1));
    for (const twin of [reordered(bill, join(dir, "oct-copy.csv")), await toParquet(bill, join(dir, "oct.parquet"))]) {
      const run = allot(["allocate", "--config", config, "--input", bill, twin, "--json"]);
      expect(run.code, run.stderr).toBe(2);
      const [first, second] = [bill, twin].sort();
      expect(run.stderr).toContain(`allot: ${first} and ${second} hold the same charges: 12 of the 12 rows`);
      expect(run.stderr).toContain("(focus, account 111111111111, 2026-10); pass only one of them");
    }
  });

  it("two parts of one month (same account and period, other rows) are read together, each row once", () => {
    const dir = tempDir();
    const config = writeOrg(dir, "");
    const one = monthRows("i", 1);
    const two = monthRows("j", 11);
    const run = allot(["allocate", "--config", config, "--input", writeFocus(dir, "part-1.csv", one), writeFocus(dir, "part-2.csv", two), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { totalCost: string }).totalCost).toBe(sum([...one, ...two].map((r) => r.cost)).toFixed());
  });

  it("must fail: parts sharing a few rows, under half the smaller one's, are not refused (an export can repeat a line)", () => {
    const dir = tempDir();
    const config = writeOrg(dir, "");
    const one = monthRows("i", 1);
    const two = [...monthRows("j", 11), ...one.slice(0, 5)];
    const run = allot(["allocate", "--config", config, "--input", writeFocus(dir, "part-1.csv", one), writeFocus(dir, "part-2.csv", two), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { totalCost: string }).totalCost).toBe(sum([...one, ...two].map((r) => r.cost)).toFixed());
  });
});

/** An org of the Azure sample's tenant: two teams by the `org` tag, on the given cost basis. */
function azureOrg(dir: string, costBasis: string): string {
  const file = join(dir, "allot.yaml");
  writeFileSync(file, `version: 1
currency: USD
costBasis: ${costBasis}
tags:
  required:
    - { key: org, values: org.teams }
org:
  units:
    - id: research
      teams:
        - { id: trey, owner: finops@trey.example, costCenter: "1234", budget: 500 }
        - { id: contoso, owner: cloud@contoso.example, costCenter: SubACM, budget: 50 }
allocation:
  rules:
    - { name: owned, method: direct, keys: [org] }
`);
  return file;
}

describe("Azure actual and amortized exports of the same charges", () => {
  /** The real amortized sample without the one subscription the actual sample lacks (73c0...), so the actual one covers it. */
  function amortizedOfActualAccounts(dir: string): string {
    const lines = readFileSync(amortizedFile, "utf8").split(/\r?\n/);
    const file = join(dir, "amortized-of-actual-accounts.csv");
    writeFileSync(file, lines.filter((l, i) => i === 0 || (l !== "" && !l.includes("73c0021f-a37d-433f-8baa-7450cb54eea6"))).join("\n"));
    return file;
  }

  for (const [basis, chosenOf, otherOf, kind] of [
    ["EffectiveCost", () => amortizedFile, () => actualFile, "amortized"],
    ["BilledCost", () => actualFile, amortizedOfActualAccounts, "actual"],
  ] as const) {
    it(`costBasis ${basis} reads the ${kind} export, sets the other aside and says so`, () => {
      const dir = tempDir();
      const [chosen, other] = [chosenOf(), otherOf(dir)];
      const run = allot(["allocate", "--config", azureOrg(dir, basis), "--input", chosen, other, "--json"]);
      expect(run.code, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as { totalCost: string }).totalCost).toBe(csvCost(chosen).toFixed());
      expect(run.stderr).toContain(`allot: ${other} is the ${kind === "actual" ? "amortized" : "actual"} cost export and ${chosen} the ${kind} one of the same charges`);
      expect(run.stderr).toContain(`costBasis ${basis} reads the ${kind} one, so ${other} was set aside\n`);
      expect(csvCost(chosen).equals(csvCost(chosen).plus(csvCost(other)))).toBe(false);
    });
  }

  it("must fail: costBasis BilledCost with the real samples is refused: the actual one lacks a subscription the amortized one holds", () => {
    const dir = tempDir();
    const run = allot(["allocate", "--config", azureOrg(dir, "BilledCost"), "--input", actualFile, amortizedFile, "--json"]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`allot: ${amortizedFile} is the amortized cost export and ${actualFile} the actual one of the same charges`);
    expect(run.stderr).toContain(`but ${actualFile} lacks 2023-09 of account 73c0021f-a37d-433f-8baa-7450cb54eea6 that ${amortizedFile} holds; costBasis BilledCost reads the actual export, so setting ${amortizedFile} aside would drop those charges: export those as the actual cost too, or pass only the inputs of the accounts and months it covers\n`);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    // What setting it aside would have dropped: the subscription's charges, not nothing.
    const dropped = readCsv(readFileSync(amortizedFile, "utf8")).filter((r) => r.SubscriptionId === "73c0021f-a37d-433f-8baa-7450cb54eea6");
    expect(dropped.length).toBeGreaterThan(0);
  });

  it("the report's notes name both files", () => {
    const dir = tempDir();
    const out = join(dir, "report");
    const run = allot(["report", "--config", azureOrg(dir, "EffectiveCost"), "--input", actualFile, amortizedFile, "--out", out, "--format", "md"]);
    expect(run.code, run.stderr).toBe(0);
    // Markdown escapes the underscores and parentheses of the paths.
    const md = readFileSync(join(out, "report.md"), "utf8").replace(/\\(.)/g, "$1");
    expect(md).toContain(`- ${actualFile} is the actual cost export and ${amortizedFile} the amortized one of the same charges`);
    expect(md).toContain(`costBasis EffectiveCost reads the amortized one, so ${actualFile} was set aside.`);
    expect(run.stderr).toContain(`so ${actualFile} was set aside`);
  });

  it("must fail: without commitment rows the two kinds cannot be told apart, so they are refused, naming both", () => {
    const dir = tempDir();
    const text = readFileSync(amortizedFile, "utf8").split(/\r?\n/);
    const plain = join(dir, "amortized-without-commitments.csv");
    writeFileSync(plain, [text[0], ...text.slice(1).filter((l) => !/,(Reservation|SavingsPlan),/.test(l))].join("\n"));
    const actual = join(dir, "actual.csv");
    copyFileSync(actualFile, actual);
    const run = allot(["allocate", "--config", azureOrg(dir, "EffectiveCost"), "--input", actual, plain, "--json"]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`allot: ${actual} and ${plain} hold the same charges: 10 of the 11 rows of ${actual}`);
    expect(run.stderr).toContain("cannot be told apart without commitment rows); pass only one of them");
  });

  it("must fail: an actual and an amortized export of different accounts are both read", () => {
    const dir = tempDir();
    const rows = readCsv(readFileSync(amortizedFile, "utf8"));
    const lines = readFileSync(amortizedFile, "utf8").split(/\r?\n/);
    const other = join(dir, "amortized-other-account.csv");
    const kept = lines.slice(1).filter((l, i) => l !== "" && rows[i]!.SubscriptionId === "9ec51cfd-5ca7-4d76-8101-dd0a4abc5674");
    writeFileSync(other, [lines[0], ...kept].join("\n"));
    const actual = join(dir, "actual.csv");
    writeFileSync(actual, readFileSync(actualFile, "utf8").split(/\r?\n/).filter((l, i) => i === 0 || (l !== "" && !l.includes("9ec51cfd-5ca7-4d76-8101-dd0a4abc5674"))).join("\n"));
    const run = allot(["allocate", "--config", azureOrg(dir, "EffectiveCost"), "--input", actual, other, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("set aside");
    expect((JSON.parse(run.stdout) as { totalCost: string }).totalCost).toBe(csvCost(actual).plus(csvCost(other)).toFixed());
    expect(new Decimal(csvCost(other)).isZero()).toBe(false);
  });
});

/** One Azure cost details row, written by hand: a subscription's charge in a month (YYYY-MM). */
interface AzureRow {
  account: string;
  month: string;
  chargeType: "Usage" | "Purchase" | "UnusedReservation";
  pricing: "OnDemand" | "Reservation";
  cost: string;
  resource: string;
  org?: string;
}

function writeAzure(dir: string, name: string, rows: readonly AzureRow[]): string {
  const header = "SubscriptionId,BillingPeriodStartDate,Date,MeterCategory,MeterId,Quantity,Cost,BillingCurrency,ChargeType,PricingModel,ReservationId,ResourceId,Tags";
  const lines = rows.map((r) => {
    const [year, month] = r.month.split("-");
    const tags = r.org ? `"""org"": ""${r.org}"""` : "";
    return [r.account, `${month}/01/${year}`, `${month}/15/${year}`, "Virtual Machines", `meter-${r.resource}`, "24", r.cost, "USD", r.chargeType, r.pricing, r.pricing === "Reservation" ? "r-1" : "", r.resource, tags].join(",");
  });
  const file = join(dir, name);
  writeFileSync(file, `${header}\n${lines.join("\n")}\n`);
  return file;
}

/** A month's actual cost: on-demand usage, covered usage at 0 and a year's reservation bought upfront. */
const actualMonth = (account: string, month: string): AzureRow[] => [
  { account, month, chargeType: "Usage", pricing: "OnDemand", cost: "12.34", resource: `${account}/vm-1`, org: "trey" },
  { account, month, chargeType: "Usage", pricing: "Reservation", cost: "0", resource: `${account}/vm-2`, org: "contoso" },
  { account, month, chargeType: "Purchase", pricing: "Reservation", cost: "360.00", resource: "" },
];
/** The same month amortized: the covered usage at its share of the reservation, and its unused part. */
const amortizedMonth = (account: string, month: string): AzureRow[] => [
  { account, month, chargeType: "Usage", pricing: "OnDemand", cost: "12.34", resource: `${account}/vm-1`, org: "trey" },
  { account, month, chargeType: "Usage", pricing: "Reservation", cost: "25.50", resource: `${account}/vm-2`, org: "contoso" },
  { account, month, chargeType: "UnusedReservation", pricing: "Reservation", cost: "4.50", resource: "" },
];
const total = (rows: readonly AzureRow[]) => sum(rows.map((r) => r.cost)).toFixed();

describe("an actual and an amortized export that cover different periods", () => {
  const quarter = ["2026-01", "2026-02", "2026-03"];
  const totalOf = (run: { stdout: string }) => (JSON.parse(run.stdout) as { totalCost: string }).totalCost;

  it("must fail: an actual export of January to March next to an amortized one of March alone is refused, not set aside", () => {
    const dir = tempDir();
    const actual = writeAzure(dir, "actual-q1.csv", quarter.flatMap((m) => actualMonth("sub-a", m)));
    const amortized = writeAzure(dir, "amortized-mar.csv", amortizedMonth("sub-a", "2026-03"));
    const run = allot(["allocate", "--config", azureOrg(dir, "EffectiveCost"), "--input", actual, amortized, "--json"]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toBe(
      `allot: ${actual} is the actual cost export and ${amortized} the amortized one of the same charges (azure-cost-details, account sub-a, 2026-03), but ${amortized} lacks 2026-01 of account sub-a, 2026-02 of account sub-a that ${actual} holds; costBasis EffectiveCost reads the amortized export, so setting ${actual} aside would drop those charges: export those as the amortized cost too, or pass only the inputs of the accounts and months it covers (or --month 2026-03)\n`,
    );
  });

  it("with --month 2026-03, March is read from the amortized export, and the actual one's other months are said to be unread", () => {
    const dir = tempDir();
    const actual = writeAzure(dir, "actual-q1.csv", quarter.flatMap((m) => actualMonth("sub-a", m)));
    const amortized = writeAzure(dir, "amortized-mar.csv", amortizedMonth("sub-a", "2026-03"));
    const run = allot(["allocate", "--config", azureOrg(dir, "EffectiveCost"), "--input", actual, amortized, "--month", "2026-03", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(totalOf(run)).toBe(total(amortizedMonth("sub-a", "2026-03")));
    expect(totalOf(run)).not.toBe(total(actualMonth("sub-a", "2026-03")));
    expect(run.stderr).toContain(
      `so ${actual} was set aside; its charges of 2026-01 of account sub-a, 2026-02 of account sub-a, outside --month 2026-03, which no amortized export holds, are not read (so trends start after 2026-02)\n`,
    );
  });

  it("with --month 2026-03 and another account read whole, trends leave out the months read only in part: they would show sub-a's charges gone", () => {
    const dir = tempDir();
    const actual = writeAzure(dir, "actual-q1.csv", quarter.flatMap((m) => actualMonth("sub-a", m)));
    const amortized = writeAzure(dir, "amortized-mar.csv", amortizedMonth("sub-a", "2026-03"));
    // sub-b's amortized quarter is read whole: January and February hold its charges, not sub-a's.
    const other = writeAzure(dir, "amortized-q1-sub-b.csv", quarter.flatMap((m) => amortizedMonth("sub-b", m)));
    const out = join(dir, "report");
    const config = azureOrg(dir, "EffectiveCost");
    const run = allot(["report", "--config", config, "--input", actual, amortized, other, "--month", "2026-03", "--out", out, "--format", "json,md"]);
    expect(run.code, run.stderr).toBe(0);
    const data = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as {
      trend: { month: string; total: string }[];
      compliance: { trend: { name: string }[] };
      summary: { lastMonth: string | null; topDrivers: unknown[] };
      notes: string[];
      withheld: { movers: string | null };
    };
    expect(data.trend.map((t) => t.month)).toEqual(["2026-03"]);
    expect(data.trend[0]!.total).toBe(new Decimal(total([...amortizedMonth("sub-a", "2026-03"), ...amortizedMonth("sub-b", "2026-03")])).toFixed(2));
    expect(data.compliance.trend.map((t) => t.name)).toEqual(["2026-03"]);
    expect(data.summary.lastMonth).toBeNull();
    expect(data.summary.topDrivers).toEqual([]);
    expect(data.notes.join("\n")).toContain("outside --month 2026-03, which no amortized export holds, are not read (so trends start after 2026-02).");
    expect(data.withheld.movers).toBe("No biggest movers and no change from last month: 2026-02 is read only in part (an input was set aside; see the notes).");
    // The compliance command's trend leaves them out too; without --month nothing is set aside and nothing left out.
    const compliance = allot(["compliance", "--config", config, "--input", actual, amortized, other, "--month", "2026-03", "--json"]);
    expect((JSON.parse(compliance.stdout) as { trend: { name: string }[] }).trend.map((t) => t.name)).toEqual(["2026-03"]);
  });

  it("one rule for every trend: a complete January before a partial February is left out of the cost trend and compliance by month alike; AI is not compared with February", () => {
    const dir = tempDir();
    // sub-a: actual February and March (set aside for --month 2026-03), amortized January and March: only February is partial.
    const actual = writeAzure(dir, "actual-feb-mar.csv", ["2026-02", "2026-03"].flatMap((m) => actualMonth("sub-a", m)));
    const amortized = [writeAzure(dir, "amortized-jan.csv", amortizedMonth("sub-a", "2026-01")), writeAzure(dir, "amortized-mar.csv", amortizedMonth("sub-a", "2026-03"))];
    const other = writeAzure(dir, "amortized-q1-sub-b.csv", quarter.flatMap((m) => amortizedMonth("sub-b", m)));
    // Metered AI usage in February and March, at $3 per million input tokens.
    const metering = join(dir, "metering.csv");
    writeFileSync(metering, `time,team,product,feature,customer,model,input_tokens,output_tokens,cached_tokens,calls,gpu_type,gpu_seconds
2026-02-10T00:00:00Z,trey,assist,chat,c1,claude,1000000,0,0,10,,
2026-03-10T00:00:00Z,trey,assist,chat,c1,claude,2000000,0,0,20,,
`);
    const config = azureOrg(dir, "EffectiveCost");
    writeFileSync(config, `${readFileSync(config, "utf8")}ai:\n  models:\n    claude: { input: 3, output: 15 }\n`);
    const out = join(dir, "report");
    const inputs = [actual, ...amortized, other];
    const run = allot(["report", "--config", config, "--input", ...inputs, "--metering", metering, "--month", "2026-03", "--out", out, "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const data = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as {
      trend: { month: string }[];
      compliance: { trend: { name: string }[] };
      notes: string[];
      ai: { products: { product: string; cost: string; lastMonth: string | null; changePct: number | null }[] };
    };
    expect(data.trend.map((t) => t.month)).toEqual(["2026-03"]);
    expect(data.compliance.trend.map((t) => t.name)).toEqual(["2026-03"]);
    expect(data.notes.join("\n")).toContain("its charges of 2026-02 of account sub-a, outside --month 2026-03, which no amortized export holds, are not read (so trends start after 2026-02).");
    expect(data.ai.products).toEqual([expect.objectContaining({ product: "assist", cost: "6.00", lastMonth: null, changePct: null })]);
    const compliance = allot(["compliance", "--config", config, "--input", ...inputs, "--month", "2026-03", "--json"]);
    expect((JSON.parse(compliance.stdout) as { trend: { name: string }[] }).trend.map((t) => t.name)).toEqual(["2026-03"]);
  });

  it("must fail: with --month 2026-01 the same files are refused: only the actual export has January", () => {
    const dir = tempDir();
    const actual = writeAzure(dir, "actual-q1.csv", quarter.flatMap((m) => actualMonth("sub-a", m)));
    const amortized = writeAzure(dir, "amortized-mar.csv", amortizedMonth("sub-a", "2026-03"));
    const run = allot(["allocate", "--config", azureOrg(dir, "EffectiveCost"), "--input", actual, amortized, "--month", "2026-01", "--json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`but ${amortized} lacks 2026-01 of account sub-a that ${actual} holds;`);
    expect(run.stderr).toContain("or pass only the inputs of the accounts and months it covers\n");
  });

  it("amortized exports of each month, one file each, cover the actual export of the quarter together: it is set aside", () => {
    const dir = tempDir();
    const actual = writeAzure(dir, "actual-q1.csv", quarter.flatMap((m) => actualMonth("sub-a", m)));
    const monthly = quarter.map((m) => writeAzure(dir, `amortized-${m}.csv`, amortizedMonth("sub-a", m)));
    const run = allot(["allocate", "--config", azureOrg(dir, "EffectiveCost"), "--input", actual, ...monthly, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(totalOf(run)).toBe(total(amortizedMonth("sub-a", "2026-03")));
    expect(run.stderr).toContain(`allot: ${actual} is the actual cost export and ${monthly.join(", ")} the amortized one of the same charges (azure-cost-details, account sub-a, 2026-01, 2026-02, 2026-03); costBasis EffectiveCost reads the amortized one, so ${actual} was set aside\n`);
  });

  it("must fail: an actual export of two subscriptions next to an amortized one of one is refused, naming the other", () => {
    const dir = tempDir();
    const actual = writeAzure(dir, "actual.csv", [...actualMonth("sub a", "2026-03"), ...actualMonth("sub-b", "2026-03")]);
    const amortized = writeAzure(dir, "amortized.csv", amortizedMonth("sub a", "2026-03"));
    const run = allot(["compliance", "--config", azureOrg(dir, "EffectiveCost"), "--input", actual, amortized, "--json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`(azure-cost-details, account sub a, 2026-03), but ${amortized} lacks 2026-03 of account sub-b that ${actual} holds;`);
    expect(run.stderr).not.toContain("--month");
  });

  // An account literally named "(none)" is not the charges without an account: they once shared a period key.
  it("must fail: an amortized export of account \"(none)\" does not cover the actual export's charges without an account", () => {
    const dir = tempDir();
    const actual = writeAzure(dir, "actual.csv", [...actualMonth("sub-a", "2026-03"), ...actualMonth("", "2026-03")]);
    const amortized = writeAzure(dir, "amortized.csv", [...amortizedMonth("sub-a", "2026-03"), ...amortizedMonth("(none)", "2026-03")]);
    const run = allot(["compliance", "--config", azureOrg(dir, "EffectiveCost"), "--input", actual, amortized, "--json"]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`but ${amortized} lacks 2026-03 of account (none) that ${actual} holds;`);
  });

  it("costBasis BilledCost: an amortized export of March next to the actual one of the quarter is set aside, the quarter read", () => {
    const dir = tempDir();
    const actual = writeAzure(dir, "actual-q1.csv", quarter.flatMap((m) => actualMonth("sub-a", m)));
    const amortized = writeAzure(dir, "amortized-mar.csv", amortizedMonth("sub-a", "2026-03"));
    const run = allot(["compliance", "--config", azureOrg(dir, "BilledCost"), "--input", actual, amortized, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { month: string; totalCost: string; setAside: { file: string; instead: string; note: string }[] };
    expect(out.month).toBe("2026-03");
    expect(out.totalCost).toBe(total(actualMonth("sub-a", "2026-03")));
    expect(out.setAside).toEqual([{ file: amortized, instead: actual, note: expect.stringContaining(`so ${amortized} was set aside`) as unknown as string }]);
  });
});

/** A GCP BigQuery export row as the JSON lines export writes it. */
function gcpRow(i: number, start: string, cost: number, credits: { name: string; amount: number }[] = []) {
  return {
    billing_account_id: "01A2B3-C4D5E6-F7A8B9",
    service: { id: "6F81-5844-456A", description: "Compute Engine" },
    sku: { id: `SKU-${i % 2}`, description: "N2 Instance Core" },
    usage_start_time: start,
    usage_end_time: start.replace("T00:", "T01:").replace("T17:", "T18:"),
    project: { id: "harbour-prod", labels: [{ key: "team", value: i % 2 ? "a" : "b" }] },
    labels: [{ key: "app", value: `svc-${i}` }],
    location: { region: "europe-west4" },
    resource: { name: `vm-${i}`, global_name: `//compute.googleapis.com/projects/harbour-prod/zones/europe-west4-a/instances/vm-${i}` },
    usage: { amount: 3600.0, unit: "seconds" },
    cost,
    currency: "USD",
    credits,
    invoice: { month: "202610" },
    cost_type: "regular",
  };
}

/** Writes the rows as JSON lines and, from that file, the same charges as Parquet the way BigQuery types them (TIMESTAMP columns as instants). */
async function gcpTwins(dir: string, rows: readonly object[]): Promise<[string, string]> {
  const json = join(dir, "billing.jsonl");
  writeFileSync(json, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const parquet = join(dir, "billing.parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  await db.run("SET TimeZone = 'UTC'");
  await db.run(`COPY (SELECT * REPLACE (CAST(usage_start_time AS TIMESTAMPTZ) AS usage_start_time, CAST(usage_end_time AS TIMESTAMPTZ) AS usage_end_time)
                FROM read_json_auto('${json}')) TO '${parquet}' (FORMAT parquet)`);
  db.closeSync();
  instance.closeSync();
  return [json, parquet];
}

describe("GCP JSON lines and Parquet of the same charges", () => {
  // A credit, a day written with an offset (the UTC day is the next one), fractional costs.
  const rows = [
    gcpRow(1, "2026-10-03T00:00:00Z", 10.5, [{ name: "Sustained use discount", amount: -1.25 }]),
    gcpRow(2, "2026-10-02T17:00:00-07:00", 4.25),
    gcpRow(3, "2026-10-07T00:00:00Z", 0.1),
    gcpRow(4, "2026-10-08T00:00:00Z", 2.0000001),
  ];
  /** Usage rows plus one Credit row per usage row with credits. */
  const chargeRows = rows.length + rows.filter((r) => r.credits.length > 0).length;
  const costOf = (some: readonly ReturnType<typeof gcpRow>[]) => sum(some.flatMap((r) => [String(r.cost), ...r.credits.map((c) => String(c.amount))]));

  it("must fail: the same charges as JSON lines and as Parquet are refused, naming both files", async () => {
    const dir = tempDir();
    const [json, parquet] = await gcpTwins(dir, rows);
    const run = allot(["allocate", "--config", writeOrg(dir, ""), "--input", json, parquet, "--json"]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toBe(`allot: ${json} and ${parquet} hold the same charges: ${chargeRows} of the ${chargeRows} rows of ${json} are also in the other (gcp-bigquery, account harbour-prod, 2026-10); pass only one of them\n`);
  });

  it("must fail: the fixture export (test/fixtures/gcp-billing.jsonl) and its Parquet are refused too", async () => {
    const dir = tempDir();
    const fixture = readFileSync(join(__dirname, "..", "fixtures", "gcp-billing.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as object);
    const [json, parquet] = await gcpTwins(dir, fixture);
    const run = allot(["compliance", "--config", writeOrg(dir, ""), "--input", json, parquet, "--json"]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toContain(`allot: ${json} and ${parquet} hold the same charges: 5 of the 5 rows of ${json} are also in the other`);
  });

  it("each format alone reads the same total; other charges of the same project and month in the two formats are read together", async () => {
    const dir = tempDir();
    const config = writeOrg(dir, "");
    const [json, parquet] = await gcpTwins(dir, rows);
    const totals = [json, parquet].map((file) => allot(["allocate", "--config", config, "--input", file, "--json"]));
    for (const run of totals) {
      expect(run.code, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as { totalCost: string }).totalCost).toBe(costOf(rows).toFixed());
    }
    // Part one as JSON lines, part two (with the credit) as Parquet.
    const [partOne] = await gcpTwins(tempDir(), [rows[1]!, rows[2]!]);
    const [, partTwo] = await gcpTwins(tempDir(), [rows[0]!, rows[3]!]);
    const run = allot(["allocate", "--config", config, "--input", partOne, partTwo, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { totalCost: string }).totalCost).toBe(costOf(rows).toFixed());
  });
});

describe("two exports of one bill in different formats (AWS FOCUS and CUR 2.0)", () => {
  // The same October of account 111111111111, as AWS's FOCUS export and as its CUR 2.0: written here by hand.
  const focusRows: BillRow[] = [
    { cost: "12.3456", tags: { team: "a" }, resource: "i-0aaa" },
    { cost: "2.50", tags: { team: "b" }, resource: "arn:aws:s3:::logs", service: "Amazon S3", category: "Storage" },
  ];
  function writeCur2(dir: string, account: string, month = "2026-10"): string {
    const header = "bill_billing_period_start_date,line_item_usage_start_date,line_item_usage_account_id,line_item_line_item_type,line_item_product_code,product_servicecode,line_item_resource_id,line_item_unblended_cost,savings_plan_savings_plan_effective_cost,reservation_effective_cost,line_item_currency_code,resource_tags";
    const lines = [
      `${month}-01T00:00:00.000Z,${month}-02T00:00:00.000Z,${account},Usage,AmazonEC2,AmazonEC2,i-0aaa,12.3456,,,USD,"{""user_team"":""a""}"`,
      `${month}-01T00:00:00.000Z,${month}-02T00:00:00.000Z,${account},Usage,AmazonS3,AmazonS3,arn:aws:s3:::logs,2.50,,,USD,"{""user_team"":""b""}"`,
    ];
    const file = join(dir, `cur2-${account}-${month}.csv`);
    writeFileSync(file, `${header}\n${lines.join("\n")}\n`);
    return file;
  }

  it("must fail: are refused, naming both files, the account and the month, since reading both counts the month twice", () => {
    const dir = tempDir();
    const focus = writeFocus(dir, "focus-oct.csv", focusRows);
    const cur = writeCur2(dir, "111111111111");
    const run = allot(["allocate", "--config", writeOrg(dir, ""), "--input", focus, cur, "--json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`allot: ${cur} (aws-cur2) and ${focus} (focus) are two exports of the same bill: both hold AWS charges of account 111111111111 in 2026-10, and reading both would count them twice; pass the inputs of one export\n`);
  });

  it("of other accounts or other months are both read, every row once", () => {
    const dir = tempDir();
    const focus = writeFocus(dir, "focus-oct.csv", focusRows);
    for (const cur of [writeCur2(dir, "222233334444"), writeCur2(dir, "111111111111", "2026-09")]) {
      const run = allot(["allocate", "--config", writeOrg(dir, ""), "--input", focus, cur, "--month", "2026-10", "--json"]);
      expect(run.code, run.stderr).toBe(0);
      const october = cur.includes("2026-09") ? ["12.3456", "2.50"] : ["12.3456", "2.50", "12.3456", "2.50"];
      expect((JSON.parse(run.stdout) as { totalCost: string }).totalCost).toBe(sum(october).toFixed());
    }
  });
});

describe("two exports of one bill whose formats write the account differently", () => {
  const guid = "6f1d2c3b-8a7e-4d5c-9b0a-1e2f3a4b5c6d";
  it("must fail: Microsoft's FOCUS export (/subscriptions/<GUID>, upper case) beside cost details (the bare guid) is refused", () => {
    const dir = tempDir();
    const focus = join(dir, "focus-ms.csv");
    writeFileSync(focus, `BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargeCategory,ProviderName,SubAccountId,ServiceName,ServiceCategory,ResourceId,Tags
12.34,12.34,USD,2026-03-01 00:00:00,2026-03-15 00:00:00,Usage,Microsoft,/subscriptions/${guid.toUpperCase()},Virtual Machines,Compute,vm-1,"{""org"":""trey""}"
`);
    const details = writeAzure(dir, "details-mar.csv", amortizedMonth(guid, "2026-03"));
    const run = allot(["allocate", "--config", azureOrg(dir, "EffectiveCost"), "--input", focus, details, "--json"]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toBe(`allot: ${details} (azure-cost-details) and ${focus} (focus) are two exports of the same bill: both hold AZURE charges of account ${guid} in 2026-03, and reading both would count them twice; pass the inputs of one export\n`);
  });

  it("must fail: Google's FOCUS export beside its BigQuery export (test/fixtures/gcp-billing.jsonl) of the same project and month", () => {
    const dir = tempDir();
    // The project id is SubAccountId in Google's FOCUS rows (as in ../shared/data's GCP FOCUS goldens) and project.id in the BigQuery export.
    const focus = join(dir, "focus-gcp.csv");
    writeFileSync(focus, `BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargeCategory,ProviderName,SubAccountId,ServiceName,ServiceCategory,ResourceId,Tags
10.5,9.25,USD,2026-10-01 00:00:00,2026-10-03 00:00:00,Usage,Google Cloud,nw-data-prod,Compute Engine,Compute,etl-1,"{""team"":""a""}"
`);
    const bigquery = join(root, "test", "fixtures", "gcp-billing.jsonl");
    const run = allot(["allocate", "--config", writeOrg(dir, ""), "--input", focus, bigquery, "--json"]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toContain("are two exports of the same bill: both hold GCP charges of account nw-data-prod in 2026-10");
  });

  it("must fail: an AWS account id whose leading zero one export lost is the same account", () => {
    const dir = tempDir();
    const focus = writeFocus(dir, "focus-oct.csv", [{ cost: "1.50", tags: { team: "a" }, account: "11353890204" }]);
    const cur = join(dir, "cur2.csv");
    writeFileSync(cur, `bill_billing_period_start_date,line_item_usage_start_date,line_item_usage_account_id,line_item_line_item_type,line_item_product_code,product_servicecode,line_item_resource_id,line_item_unblended_cost,savings_plan_savings_plan_effective_cost,reservation_effective_cost,line_item_currency_code,resource_tags
2026-10-01T00:00:00.000Z,2026-10-02T00:00:00.000Z,011353890204,Usage,AmazonEC2,AmazonEC2,i-0aaa,1.50,,,USD,"{""user_team"":""a""}"
`);
    const run = allot(["allocate", "--config", writeOrg(dir, ""), "--input", focus, cur, "--json"]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toContain("both hold AWS charges of account 011353890204 in 2026-10");
  });
});
