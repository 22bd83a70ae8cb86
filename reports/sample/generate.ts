// `allot sample`: deterministic FOCUS 1.2 billing data for the sample organisation, written month by
// month as a stream (10M rows never sit in memory), plus usage metrics and truth.json: the figures a
// correct reader must arrive at, tallied here from what was generated, not by reading it back.
import { createWriteStream, existsSync, mkdirSync, copyFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { once } from "node:events";
import { createGzip } from "node:zlib";
import type { Writable } from "node:stream";
import { UserError } from "../../model";
import { FOCUS_1_2_COLUMNS, FOCUS_COST_COLUMNS, FOCUS_PRICE_COLUMNS, FOCUS_QUANTITY_COLUMNS, FOCUS_TIME_COLUMNS, type FocusColumn } from "../../model/focus";
import { sqlString, withDuckDB } from "../read/duckdb";
import { csvQuote } from "../text/escape";
import { accounts, anomalies, resourceIdTemplates, billingAccounts, commitments, retiredTeam, services, workloads, type Commitment, type CommitmentKey, type Provider, type TagDefect, type Workload } from "./catalog";
import { MeteringLog } from "./metering";
import { writeMetrics } from "./metrics";
import { writeOpenCost } from "./opencost";
import { Random } from "./random";
import { formatMicros, MICROS, Tally, type Truth } from "./truth";

import type { SampleOptions } from "./options";

export { SAMPLE_DEFAULTS } from "./options";
export type { SampleFormat, SampleOptions } from "./options";

const DAY_MS = 86_400_000;

const toMicros = (amount: number) => Math.round(amount * MICROS);
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

interface Month {
  label: string;
  index: number;
  start: number;
  end: number;
  days: number;
}

function monthsEndingAt(endMonth: string, count: number): Month[] {
  const [y, m] = endMonth.split("-").map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const start = Date.UTC(y, m - 1 - (count - 1 - i), 1);
    const end = Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth() + 1, 1);
    return { label: new Date(start).toISOString().slice(0, 7), index: i, start, end, days: Math.round((end - start) / DAY_MS) };
  });
}

/** A resource: one replica of a workload, billed on `rowCount` of the period's days, evenly spread. */
interface Replica {
  workload: Workload;
  defect: TagDefect;
  /** The team a correct direct attribution (team, then cost-center) reaches, or null. */
  attributedTeam: string | null;
  compliant: boolean;
  rowCount: number;
  /** Shifts the replica's billing days so sparse replicas of a workload do not all bill on the same days. */
  phase: number;
  /** Multiplier from the workload's daily cost to this replica's row cost. */
  scale: number;
  /** Pre-escaped CSV cells that never change between rows. */
  cells: string[];
}

const DEFECT_ODDS: Record<TagDefect, number> = {
  none: 70, "alias-team": 5, "alias-cost-center": 4, "padded-value": 3, "missing-team": 4, "empty-team": 3,
  "retired-team": 0, "bad-environment": 4, "unknown-key": 3, untagged: 4,
};

function tagsFor(workload: Workload, defect: TagDefect, costCenter: string): Record<string, string> | null {
  if (defect === "untagged") return null;
  const tags: Record<string, string> = { team: workload.team, "cost-center": costCenter, environment: workload.environment, app: workload.id };
  if (workload.project) tags.project = workload.project;
  if (workload.pool) tags["cost-pool"] = workload.pool;
  const rename = (from: string, to: string) => {
    const entries = Object.entries(tags).map(([k, v]) => [k === from ? to : k, v]);
    return Object.fromEntries(entries) as Record<string, string>;
  };
  switch (defect) {
    case "alias-team": return rename("team", "Team");
    case "alias-cost-center": return rename("cost-center", "costcenter");
    case "padded-value": return { ...tags, team: ` ${workload.team} ` };
    case "missing-team": { const { team: _, ...rest } = tags; return rest; }
    case "empty-team": return { ...tags, team: "" };
    case "retired-team": return { ...tags, team: retiredTeam.id, "cost-center": retiredTeam.costCenter };
    case "bad-environment": return { ...tags, environment: workload.environment === "prod" ? "production" : "develop" };
    case "unknown-key": { const { "cost-center": _, ...rest } = rename("team", "team_name"); return rest; }
    default: return tags;
  }
}

