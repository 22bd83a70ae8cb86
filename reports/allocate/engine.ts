// The allocation engine. Each charge group goes to the first rule (and tier) that matches it; rules run
// in stages (direct costs first, then shared pools in declared order), so a pool can be split by what
// earlier stages gave each team. Every split is exact: a group's amount is divided at full precision (parts
// at 18 decimals by largest remainder, so they add up to the group), and allocated + unallocated is checked
// against the input to the last digit. Nothing is rounded to the minor unit here: see present.ts.
import type { AllocationRuleInput, CostModel, Owner, TagVerdict } from "../../model";
import { cloudOfProvider, ownerResolver, resourceGlobs, UserError } from "../../model";
import { Decimal, roundLargestRemainder, SPLIT_PLACES, sumOf } from "../money";
import type { ChargeRow } from "../read/charges";
import { TagSetJudge } from "../read/tags";
import { compileMatch, type Matcher } from "./match";
import type { Metering } from "../ai/metering";
import type { Metrics } from "../read/metrics";
import type { OpenCostData } from "../read/opencost";
import { Totals } from "../totals";
import { clusterShares, type ClusterShares } from "./kubernetes";

/** Enough digits that shares such as 1/3 only round at the minor unit, never before. */

type Rule = AllocationRuleInput;
type Method = Exclude<Rule, { method: "tiered" }> | Extract<Rule, { method: "tiered" }>["tiers"][number];

export interface AllocationLine {
  month: string;
  /** The team, unit or project the amount goes to; null for unallocated amounts. */
  target: string | null;
  rule: string | null;
  tier?: string;
  method: string;
  /** The target's share of the source group, as a decimal fraction ("1" for direct). */
  share: string;
  amount: Decimal;
  /** The charge group the amount comes from: any line traces back to the bill. */
  group: ChargeRow;
  /** Why an amount is unallocated. */
  reason?: string;
}

export interface Reconciliation {
  rule: string;
  tier?: string;
  month: string;
  /** The pool's cost in the bill. */
  billed: Decimal;
  /** The same usage priced at the rate card. */
  metered: Decimal;
  /** billed - metered: what the rate card does not explain. */
  difference: Decimal;
}

export interface AllocationResult {
  total: Decimal;
  allocated: Decimal;
  unallocated: Decimal;
  lines: AllocationLine[];
  /** Activity-based pools: billed against metered cost, the difference shown, never hidden. */
  reconciliation: Reconciliation[];
}

/**
 * An amount divided by shares that add up to 1: each part at SPLIT_PLACES (or the amount's own places, if
 * more), placed by largest remainder so the parts add up to the amount exactly. Every split of an amount
 * (a pool over its targets, a cluster charge into workload and idle) is placed here.
 */
function partsOf(amount: Decimal, shares: readonly Decimal[]): Decimal[] {
  const places = Math.max(SPLIT_PLACES, amount.decimalPlaces());
  return roundLargestRemainder(shares.map((s) => s.times(amount)), places, amount);
}

/** Weight keys that stand for an unallocated share start with this character; the rest is the reason. */
const UNALLOCATED = "\u0000";
const ABOVE_RATE_CARD = `${UNALLOCATED}billed above the metered cost at the rate card`;

interface Assignment {
  group: ChargeRow;
  tags: ReadonlyMap<string, string>;
  evaluation: TagVerdict | "unreadable";
  rule?: Rule;
  method?: Method;
  tier?: string;
}

const stageOf = (rule: Rule) => rule.stage ?? (rule.method === "direct" ? 0 : 1);

export class AllocationEngine {
  private readonly rules: { rule: Rule; match: Matcher; tiers?: { tier: Method & { name: string }; match: Matcher }[] }[];
  private readonly judge: TagSetJudge;
  private readonly teams: string[];
  private readonly clusters = new Map<string, ClusterShares | null>();
  private readonly owners = new Map<readonly string[], (tags: ReadonlyMap<string, string>, cloud: ReturnType<typeof cloudOfProvider>, chargeCategory: string) => Owner>();

