import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCostModel } from "../../model";
import { Decimal } from "../../reports/money";
import { buildReport } from "../../reports/report/build";
import type { Truth } from "../../reports/sample/truth";
import { allot, makeSample, root, sharedData, tempDir } from "../helpers";

let sample: { out: string; truth: Truth };
beforeAll(async () => {
  sample = await makeSample({ rows: 20_000, months: 3 });
});

const sum = (values: Iterable<Decimal>) => Decimal.sum(0, ...values);
const sampleArgs = (out: string, ...extra: string[]) => ["report", "--config", join(sample.out, "allot.yaml"), "--input", join(sample.out, "focus", "*.parquet"), "--metrics", join(sample.out, "metrics.csv"), "--metering", join(sample.out, "metering.csv"), "--k8s", join(sample.out, "opencost", "*.json"), "--out", out, "--quiet", ...extra];

/** Every file under dir, relative path to content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out[relative(dir, join(d, e.name))] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("the report's figures match truth.json to the last digit", () => {
  for (const basis of ["EffectiveCost", "BilledCost"] as const) {
    it(`every month, on ${basis}`, async () => {
      const config = join(tempDir(), "allot.yaml");
      writeFileSync(config, readFileSync(join(sample.out, "allot.yaml"), "utf8").replace("costBasis: EffectiveCost", `costBasis: ${basis}`));
      for (const [month, expected] of Object.entries(sample.truth.months)) {
        const { data, attribution: a, untaggedUsage } = await buildReport({ config, input: [join(sample.out, "focus", "*.parquet")], metrics: join(sample.out, "metrics.csv"), metering: join(sample.out, "metering.csv"), k8s: [join(sample.out, "opencost", "*.json")], month });
        expect(a.total.toFixed(6), month).toBe(expected[basis]);
        expect(a.rows).toBe(expected.rows);
        expect(sum(a.unallocated.values()).toFixed(6)).toBe(expected.unallocated[basis]);
        expect(Object.fromEntries([...a.byTeam].map(([t, v]) => [t, v.toFixed(6)]))).toEqual(Object.fromEntries(Object.entries(expected.byTeam).map(([t, v]) => [t, v[basis]])));
        expect(new Decimal(untaggedUsage).toFixed(6)).toBe(expected.untaggedUsage[basis]);
        // The allocated report conserves the bill too: teams + unit-level + unallocated = total.
        expect(new Decimal(data.summary.allocated).plus(data.summary.unallocated).toFixed(2)).toBe(new Decimal(expected[basis]).toFixed(2));
      }
    });
  }

  it("reads CSV and gzip CSV to the same figures as Parquet", async () => {
    const csv = await makeSample({ rows: 20_000, months: 3, format: "csv.gz" });
    const config = join(sample.out, "allot.yaml");
    const fromParquet = await buildReport({ config, input: [join(sample.out, "focus", "*")], metrics: join(sample.out, "metrics.csv"), metering: join(sample.out, "metering.csv"), k8s: [join(sample.out, "opencost", "*.json")], month: "2026-09" });
    const fromCsv = await buildReport({ config, input: [join(csv.out, "focus", "*.csv.gz")], metrics: join(csv.out, "metrics.csv"), metering: join(csv.out, "metering.csv"), k8s: [join(csv.out, "opencost", "*.json")], month: "2026-09" });
    expect(fromCsv.data).toEqual({ ...fromParquet.data, inputs: fromCsv.data.inputs });
  });
});

describe("allot report outputs", () => {
  let first: string;
  beforeAll(() => {
    first = tempDir();
    const run = allot(sampleArgs(first));
    expect(run.code, run.stderr).toBe(0);
  });

  it("writes Markdown, HTML, JSON, CSV tables and a manifest, matching the golden files (UPDATE_GOLDEN=1 rewrites them)", () => {
    const files = tree(first);
    const golden = join(__dirname, "golden", "report");
    for (const name of ["report.md", "report.html", "report.json", "tables/teams.csv", "tables/invoice-lines.csv", "tables/anomalies.csv"]) {
      const path = join(golden, name.replace("/", "-"));
      const content = files[name]!.replaceAll(sample.out, "<sample>");
      if (process.env.UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, content);
      expect(content, name).toBe(readFileSync(path, "utf8"));
    }
    expect(Object.keys(files).filter((f) => f.startsWith("tables/")).length).toBeGreaterThanOrEqual(15);
  });

  it("shows the shared cluster's split: per owner, workload and idle apart, adding up to what the rule moved", () => {
    const data = JSON.parse(readFileSync(join(first, "report.json"), "utf8")) as {
      kubernetes: { split: { rule: string; party: string; workload: string; idle: string; total: string }[] };
      rules: { rule: string; allocated: string; unallocated: string }[];
    };
    const split = data.kubernetes.split.filter((r) => r.rule === "shared-kubernetes");
    const rule = data.rules.find((r) => r.rule === "shared-kubernetes")!;
    const sum = (values: string[]) => values.reduce((s, v) => s.plus(v), new Decimal(0));
    expect(sum(split.map((r) => r.total)).toFixed(2)).toBe(new Decimal(rule.allocated).plus(rule.unallocated).toFixed(2));
    expect(sum(split.map((r) => r.idle)).greaterThan(0)).toBe(true);
    expect(split.find((r) => r.party.startsWith('unallocated: namespace "batch"'))).toMatchObject({ idle: "0.00" });
    expect(readFileSync(join(first, "report.md"), "utf8")).toContain("### Shared cluster split");
  });

  it("shows the parts of a whole so they add up to it: the composition to the month's total, the namespaces to the workload cost", () => {
    const data = JSON.parse(readFileSync(join(first, "report.json"), "utf8")) as {
      summary: { total: string };
      composition: { cost: string; sharePct: number }[];
      kubernetes: { workloadCost: string; byNamespace: { cost: string }[] };
    };
    // Summed with Decimal from what the report shows, checked against the whole it shows.
    expect(sum(data.composition.map((c) => new Decimal(c.cost))).toFixed(2)).toBe(data.summary.total);
    expect(sum(data.composition.map((c) => new Decimal(c.sharePct))).toFixed(1)).toBe("100.0");
    const md = readFileSync(join(first, "report.md"), "utf8");
    const table = md.slice(md.indexOf("| Cluster | Namespace |"));
    const rows = table.split("\n").slice(2).filter((line) => line.startsWith("|")).slice(0, data.kubernetes.byNamespace.length);
    expect(rows.length).toBeGreaterThan(2);
    const shown = rows.map((line) => new Decimal(line.split("|")[3]!.trim()));
    const exact = sum(data.kubernetes.byNamespace.map((n) => new Decimal(n.cost)));
    expect(sum(shown).toFixed(2)).toBe(exact.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));

    // The AI section: each product's features add up to the product's row, the products to the teams.
    type Costed = { cost: string };
    const ai = (JSON.parse(readFileSync(join(first, "report.json"), "utf8")) as { ai: { products: (Costed & { product: string; teams: string[] })[]; features: (Costed & { product: string })[]; teams: (Costed & { team: string })[]; models: Costed[]; gpu: Costed[] } }).ai;
    const total = (rows: Costed[]) => sum(rows.map((r) => new Decimal(r.cost))).toFixed(2);
    expect(ai.products.length).toBeGreaterThan(1);
    for (const p of ai.products) expect(total(ai.features.filter((f) => f.product === p.product)), p.product).toBe(p.cost);
    expect(total(ai.products)).toBe(total(ai.teams));
    // Every cell is a model's or a GPU's: the two tables together are the month's AI cost as the products show it.
    expect(sum([...ai.models, ...ai.gpu].map((r) => new Decimal(r.cost))).toFixed(2)).toBe(total(ai.products));
    // A team whose only product is its own alone shows the same figure in both tables.
    for (const t of ai.teams) {
      const own = ai.products.filter((p) => p.teams.includes(t.team));
      if (own.length === 1 && own[0]!.teams.length === 1) expect(own[0]!.cost, t.team).toBe(t.cost);
    }
  });

  it("shows compliance by month over the months its cost trend shows: none after --month", () => {
    const out = tempDir();
    const run = allot([...sampleArgs(out), "--month", "2026-09", "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const data = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as { trend: { month: string }[]; compliance: { trend: { name: string }[] } };
    expect(data.trend.map((t) => t.month)).toEqual(["2026-08", "2026-09"]);
    expect(data.compliance.trend.map((t) => t.name)).toEqual(["2026-08", "2026-09"]);
  });

  it("is deterministic: a second run writes byte-identical files, the manifest included", () => {
    const second = tempDir();
    expect(allot(sampleArgs(second)).code).toBe(0);
    const a = tree(first);
    const b = tree(second);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const name of Object.keys(a)) {
      if (name === "manifest.json") continue; // paths are relative to each output directory
      expect(b[name], name).toBe(a[name]);
    }
    const hashes = (m: string) => (JSON.parse(m) as { outputs: { sha256: string }[]; inputs: { sha256: string }[] });
    expect(hashes(b["manifest.json"]!).outputs.map((o) => o.sha256)).toEqual(hashes(a["manifest.json"]!).outputs.map((o) => o.sha256));
    expect(a["report.md"]).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:\d\d/);
    const stamped = tempDir();
    expect(allot(sampleArgs(stamped, "--generated-at", "2026-11-01T06:00:00Z", "--format", "html")).code).toBe(0);
    expect(readFileSync(join(stamped, "report.html"), "utf8")).toContain("generated 2026-11-01T06:00:00Z");
  });

  it("verify passes on an untouched report and names the file after one byte changes", () => {
    const dir = tempDir();
    cpSync(first, dir, { recursive: true });
    // The manifest's input paths are relative to the report directory; the copy sits beside the original.
    writeFileSync(join(dir, "manifest.json"), readFileSync(join(first, "manifest.json"), "utf8").replaceAll(relative(first, sample.out), relative(dir, sample.out)));
    const ok = allot(["verify", first]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok: \d+ files match/);
    const md = join(first, "report.md");
    const text = readFileSync(md, "utf8");
    writeFileSync(md, text.replace("Cloud costs", "Cloud Costs"));
    const bad = allot(["verify", first]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("report.md (changed)");
    writeFileSync(md, text);
  });

  it("chains each month's manifest to the previous month's", () => {
    const reports = tempDir();
    for (const month of ["2026-09", "2026-10"]) expect(allot(sampleArgs(join(reports, month), "--month", month, "--format", "json")).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(reports, "2026-10", "manifest.json"), "utf8")) as { previous: { path: string; sha256: string } | null };
    expect(manifest.previous?.path).toBe("../2026-09/manifest.json");
    expect(JSON.parse(readFileSync(join(reports, "2026-09", "manifest.json"), "utf8")).previous).toBeNull();
  });
});

describe("escaping untrusted text in every format", () => {
  it("a tag value full of Markdown, HTML and CSV-formula characters", () => {
    const dir = tempDir();
    const evil = '=HYPERLINK("http://x")|<img src=x onerror=alert(1)>**bold**[link](http://x)';
    const header = "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargeCategory,ProviderName,ServiceName,ResourceId,Tags";
    const tags = JSON.stringify({ team: "payments", project: evil }).replace(/"/g, '""');
    writeFileSync(join(dir, "bill.csv"), `${header}\n10.00,10.00,USD,2026-10-01,2026-10-02,Usage,AWS,"${evil.replace(/"/g, '""')}",r1,"${tags}"\n5.00,5.00,USD,2026-10-01,2026-10-02,Usage,AWS,EC2,"${evil.replace(/"/g, '""')}",\n`);
    const run = allot(["report", "--config", join(root, "allot.yaml"), "--input", join(dir, "bill.csv"), "--out", join(dir, "out"), "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    const md = readFileSync(join(dir, "out", "report.md"), "utf8");
    expect(md).not.toContain("<img");
    expect(md).not.toContain("](http");
    expect(md).toContain("\\|&lt;img");
    const html = readFileSync(join(dir, "out", "report.html"), "utf8");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
    const csv = readFileSync(join(dir, "out", "tables", "breakdowns.csv"), "utf8");
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")`);
    expect(readFileSync(join(dir, "out", "tables", "untagged-resources.csv"), "utf8")).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });
});

describe("real FOCUS exports from ../shared/data", () => {
  it("the FOCUS 1.0 sample: a report with the bill's own total", async () => {
    const file = join(sharedData, "focus-1.0-sample", "focus_sample.csv");
    const { data, attribution } = await buildReport({ config: join(root, "allot.yaml"), input: [file], month: "2024-09" });
    expect(attribution.rows).toBe(999);
    expect(data.summary.total).toBe(attribution.total.toFixed(2));
    expect(new Decimal(data.summary.unallocated).toFixed(2)).toBe(attribution.total.toFixed(2));
  });

  it("mixed currencies without a rate are refused, not summed", async () => {
    const model = loadCostModel(join(root, "allot.yaml"));
    expect(model.currency).toBe("USD");
    await expect(buildReport({ config: join(root, "allot.yaml"), input: [join(sharedData, "focus-synthetic-goldens", "consolidated_multi_provider_1_3.csv")] })).rejects.toThrow(/no exchange rate for EUR/);
  });
});
