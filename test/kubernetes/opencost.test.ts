// Reading OpenCost and measuring the cluster's labels: hand-written /allocation responses (two days, idle
// and unallocated allocations, pod labels over namespace labels) and a CSV export, the expected shares
// recomputed here from the raw records with Decimal; bad records named by file and record.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../reports/money";
import { allot, root, tempDir } from "../helpers";

const config = join(root, "allot.yaml");
const good = { team: "payments", "cost-center": "CC-1200", environment: "prod" };
const alloc = (name: string, namespace: string | undefined, total: number, labels: Record<string, string> = {}, namespaceLabels: Record<string, string> = {}, day = "2026-10-01") => ({
  [name]: {
    name,
    properties: { cluster: "prod-eks", ...(namespace ? { namespace, controller: name.split("/")[1], controllerKind: "deployment", pod: `${name}-pod` } : {}), labels, namespaceLabels },
    window: { start: `${day}T00:00:00Z`, end: `${day}T23:59:59Z` },
    cpuCost: total / 2, ramCost: total / 2, totalCost: total,
  },
});
function response(day: string, entries: Record<string, unknown>[]) {
  return JSON.stringify({ code: 200, data: [Object.assign({}, ...entries.map((e) => JSON.parse(JSON.stringify(e).replaceAll("2026-10-01", day))))] });
}

function bill(dir: string) {
  const header = "BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName,Tags";
  writeFileSync(join(dir, "bill.csv"), `${header}\n100,100,USD,2026-10-01,Usage,AWS,Amazon Elastic Kubernetes Service,"${JSON.stringify(good).replace(/"/g, '""')}"\n`);
  return join(dir, "bill.csv");
}