  constructor(
    private readonly model: CostModel,
    private readonly metrics: Metrics,
    private readonly metering?: Metering,
    /** OpenCost's allocation, for rules with method kubernetes. */
    private readonly kubernetes?: OpenCostData,
  ) {
    this.judge = new TagSetJudge(model.tags);
    this.teams = [...model.teams.keys()];
    const globs = resourceGlobs(model);
    this.rules = model.allocationRules.map((rule) => ({
      rule,
      match: compileMatch(rule.match, globs),
      ...(rule.method === "tiered" ? { tiers: rule.tiers.map((tier) => ({ tier, match: compileMatch(tier.match, globs) })) } : {}),
    }));
  }

  /** The owner resolver for a direct rule's keys, built once per rule. */
  private ownerOf(keys: readonly string[]) {
    let resolver = this.owners.get(keys);
    if (!resolver) this.owners.set(keys, (resolver = ownerResolver(this.model, keys)));
    return resolver;
  }

  private assign(group: ChargeRow): Assignment {
    const evaluation = this.judge.judge(group.tagsFormat, group.tags, group.provider);
    const tags = evaluation === "unreadable" ? new Map<string, string>() : evaluation.tags;
    for (const { rule, match, tiers } of this.rules) {
      // The provider already split this charge to its workload (FOCUS split cost allocation): only ownership applies.
      if (group.allocatedMethod && rule.method !== "direct") continue;
      if (!match(group, tags)) continue;
      if (!tiers) return { group, tags, evaluation, rule, method: rule as Method };
      const tier = tiers.find((t) => t.match(group, tags));
      if (tier) return { group, tags, evaluation, rule, method: tier.tier, tier: tier.tier.name };
    }
    return { group, tags, evaluation };
  }

  allocate(groups: readonly ChargeRow[]): AllocationResult {
    const assignments = groups.map((g) => this.assign(g));
    const lines: AllocationLine[] = [];
    for (const a of assignments) {
      if (!a.rule) lines.push({ month: a.group.month, target: null, rule: null, method: "none", share: "1", amount: a.group.cost, group: a.group, reason: "no allocation rule matches" });
    }
    const stages = [...new Set(assignments.filter((a) => a.rule).map((a) => stageOf(a.rule!)))].sort((x, y) => x - y);
    // Within a stage, rules run in the order allot.yaml declares them, so errors and lines come out in that order.
    const order = new Map(this.rules.map(({ rule }, i) => [rule, i]));
    const byRule = assignments.filter((a) => a.rule).sort((x, y) => order.get(x.rule!)! - order.get(y.rule!)!);
    const pools = new Map<string, Decimal>();
    for (const a of byRule) pools.set(poolKey(a), (pools.get(poolKey(a)) ?? new Decimal(0)).plus(a.group.cost));
    const reconciliation: Reconciliation[] = [];
    for (const stage of stages) {
      // Drivers of the form { cost: direct } see what earlier stages gave each target, never this stage's own lines.
      const earlier = totalsByTarget(lines);
      const weightsCache = new Map<string, Map<string, Decimal> | null>();
      for (const a of byRule) {
        if (stageOf(a.rule!) !== stage) continue;
        const key = poolKey(a);
        if (!weightsCache.has(key) && a.method!.method !== "direct" && a.method!.method !== "kubernetes") {
          const weights = this.weights(a.method!, a.rule!.name, a.group.month, earlier, pools.get(key)!);
          weightsCache.set(key, weights);
          if (a.method!.method === "activity" && weights) {
            // Shown to the millionth, as bills are (tier costs shared by teams repeat); the split uses the exact weights.
            const metered = new Decimal(sumOf([...weights].filter(([t]) => t !== ABOVE_RATE_CARD).map(([, w]) => w)).toString()).toDecimalPlaces(6);
            reconciliation.push({ rule: a.rule!.name, ...(a.tier ? { tier: a.tier } : {}), month: a.group.month, billed: pools.get(key)!, metered, difference: pools.get(key)!.minus(metered) });
          }
        }
        lines.push(...this.allocateGroup(a, weightsCache));
      }
    }
    const total = sumOf(groups.map((g) => g.cost));
    const unallocated = sumOf(lines.filter((l) => l.target === null).map((l) => l.amount));
    const allocated = sumOf(lines.filter((l) => l.target !== null).map((l) => l.amount));
    if (!allocated.plus(unallocated).equals(total)) {
      throw new Error(`allocation does not conserve the bill: allocated ${allocated.toFixed()} + unallocated ${unallocated.toFixed()} != input ${total.toFixed()}`);
    }
    return { total, allocated, unallocated, lines, reconciliation };
  }