/** What a correct reader concludes from a defect; written from the defect, not by parsing the tags. */
function judge(defect: TagDefect, owner: string): { attributedTeam: string | null; compliant: boolean } {
  switch (defect) {
    case "none": case "alias-team": case "alias-cost-center": case "padded-value": return { attributedTeam: owner, compliant: true };
    case "missing-team": case "empty-team": case "bad-environment": return { attributedTeam: owner, compliant: false };
    default: return { attributedTeam: null, compliant: false };
  }
}

function resourceIdFor(workload: Workload, replica: number, rng: Random): { id: string; name: string } {
  const name = `${workload.id}-${replica + 1}`;
  const fields: Record<string, string> = { account: workload.account.id, region: workload.region, team: workload.team, name: `${name}-${rng.hex(8)}` };
  return { id: resourceIdTemplates[workload.service].replace(/\{(\w+)\}/g, (_, key: string) => fields[key]!), name };
}

/** Splits `total` into `parts` whole numbers that differ by at most one. */
function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** Day `d` of `days` is one of the `k` evenly spread billing days (Bresenham). */
const billsOn = (d: number, k: number, days: number) => Math.floor(((d + 1) * k) / days) > Math.floor((d * k) / days);

function specialRowCount(months: number): number {
  // per month: Savings Plan fee + its unused row + reservation unused row + AWS tax; once: the
  // reservation purchase; GCP promotional credits in the first three months; one AWS credit; one correction
  return months * 4 + 1 + Math.min(3, months) + (months >= 2 ? 2 : 0);
}

export function minimumRows(months: number): number {
  return specialRowCount(months) + workloads.length;
}