describe("allot compliance --k8s", () => {
  it("measures the share of workload cost with valid labels, pod labels over namespace labels, idle and unallocated beside it", () => {
    const dir = tempDir();
    const day1 = [
      alloc("payments/api", "payments", 12.5, { team: "payments" }, { "cost-center": "CC-1200", environment: "prod" }), // compliant via namespace labels
      alloc("payments/batch", "payments", 7.25, { team: "nobody" }, { "cost-center": "CC-1200", environment: "prod" }), // pod label wins: invalid
      alloc("search/web", "search", 3.125, { team: "search" }, {}), // missing cost-center, environment
      alloc("__idle__", undefined, 4),
      alloc("__unallocated__", "__unallocated__", 1.5),
    ];
    const day2 = [alloc("payments/api", "payments", 10, { ...good }, {}), alloc("__idle__", undefined, 2.5)];
    writeFileSync(join(dir, "2026-10-01.json"), response("2026-10-01", day1));
    writeFileSync(join(dir, "2026-10-02.json"), response("2026-10-02", day2));
    // A September response is read but not measured in October.
    writeFileSync(join(dir, "2026-09-30.json"), response("2026-09-30", [alloc("payments/api", "payments", 99, {}, {})]));
    const run = allot(["compliance", "--config", config, "--input", bill(dir), "--k8s", join(dir, "*.json"), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const k = (JSON.parse(run.stdout) as { kubernetes: { workloadCost: string; compliantCost: string; compliancePct: number; idleCost: string; unallocatedCost: string; byNamespace: { namespace: string; cost: string; compliancePct: number; problems: string[] }[] } }).kubernetes;
    const workload = new Decimal("12.5").plus("7.25").plus("3.125").plus("10");
    const compliant = new Decimal("12.5").plus("10");
    expect(new Decimal(k.workloadCost).equals(workload)).toBe(true);
    expect(new Decimal(k.compliantCost).equals(compliant)).toBe(true);
    expect(k.compliancePct).toBe(compliant.times(100).dividedBy(workload).toDecimalPlaces(2).toNumber());
    expect(new Decimal(k.idleCost).equals("6.5")).toBe(true);
    expect(new Decimal(k.unallocatedCost).equals("1.5")).toBe(true);
    expect(k.byNamespace.map((n) => [n.namespace, new Decimal(n.cost).toFixed(3), n.problems])).toEqual([
      ["payments", "29.750", ['team="nobody" not allowed']],
      ["search", "3.125", ["missing cost-center", "missing environment", 'team="search" not allowed']],
    ]);
  });

  it("a pod's alias of a required key stands against its namespace's key; an unrelated namespace key still fills in", () => {
    const dir = tempDir();
    // Team is an alias of team in the sample's allot.yaml: the pod's Team=nobody is its team, not the namespace's payments.
    const aliased = alloc("payments/worker", "payments", 4, { Team: "nobody" }, { team: "payments", "cost-center": "CC-1200", environment: "prod" });
    // Must pass: no team label on the pod, so the namespace's team is the pod's.
    const inherited = alloc("payments/cron", "payments", 6, { environment: "prod" }, { team: "payments", "cost-center": "CC-1200" });
    writeFileSync(join(dir, "2026-10-01.json"), response("2026-10-01", [aliased, inherited]));
    const run = allot(["compliance", "--config", config, "--input", bill(dir), "--k8s", join(dir, "*.json"), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const k = (JSON.parse(run.stdout) as { kubernetes: { compliantCost: string; byNamespace: { problems: string[] }[] } }).kubernetes;
    expect(new Decimal(k.compliantCost).toFixed()).toBe("6");
    expect(k.byNamespace[0]!.problems).toEqual(['team="nobody" not allowed']);
  });

  it("a workload whose name merely has idle in it is a workload; cost parts without totalCost sum exactly", () => {
    const dir = tempDir();
    const named = alloc("payments/my-idle-job", "payments", 2, { ...good });
    // No totalCost: the parts 0.1 and 0.2, which add up to 0.30000000000000004 as floats.
    const parts = { "payments/api": { ...alloc("payments/api", "payments", 0, { ...good })["payments/api"], totalCost: undefined, cpuCost: 0.1, ramCost: 0.2 } };
    writeFileSync(join(dir, "2026-10-01.json"), response("2026-10-01", [named, parts, alloc("__idle__", undefined, 1)]));
    const run = allot(["compliance", "--config", config, "--input", bill(dir), "--k8s", join(dir, "*.json"), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const k = (JSON.parse(run.stdout) as { kubernetes: { workloadCost: string; idleCost: string } }).kubernetes;
    expect(new Decimal(k.workloadCost).toFixed()).toBe("2.3");
    expect(new Decimal(k.idleCost).toFixed()).toBe("1");
  });

  it("reads OpenCost's CSV export (Labels as JSON) to the same figures as the JSON", () => {
    const dir = tempDir();
    const header = "Date,Namespace,ControllerKind,ControllerName,Pod,Container,CPUCoreUsageAverage,CPUCoreRequestAverage,RAMBytesUsageAverage,RAMBytesRequestAverage,NetworkReceiveBytes,NetworkTransferBytes,GPUs,PVBytes,CPUCost,RAMCost,NetworkCost,PVCost,GPUCost,TotalCost,Labels";
    const row = (ns: string, pod: string, total: string, labels: object) => `2026-10-03,${ns},deployment,${pod},${pod}-1,app,0,0,0,0,0,0,0,0,0,0,0,0,0,${total},"${JSON.stringify(labels).replace(/"/g, '""')}"`;
    writeFileSync(join(dir, "export.csv"), [header, row("payments", "api", "2.5", good), row("payments", "worker", "1.25", { team: "payments" }), row("", "orphan", "0.5", {})].join("\n") + "\n");
    const run = allot(["compliance", "--config", config, "--input", bill(dir), "--k8s", join(dir, "export.csv"), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const k = (JSON.parse(run.stdout) as { kubernetes: { workloadCost: string; compliantCost: string; unallocatedCost: string } }).kubernetes;
    expect([k.workloadCost, k.compliantCost, k.unallocatedCost].map((v) => new Decimal(v).toFixed(2))).toEqual(["3.75", "2.50", "0.50"]);
  });

  it("shows the section in the report and the terminal", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.json"), response("2026-10-01", [alloc("payments/api", "payments", 3, good), alloc("web/x", "web", 1, { team: "@everyone https://x.example" })]));
    const report = allot(["report", "--config", config, "--input", bill(dir), "--k8s", join(dir, "a.json"), "--out", join(dir, "out"), "--format", "md,json"]);
    expect(report.code, report.stderr).toBe(0);
    const md = readFileSync(join(dir, "out", "report.md"), "utf8");
    expect(md).toContain("### Kubernetes labels");
    expect(md).toContain("75.00% of the cluster's workload cost");
    expect(md).not.toMatch(/@everyone|https:\/\/x\.example/);
    const text = allot(["compliance", "--config", config, "--input", bill(dir), "--k8s", join(dir, "a.json")]);
    expect(text.stdout).toContain("Kubernetes labels");
    expect(allot(["report", "--config", config, "--input", bill(dir), "--out", join(dir, "plain"), "--format", "json"]).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "plain", "report.json"), "utf8")).kubernetes).toBeNull();
  });

  // OpenCost's amounts are list prices, never converted to the bill's currency: a yen org still sees them to
  // two places (0.40 of 0.60), not rounded to whole yen (0 of 1).
  it("shows OpenCost's amounts to two places whatever the org's currency", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.json"), response("2026-10-01", [alloc("payments/api", "payments", 0.4, good), alloc("web/x", "web", 0.2, {})]));
    const yen = join(dir, "allot.yaml");
    writeFileSync(yen, readFileSync(config, "utf8").replace("currency: USD", "currency: JPY"));
    writeFileSync(join(dir, "bill.csv"), readFileSync(bill(dir), "utf8").replace(",USD,", ",JPY,"));
    const report = allot(["report", "--config", yen, "--input", join(dir, "bill.csv"), "--k8s", join(dir, "a.json"), "--out", join(dir, "out"), "--format", "md"]);
    expect(report.code, report.stderr).toBe(0);
    const [compliant, workload] = [new Decimal("0.4"), new Decimal("0.4").plus("0.2")];
    expect(readFileSync(join(dir, "out", "report.md"), "utf8")).toContain(`${compliant.toFixed(2)} of ${workload.toFixed(2)}`);
    const text = allot(["compliance", "--config", yen, "--input", join(dir, "bill.csv"), "--k8s", join(dir, "a.json")]);
    expect(text.stdout).toContain(`${compliant.toFixed(2)} of ${workload.toFixed(2)}`);
  });

  it("with no labels asked of Kubernetes (labelsOn: []), says so, not that there was no workload cost", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.json"), response("2026-10-01", [alloc("payments/api", "payments", 3, good)]));
    const none = join(dir, "allot.yaml");
    writeFileSync(none, readFileSync(config, "utf8").replace(/\ntags:\n/, "\ntags:\n  kubernetes: { labelsOn: [] }\n"));
    const text = allot(["compliance", "--config", none, "--input", bill(dir), "--k8s", join(dir, "a.json")]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("n/a (tags.kubernetes.labelsOn is []) of workload cost carries valid cost labels: 0.00 of 3.00");
    expect(text.stdout).not.toContain("no workload cost");
  });

  it("reads many response files in one read, each record named by its own file, hostile names too", () => {
    const dir = tempDir();
    // Names DuckDB would take as globs or SQL if they were not passed as literal paths: the bad record is in the second.
    const names = ["ok [1] 'it''s'.json", "bad *?.json"];
    writeFileSync(join(dir, names[0]!), response("2026-10-01", [alloc("payments/api", "payments", 2.5, good)]));
    const bad = JSON.parse(response("2026-10-02", [alloc("search/web", "search", 1, good)])) as { data: Record<string, { totalCost: unknown }>[] };
    bad.data[0]!["search/web"]!.totalCost = "lots";
    writeFileSync(join(dir, names[1]!), JSON.stringify(bad));
    const files = names.map((n) => join(dir, n));
    const run = allot(["compliance", "--config", config, "--input", bill(dir), "--k8s", ...files]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`allot: --k8s ${files[1]} record "search/web": totalCost "lots" is not a number; fix the record or export it again from OpenCost\n`);
    // Fixed, both files' workloads are read: 2.5 + 1.
    bad.data[0]!["search/web"]!.totalCost = 1;
    writeFileSync(files[1]!, JSON.stringify(bad));
    const fixed = allot(["compliance", "--config", config, "--input", bill(dir), "--k8s", ...files, "--json"]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(new Decimal((JSON.parse(fixed.stdout) as { kubernetes: { workloadCost: string } }).kubernetes.workloadCost).equals("3.5")).toBe(true);
  });

  it("names the file and record of a bad allocation, in one line", () => {
    const dir = tempDir();
    const bad = JSON.parse(response("2026-10-01", [alloc("payments/api", "payments", 1, good)])) as { data: Record<string, { totalCost: unknown }>[] };
    bad.data[0]!["payments/api"]!.totalCost = "lots";
    writeFileSync(join(dir, "bad.json"), JSON.stringify(bad));
    const run = allot(["compliance", "--config", config, "--input", bill(dir), "--k8s", join(dir, "bad.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^allot: --k8s \S+bad\.json record "payments\/api": totalCost "lots" is not a number; fix the record/);
    writeFileSync(join(dir, "neg.csv"), "Date,Namespace,TotalCost\n2026-10-01,payments,1\n2026-10-01,payments,-2\n");
    const neg = allot(["compliance", "--config", config, "--input", bill(dir), "--k8s", join(dir, "neg.csv")]);
    expect(neg.stderr).toMatch(/neg\.csv:3: totalCost -2 is negative/);
    expect(allot(["compliance", "--config", config, "--input", bill(dir), "--k8s", join(dir, "none-*.json")]).stderr).toMatch(/^allot: --k8s \S+none-\*\.json: the glob matches no files/);
    writeFileSync(join(dir, "wrong.csv"), "a,b\n1,2\n");
    expect(allot(["compliance", "--config", config, "--input", bill(dir), "--k8s", join(dir, "wrong.csv")]).stderr).toMatch(/wrong\.csv:1: OpenCost's CSV export has Date, Namespace/);
  });
});