  private allocateGroup(a: Assignment, cache: Map<string, Map<string, Decimal> | null>): AllocationLine[] {
    const { group, rule, method } = a;
    const base = { month: group.month, rule: rule!.name, ...(a.tier ? { tier: a.tier } : {}), method: method!.method, group };
    if (method!.method === "direct") {
      if (a.evaluation === "unreadable") return [{ ...base, target: null, share: "1", amount: group.cost, reason: "tags cannot be read" }];
      const owner = this.ownerOf(method!.keys)(a.evaluation.tags, cloudOfProvider(group.provider), group.chargeCategory);
      if ("team" in owner) return [{ ...base, target: owner.team, share: "1", amount: group.cost }];
      return [{ ...base, target: null, share: "1", amount: group.cost, reason: owner.reason }];
    }
    if (method!.method === "kubernetes") return this.splitCluster(base, group.cost, this.clusterSharesOf(a));
    const weights = cache.get(poolKey(a))!;
    if (weights === null) return [{ ...base, target: null, share: "1", amount: group.cost, reason: "no direct cost yet to split this pool by" }];
    return this.split(base, group.cost, weights);
  }

  /** The OpenCost shares of a kubernetes rule's pool, computed once per rule and month. */
  private clusterSharesOf(a: Assignment): ClusterShares | null {
    const key = poolKey(a);
    let shares = this.clusters.get(key);
    if (shares === undefined) {
      shares = clusterShares(this.model, this.kubernetes, a.rule!.name, a.method as Extract<Method, { method: "kubernetes" }>, a.group.month, (reason) => `${UNALLOCATED}${reason}`);
      this.clusters.set(key, shares);
    }
    return shares;
  }

  /**
   * A cluster charge split in two explicit parts, workload and idle, in the proportion of OpenCost's
   * totals (the two parts placed as any split's, partsOf), each part then divided by its shares.
   */
  private splitCluster(base: Omit<AllocationLine, "target" | "share" | "amount">, amount: Decimal, shares: ClusterShares | null): AllocationLine[] {
    if (shares === null) return [{ ...base, target: null, share: "1", amount, reason: `OpenCost's files (--k8s) have no allocation for ${base.month}; export that month to split the cluster` }];
    const total = shares.workloadTotal.plus(shares.idleTotal);
    if (total.isZero()) return [{ ...base, target: null, share: "1", amount, reason: "OpenCost's allocation for the month is zero, so there is nothing to split by" }];
    const [workPart, idlePart] = partsOf(amount, [shares.workloadTotal.dividedBy(total), shares.idleTotal.dividedBy(total)]) as [Decimal, Decimal];
    const lines: AllocationLine[] = [];
    if (!shares.workloadTotal.isZero()) lines.push(...this.split({ ...base, tier: "workload" }, workPart, shares.workload));
    if (!shares.idleTotal.isZero()) lines.push(...this.split({ ...base, tier: "idle" }, idlePart, shares.idle));
    return lines;
  }