export async function generateSample(options: SampleOptions): Promise<Truth> {
  const { rows, format, seed, model } = options;
  const months = monthsEndingAt(options.endMonth, options.months);
  const totalDays = months.reduce((n, m) => n + m.days, 0);
  const usageRows = rows - specialRowCount(months.length);
  if (usageRows < workloads.length) {
    throw new UserError(`--rows ${rows} is too small for ${months.length} months: use at least ${minimumRows(months.length)}`);
  }
  for (const wl of workloads) {
    if (wl.defect !== "retired-team" && !model.teams.has(wl.team)) throw new Error(`sample catalog: workload ${wl.id} names team ${wl.team}, which ${options.modelFile} does not have`);
  }
  const rng = new Random(seed);
  const out = resolve(options.out);
  const focusDir = join(out, "focus");
  for (const [path, what] of [[out, "--out"], [focusDir, "its focus/ folder"]] as const) {
    if (existsSync(path) && !statSync(path).isDirectory()) throw new UserError(`--out ${options.out}: ${what === "--out" ? "is a file, not a directory" : `${focusDir} is a file, not the folder allot sample writes`}; pass a new or empty directory`);
  }
  try {
    rmSync(focusDir, { recursive: true, force: true });
    mkdirSync(focusDir, { recursive: true });
  } catch (error) {
    throw new UserError(`--out ${options.out}: cannot write the sample (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose a writable directory`);
  }
  copyFileSync(options.modelFile, join(out, "allot.yaml"));

  const col = Object.fromEntries(FOCUS_1_2_COLUMNS.map((c, i) => [c, i])) as Record<FocusColumn, number>;
  const replicas: Replica[] = [];
  spread(usageRows, workloads.length).forEach((workloadRows, wi) => {
    const workload = workloads[wi]!;
    const count = Math.ceil(workloadRows / totalDays);
    spread(workloadRows, count).forEach((rowCount, r) => {
      const defect = workload.defect ?? rng.pick(DEFECT_ODDS);
      const costCenter = model.teams.get(workload.team)?.costCenter ?? retiredTeam.costCenter;
      const tags = tagsFor(workload, defect, costCenter);
      const { id, name } = resourceIdFor(workload, r, rng);
      const service = services[workload.service];
      const cells = rowCells(col, {
        ...accountCells(service.provider, workload.account),
        ChargeCategory: "Usage",
        ChargeDescription: service.description,
        ChargeFrequency: "Usage-Based",
        ServiceName: service.name,
        ServiceCategory: service.category,
        ServiceSubcategory: service.subcategory,
        SkuId: service.skuId,
        SkuMeter: service.skuMeter,
        SkuPriceId: `${service.skuId}.${workload.region}`,
        ResourceId: id,
        ResourceName: name,
        ResourceType: service.resourceType,
        RegionId: workload.region,
        RegionName: workload.region,
        ListUnitPrice: service.listPrice,
        PricingUnit: service.unit,
        ConsumedUnit: service.unit,
        Tags: tags ? JSON.stringify(tags) : "",
      });
      replicas.push({ workload, defect, ...judge(defect, workload.team), rowCount, phase: Math.floor(rng.next() * totalDays), scale: totalDays / rowCount / count, cells });
    });
  });

  const exemptAccounts = new Set(model.input.tags.exemptions?.accounts ?? []);
  // Its own random stream, so the usage log never changes the bill.
  const metering = new MeteringLog(join(out, "metering.csv"), model, new Random(seed + 1));
  const tally = new Tally(options, months.map((m) => m.label));
  const files: string[] = [];
  const capacity = commitmentCapacity();
  let dayOffset = 0;
  for (const month of months) {
    const file = join(focusDir, `${month.label}.${format}`);
    const csvFile = format === "parquet" ? join(focusDir, `.${month.label}.csv`) : file;
    const sink = openSink(csvFile, format === "csv.gz");
    await sink.write(FOCUS_1_2_COLUMNS.join(",") + "\n");
    const writer = new MonthWriter(sink, col, month, tally, exemptAccounts);
    const covered: Record<CommitmentKey, number> = { awsSavingsPlan: 0, azureReservation: 0 };
    let awsBilled = 0;

    for (let d = 0; d < month.days; d++) {
      const day = month.start + d * DAY_MS;
      const weekend = [0, 6].includes(new Date(day).getUTCDay());
      for (const replica of replicas) {
        if (!billsOn((dayOffset + d + replica.phase) % totalDays, replica.rowCount, totalDays)) continue;
        const wl = replica.workload;
        const service = services[wl.service];
        const anomaly = anomalies.find((a) => a.workload === wl.id && a.monthsBack === months.length - 1 - month.index && a.days.includes(d + 1));
        const trend = (wl.monthly / 30.4) * Math.pow(1 + wl.growth, month.index + d / month.days);
        const daily = trend * (wl.weekly && weekend ? 0.78 : 1) * rng.between(0.94, 1.06) * (anomaly?.factor ?? 1);
        const contracted = toMicros(daily * replica.scale);
        const list = Math.round(contracted / (1 - service.discount));
        const quantity = (list / MICROS / Number(service.listPrice)).toFixed(6);
        const commitment = wl.commitment ? commitments[wl.commitment] : undefined;
        const committed = commitment ? Math.round(contracted * (1 - commitment.discount)) : 0;
        const useCommitment = commitment !== undefined && covered[wl.commitment!] + committed <= capacity[wl.commitment!];
        if (useCommitment) covered[wl.commitment!] += committed;
        const billed = useCommitment ? 0 : contracted;
        const effective = useCommitment ? committed : contracted;
        if (service.provider === "AWS") awsBilled += billed;
        if (anomaly) tally.anomaly(anomaly, wl, month.label, effective - Math.round(effective / anomaly.factor));
        metering.charge(wl.service, effective);
        await writer.usage(replica, day, { billed, effective, list, contracted, quantity, commitment: useCommitment ? commitment : undefined });
      }
      metering.endDay(new Date(day).toISOString().slice(0, 10));
    }
    dayOffset += month.days;

    for (const key of ["awsSavingsPlan", "azureReservation"] as const) {
      const c = commitments[key];
      if (c.payment === "recurring") await writer.commitmentPurchase(c, capacity[key], "Recurring");
      else if (month.index === 0) await writer.commitmentPurchase(c, capacity[key] * c.termMonths, "One-Time");
      await writer.commitmentUnused(c, capacity[key] - covered[key]);
    }
    await writer.tax("AWS", Math.round(awsBilled * 0.0625));
    if (month.index < 3) await writer.credit("Google Cloud", "Compute Engine", "Compute", -toMicros(1500), "Promotional credit: Google Cloud Innovators");
    if (month.index === 1) await writer.credit("AWS", services.ec2.name, "Compute", -toMicros(2000), "AWS Migration Acceleration Program credit");
    if (month.index === months.length - 1 && months.length >= 2) {
      const original = replicas.find((r) => r.workload.id === "payments-fraud-db")!;
      await writer.correction(original, month.start - 10 * DAY_MS, -toMicros(412.35));
    }
    await writer.flush();
    await sink.close();
    if (format === "parquet") {
      await toParquet(csvFile, file);
      rmSync(csvFile);
    }
    files.push(file);
  }
  await metering.close();
  writeMetrics(join(out, "metrics.csv"), months, rng);
  // Its own random stream, so the bill and the metrics are the same with or without it.
  writeOpenCost(out, model, months, new Random(seed + 2));
  const truth = tally.finish(files.map((f) => f.slice(out.length + 1)), replicas);
  writeFileSync(join(out, "truth.json"), `${JSON.stringify(truth, null, 2)}\n`);
  return truth;
}

