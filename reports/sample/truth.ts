// truth.json: what the generator knows it wrote, tallied row by row in integer micro-units, so tests can
// hold every reader and report to exact figures.
import type { AnomalySpec, Workload } from "./catalog";
import { services } from "./catalog";
import type { SampleOptions } from "./options";

export const MICROS = 1_000_000;

/** Bump when the generator's output changes for the same options, so cached samples are regenerated. */
export const SAMPLE_VERSION = 4;

/** Integer micro-units as a decimal string with 6 places: exact, unlike formatting a float. */
export function formatMicros(micros: number): string {
  if (!Number.isSafeInteger(micros)) throw new Error(`amount out of range: ${micros} micro-units`);
  const sign = micros < 0 ? "-" : "";
  const abs = Math.abs(micros);
  return `${sign}${Math.floor(abs / MICROS)}.${String(abs % MICROS).padStart(6, "0")}`;
}

export interface CostPair {
  BilledCost: string;
  EffectiveCost: string;
}

export interface MonthTruth extends CostPair {
  rows: number;
  byProvider: Record<string, CostPair>;
  byChargeCategory: Record<string, CostPair>;
  /** Direct attribution by the `team` tag, falling back to `cost-center`, as the sample's owner-tags rule says. */
  byTeam: Record<string, CostPair>;
  unallocated: CostPair;
  /** Usage charges outside exempt accounts: the base of tag compliance. */
  usage: CostPair;
  /** Of those, the charges missing a valid value for at least one required tag. */
  untaggedUsage: CostPair;
  /** Usage charges in exempt accounts, left out of compliance. */
  exemptUsage: CostPair;
}

export interface Truth {
  generator: { version: number; rows: number; months: number; endMonth: string; format: string; seed: number; files: string[] };
  currency: "USD";
  definitions: Record<string, string>;
  total: CostPair & { rows: number };
  months: Record<string, MonthTruth>;
  anomalies: { workload: string; team: string; service: string; month: string; days: number[]; why: string; extraEffectiveCost: string }[];
  tagDefects: Record<string, number>;
}

class Pair {
  billed = 0;
  effective = 0;
  add(billed: number, effective: number) {
    this.billed += billed;
    this.effective += effective;
    if (!Number.isSafeInteger(this.billed) || !Number.isSafeInteger(this.effective)) throw new Error("sample total exceeds exact integer range");
  }
  toJSON(): CostPair {
    return { BilledCost: formatMicros(this.billed), EffectiveCost: formatMicros(this.effective) };
  }
}

class MonthTally {
  rows = 0;
  all = new Pair();
  byProvider = new Map<string, Pair>();
  byChargeCategory = new Map<string, Pair>();
  byTeam = new Map<string, Pair>();
  unallocated = new Pair();
  usage = new Pair();
  untaggedUsage = new Pair();
  exemptUsage = new Pair();
}

const pairIn = (map: Map<string, Pair>, key: string) => map.get(key) ?? map.set(key, new Pair()).get(key)!;
const sortedJSON = (map: Map<string, Pair>) => Object.fromEntries([...map.keys()].sort().map((k) => [k, map.get(k)!.toJSON()]));

export interface UsageFacts {
  team: string | null;
  compliant: boolean;
  exempt: boolean;
}

export class Tally {
  private readonly months = new Map<string, MonthTally>();
  private readonly anomalies = new Map<string, Truth["anomalies"][number] & { micros: number }>();

  constructor(
    private readonly options: SampleOptions,
    monthLabels: string[],
  ) {
    for (const label of monthLabels) this.months.set(label, new MonthTally());
  }

  /** Counts one row. `usage` is null for rows that carry no tags and are not usage (purchases, tax, credits). */
  row(month: string, provider: string, chargeCategory: string, billed: number, effective: number, usage: UsageFacts | null) {
    const m = this.months.get(month)!;
    m.rows++;
    m.all.add(billed, effective);
    pairIn(m.byProvider, provider).add(billed, effective);
    pairIn(m.byChargeCategory, chargeCategory).add(billed, effective);
    if (usage?.team) pairIn(m.byTeam, usage.team).add(billed, effective);
    else m.unallocated.add(billed, effective);
    if (chargeCategory === "Usage" && usage) {
      if (usage.exempt) m.exemptUsage.add(billed, effective);
      else {
        m.usage.add(billed, effective);
        if (!usage.compliant) m.untaggedUsage.add(billed, effective);
      }
    }
  }

  anomaly(spec: AnomalySpec, workload: Workload, month: string, extraMicros: number) {
    const key = `${spec.workload}:${month}`;
    const entry = this.anomalies.get(key) ?? { workload: spec.workload, team: workload.team, service: services[workload.service].name, month, days: spec.days, why: spec.why, extraEffectiveCost: "", micros: 0 };
    entry.micros += extraMicros;
    this.anomalies.set(key, entry);
  }

  finish(files: string[], replicas: { defect: string }[]): Truth {
    const total = new Pair();
    let rows = 0;
    const months: Record<string, MonthTruth> = {};
    for (const [label, m] of this.months) {
      total.add(m.all.billed, m.all.effective);
      rows += m.rows;
      months[label] = {
        rows: m.rows,
        ...m.all.toJSON(),
        byProvider: sortedJSON(m.byProvider),
        byChargeCategory: sortedJSON(m.byChargeCategory),
        byTeam: sortedJSON(m.byTeam),
        unallocated: m.unallocated.toJSON(),
        usage: m.usage.toJSON(),
        untaggedUsage: m.untaggedUsage.toJSON(),
        exemptUsage: m.exemptUsage.toJSON(),
      };
    }
    const tagDefects: Record<string, number> = {};
    for (const r of replicas) tagDefects[r.defect] = (tagDefects[r.defect] ?? 0) + 1;
    const { out: _out, model: _model, modelFile: _file, ...generator } = this.options;
    return {
      generator: { version: SAMPLE_VERSION, ...generator, files },
      currency: "USD",
      definitions: {
        month: "The billing period (BillingPeriodStart), so a correction for an earlier day counts in the month it was billed.",
        byTeam: "Direct attribution: the team named by the `team` tag (or an alias), else the team whose cost center the `cost-center` tag names.",
        unallocated: "Everything byTeam does not reach: untagged resources, retired team names, purchases, taxes, credits, unused commitments.",
        untaggedUsage: "Usage charges outside exempt accounts that miss a valid value for at least one required tag.",
      },
      total: { ...total.toJSON(), rows },
      months,
      anomalies: [...this.anomalies.values()].map(({ micros, ...a }) => ({ ...a, extraEffectiveCost: formatMicros(micros) })),
      tagDefects: Object.fromEntries(Object.entries(tagDefects).sort()),
    };
  }
}