  /** Divides an amount by weights at full precision; the parts add up to the amount exactly. */
  private split(base: Omit<AllocationLine, "target" | "share" | "amount">, amount: Decimal, weights: Map<string, Decimal>): AllocationLine[] {
    const targets = [...weights.keys()];
    const sum = sumOf(weights.values());
    const shares = targets.map((t) => weights.get(t)!.dividedBy(sum));
    const parts = partsOf(amount, shares);
    return targets.map((target, i) => {
      const line = { ...base, target, share: shares[i]!.toSignificantDigits(12).toString(), amount: parts[i]! };
      return target.startsWith(UNALLOCATED) ? { ...line, target: null, reason: target.slice(1) } : line;
    });
  }

  /**
   * The weight of each target for a method in a month; null when the pool is split by direct cost and no
   * target has any yet (the pool then stays unallocated, with that reason, rather than failing the run).
   */
  private weights(method: Method, rule: string, month: string, earlier: Map<string, Decimal>, pool: Decimal): Map<string, Decimal> | null {
    const fail = (message: string): never => {
      throw new UserError(`allocation rule "${rule}": ${message}`);
    };
    const positive = (weights: Map<string, Decimal>, what: string) => {
      if (sumOf(weights.values()).isZero()) fail(`${what} is zero for every target in ${month}, so there is nothing to split by`);
      return weights;
    };
    const byMetric = (metric: string, targets: readonly string[] | undefined) => {
      const chosen = targets ?? this.metrics.targets(month, metric);
      if (chosen.length === 0) fail(`metric ${metric} has no values in ${month}${this.metrics.file ? ` in ${this.metrics.file}` : "; pass --metrics with a metrics file"}`);
      return new Map(chosen.map((t) => [t, new Decimal((this.metrics.get(month, metric, t) ?? fail(`metric ${metric} has no value for target "${t}" in ${month}; add it to the metrics file or drop the target`)).toString())]));
    };
    const byDirectCost = (targets: readonly string[] | undefined) => {
      const weights = new Map((targets ?? this.teams).map((t) => [t, new Decimal(this.rolledUp(earlier, t).toString())]));
      return sumOf(weights.values()).isZero() ? null : weights;
    };
    switch (method.method) {
      case "fixed":
        return new Map(Object.entries(method.shares).map(([t, pct]) => [t, new Decimal(String(pct))]));
      case "even":
        return new Map((method.targets ?? this.teams).map((t) => [t, new Decimal(1)]));
      case "proportional":
        return "metric" in method.by ? positive(byMetric(method.by.metric, method.targets), `metric ${method.by.metric}`) : byDirectCost(method.targets);
      case "weighted": {
        const total = new Map<string, Decimal>();
        for (const { by, weight } of method.weights) {
          const driver = "metric" in by ? positive(byMetric(by.metric, method.targets), `metric ${by.metric}`) : byDirectCost(method.targets);
          if (driver === null) return null;
          const sum = sumOf(driver.values());
          for (const [t, v] of driver) total.set(t, (total.get(t) ?? new Decimal(0)).plus(v.dividedBy(sum).times(weight)));
        }
        return total;
      }
      case "activity": {
        const metered = method.driver === "metering" ? this.meteredCosts(method, rule, month) : this.ratedCosts(method, rule, month, fail);
        if (sumOf(metered.values()).isZero()) fail(`metered cost is zero for every target in ${month}, so there is nothing to split by`);
        const excess = new Decimal(pool.toString()).minus(sumOf(metered.values()));
        // remainder: unallocated keeps what the bill charges beyond the rate card out of the teams' shares.
        if (method.remainder === "unallocated" && excess.greaterThan(0)) metered.set(ABOVE_RATE_CARD, excess);
        return metered;
      }
      case "direct":
      case "kubernetes":
        throw new Error(`${method.method} rules are not split by weights`);
    }
  }