/**
 * What each commitment covers per month (EffectiveCost, micro-units), sized with some headroom on the
 * first month's usage: early months leave some unused, later months outgrow it and spill to on-demand.
 */
function commitmentCapacity(): Record<CommitmentKey, number> {
  const size = (key: CommitmentKey, headroom: number) => {
    const covered = workloads.filter((w) => w.commitment === key).reduce((sum, w) => sum + w.monthly, 0);
    return toMicros(Math.round(covered * (1 - commitments[key].discount) * headroom));
  };
  return { awsSavingsPlan: size("awsSavingsPlan", 1.06), azureReservation: size("azureReservation", 1.04) };
}

type Cells = Partial<Record<FocusColumn, string>>;

function accountCells(provider: Provider, account: { id: string; name: string; type: string }): Cells {
  const billing = billingAccounts[provider];
  return {
    ProviderName: provider,
    PublisherName: billing.publisher,
    InvoiceIssuerName: billing.issuer,
    BillingAccountId: billing.id,
    BillingAccountName: billing.name,
    BillingAccountType: billing.type,
    SubAccountId: account.id,
    SubAccountName: account.name,
    SubAccountType: account.type,
    BillingCurrency: "USD",
    PricingCurrency: "USD",
  };
}

/** A row's cells in FOCUS column order, CSV-quoted; columns not given are empty. */
function rowCells(col: Record<FocusColumn, number>, values: Cells): string[] {
  const cells: string[] = new Array(FOCUS_1_2_COLUMNS.length).fill("");
  for (const [column, value] of Object.entries(values)) cells[col[column as FocusColumn]] = csvQuote(value);
  return cells;
}

interface Amounts {
  billed: number;
  effective: number;
  list: number;
  contracted: number;
  quantity?: string;
  commitment?: Commitment | undefined;
}

/** Writes one month's rows and tallies each as it goes. */
class MonthWriter {
  private buffer: string[] = [];

  constructor(
    private readonly sink: Sink,
    private readonly col: Record<FocusColumn, number>,
    private readonly month: Month,
    private readonly tally: Tally,
    private readonly exemptAccounts: ReadonlySet<string>,
  ) {}