  /** Each target's metered volume times the rule's rates, from the metrics file. */
  private ratedCosts(method: Extract<Method, { method: "activity" }>, rule: string, month: string, fail: (message: string) => never): Map<string, Decimal> {
    const targets = method.targets ?? this.metrics.targets(month, method.driver);
    if (targets.length === 0) fail(`metric ${method.driver} has no values in ${month}`);
    const metered = new Map<string, Decimal>();
    for (const t of targets) {
      const kinds = this.metrics.kinds(month, method.driver, t);
      if (kinds.length === 0 && this.metrics.get(month, method.driver, t) === undefined) fail(`metric ${method.driver} has no value for target "${t}" in ${month}`);
      let cost = new Decimal(0);
      for (const kind of kinds) {
        const rate = method.rates?.[kind] ?? fail(`no rate for ${method.driver} kind "${kind}"; add it to rates`);
        cost = cost.plus(new Decimal(this.metrics.get(month, method.driver, t, kind)!.toString()).times(rate));
      }
      metered.set(t, cost);
    }
    return metered;
  }

  /** Each team's usage from the metering log, priced at the ai rate card; teams not in org stay unallocated. */
  private meteredCosts(method: Extract<Method, { method: "activity" }>, rule: string, month: string): Map<string, Decimal> {
    if (!this.metering) throw new UserError(`allocation rule "${rule}": driver metering needs the usage log; pass --metering`);
    const metered = new Map<string, Decimal>();
    for (const [team, cost] of this.metering.costByTeam(month, method.models)) {
      if (method.targets && !method.targets.includes(team)) continue;
      const known = this.model.teams.has(team) || this.model.projects.has(team) || this.model.units.some((u) => u.id === team);
      metered.set(known ? team : `${UNALLOCATED}metered by "${team}", which is not a team in org`, new Decimal(cost.toString()));
    }
    return metered;
  }

  /** What earlier stages gave a target, with what went to its projects (team) or teams and projects (unit). */
  private rolledUp(earlier: Map<string, Decimal>, target: string): Decimal {
    const unit = this.model.units.find((u) => u.id === target);
    const team = this.model.teams.get(target);
    const members = unit ? [unit.id, ...unit.teams.flatMap((t) => [t.id, ...t.projects.map((p) => p.id)])] : team ? [team.id, ...team.projects.map((p) => p.id)] : [target];
    return sumOf(members.map((m) => earlier.get(m) ?? new Decimal(0)));
  }
}

const poolKey = (a: { rule?: Rule; tier?: string; group: ChargeRow }) => `${a.rule?.name}|${a.tier ?? ""}|${a.group.month}`;

/** Allocated amounts per target (unallocated lines left out). */
export function totalsByTarget(lines: readonly AllocationLine[]): Totals {
  return Totals.of(lines, (l) => l.target, (l) => l.amount);
}

export interface RollUp {
  /** Each team's amount, its projects included; unit-level targets are not spread over teams. */
  teams: Totals;
  /** Each business unit's amount: its own, its teams' and its projects'. */
  units: Totals;
}

/** Rolls allocations up the org: project -> team -> business unit. */
export function rollUp(model: Pick<CostModel, "teams" | "projects">, lines: readonly AllocationLine[]): RollUp {
  return rollUpTargets(model, totalsByTarget(lines));
}

/** Rolls amounts per target up the org: project -> team -> business unit. */
export function rollUpTargets(model: Pick<CostModel, "teams" | "projects">, byTarget: Iterable<readonly [string, Decimal]>): RollUp {
  const teams = new Totals();
  const units = new Totals();
  for (const [target, amount] of byTarget) {
    const project = model.projects.get(target);
    const team = model.teams.get(project?.teamId ?? target);
    if (team) {
      teams.add(team.id, amount);
      units.add(team.unitId, amount);
    } else {
      units.add(target, amount);
    }
  }
  return { teams, units };
}