  async usage(replica: Replica, day: number, a: Amounts) {
    const cells = replica.cells.slice();
    this.fill(cells, day, day + DAY_MS, a);
    const usage = { team: replica.attributedTeam, compliant: replica.compliant, exempt: this.exemptAccounts.has(replica.workload.account.id) };
    this.tally.row(this.month.label, services[replica.workload.service].provider, "Usage", a.billed, a.effective, usage);
    await this.push(cells);
  }

  async commitmentPurchase(c: Commitment, amount: number, frequency: "Recurring" | "One-Time") {
    const cells = this.baseCells(c.provider, c.account, c.provider === "AWS" ? "Savings Plans for AWS Compute usage" : "Virtual Machines");
    this.setAll(cells, { ChargeCategory: "Purchase", ChargeFrequency: frequency, ChargeDescription: `${c.name} ${frequency === "Recurring" ? "monthly fee" : "upfront payment"}`, ResourceId: c.id, ResourceName: c.name, RegionId: c.region, RegionName: c.region });
    this.setCommitment(cells, c, null);
    this.fill(cells, this.month.start, this.month.end, { billed: amount, effective: 0, list: amount, contracted: amount });
    this.tally.row(this.month.label, c.provider, "Purchase", amount, 0, null);
    await this.push(cells);
  }

  async commitmentUnused(c: Commitment, amount: number) {
    const cells = this.baseCells(c.provider, c.account, c.provider === "AWS" ? "Savings Plans for AWS Compute usage" : "Virtual Machines");
    this.setAll(cells, { ChargeCategory: "Usage", ChargeFrequency: "Usage-Based", ChargeDescription: `Unused ${c.name}`, ResourceId: c.id, ResourceName: c.name, RegionId: c.region, RegionName: c.region, PricingCategory: "Committed" });
    this.setCommitment(cells, c, "Unused");
    this.fill(cells, this.month.start, this.month.end, { billed: 0, effective: amount, list: 0, contracted: 0 });
    this.tally.row(this.month.label, c.provider, "Usage", 0, amount, { team: null, compliant: false, exempt: false });
    await this.push(cells);
  }

  async tax(provider: Provider, amount: number) {
    const account = provider === "AWS" ? accounts.awsProd : accounts.gcpData;
    const cells = this.baseCells(provider, account, "Tax");
    this.setAll(cells, { ChargeCategory: "Tax", ChargeFrequency: "Recurring", ChargeDescription: "Sales tax (US) on taxable usage", ServiceCategory: "Other" });
    this.fill(cells, this.month.start, this.month.end, { billed: amount, effective: amount, list: amount, contracted: amount });
    this.tally.row(this.month.label, provider, "Tax", amount, amount, null);
    await this.push(cells);
  }

  async credit(provider: Provider, serviceName: string, category: string, amount: number, description: string) {
    const account = provider === "AWS" ? accounts.awsProd : accounts.gcpData;
    const cells = this.baseCells(provider, account, serviceName);
    this.setAll(cells, { ChargeCategory: "Credit", ChargeFrequency: "One-Time", ChargeDescription: description, ServiceCategory: category });
    this.fill(cells, this.month.start, this.month.end, { billed: amount, effective: amount, list: 0, contracted: 0 });
    this.tally.row(this.month.label, provider, "Credit", amount, amount, null);
    await this.push(cells);
  }

  /** A refund of an earlier period's overcharge: ChargeClass Correction, charge period before the billing period. */
  async correction(original: Replica, day: number, amount: number) {
    const cells = original.cells.slice();
    this.fill(cells, day, day + DAY_MS, { billed: amount, effective: amount, list: amount, contracted: amount, quantity: "0" });
    this.setAll(cells, { ChargeClass: "Correction", ChargeDescription: "Correction: RDS instance hours billed twice on a Multi-AZ failover" });
    const usage = { team: original.attributedTeam, compliant: original.compliant, exempt: false };
    this.tally.row(this.month.label, "AWS", "Usage", amount, amount, usage);
    await this.push(cells);
  }

  private baseCells(provider: Provider, account: { id: string; name: string; type: string }, serviceName: string): string[] {
    const service = Object.values(services).find((s) => s.name === serviceName && s.provider === provider);
    return rowCells(this.col, { ...accountCells(provider, account), ServiceName: serviceName, ServiceCategory: service?.category ?? "Compute", ServiceSubcategory: service?.subcategory ?? "" });
  }

  private setAll(cells: string[], values: Partial<Record<FocusColumn, string>>) {
    for (const [c, v] of Object.entries(values)) cells[this.col[c as FocusColumn]] = csvQuote(v!);
  }

  private setCommitment(cells: string[], c: Commitment, status: "Used" | "Unused" | null) {
    this.setAll(cells, { CommitmentDiscountId: c.id, CommitmentDiscountName: c.name, CommitmentDiscountCategory: c.category, CommitmentDiscountType: c.type, CommitmentDiscountStatus: status ?? "" });
  }

  private fill(cells: string[], from: number, to: number, a: Amounts) {
    const c = this.col;
    cells[c.BillingPeriodStart] = iso(this.month.start);
    cells[c.BillingPeriodEnd] = iso(this.month.end);
    cells[c.ChargePeriodStart] = iso(from);
    cells[c.ChargePeriodEnd] = iso(to);
    cells[c.InvoiceId] = `INV-${cells[c.ProviderName]!.slice(0, 3).toUpperCase()}-${this.month.label}`;
    cells[c.BilledCost] = formatMicros(a.billed);
    cells[c.EffectiveCost] = formatMicros(a.effective);
    cells[c.ListCost] = formatMicros(a.list);
    cells[c.ContractedCost] = formatMicros(a.contracted);
    cells[c.PricingCurrencyEffectiveCost] = cells[c.EffectiveCost]!;
    if (a.quantity !== undefined) {
      cells[c.PricingQuantity] = a.quantity;
      cells[c.ConsumedQuantity] = a.quantity;
      cells[c.PricingCategory] = a.commitment ? "Committed" : "Standard";
    }
    if (a.commitment) this.setCommitment(cells, a.commitment, "Used");
  }

  private async push(cells: string[]) {
    this.buffer.push(cells.join(","));
    if (this.buffer.length >= 2048) await this.flush();
  }

  async flush() {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join("\n") + "\n";
    this.buffer = [];
    await this.sink.write(chunk);
  }
}

interface Sink {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
}

function openSink(file: string, gzip: boolean): Sink {
  const fileStream = createWriteStream(file);
  const head: Writable = gzip ? createGzip({ level: 6 }) : fileStream;
  if (gzip) head.pipe(fileStream);
  return {
    async write(chunk) {
      if (!head.write(chunk)) await once(head, "drain");
    },
    async close() {
      head.end();
      await once(fileStream, "close");
    },
  };
}

const DECIMAL_TYPES: Record<string, string> = Object.fromEntries([
  ...FOCUS_COST_COLUMNS.map((c) => [c, "DECIMAL(18,6)"]),
  ...FOCUS_PRICE_COLUMNS.map((c) => [c, "DECIMAL(18,10)"]),
  ...FOCUS_QUANTITY_COLUMNS.map((c) => [c, "DECIMAL(38,6)"]),
  ...FOCUS_TIME_COLUMNS.map((c) => [c, "TIMESTAMPTZ"]),
]);

async function toParquet(csvFile: string, parquetFile: string) {
  const columns = FOCUS_1_2_COLUMNS.map((c) => `'${c}': '${DECIMAL_TYPES[c] ?? "VARCHAR"}'`).join(", ");
  await withDuckDB(async (db) => {
    await db.run(
      `COPY (SELECT * FROM read_csv(${sqlString(csvFile)}, header = true, columns = {${columns}})) ` +
        `TO ${sqlString(parquetFile)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
    );
  });
}
