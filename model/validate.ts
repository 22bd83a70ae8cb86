// Rules of allot.yaml that span several keys: unique ids, tag keys that do not collide, references from
// tags and allocation rules to org entities, shares and weights that sum to 100.
import { Decimal } from "./decimal";
import { isCurrencyCode, minorUnits, suggestCurrency } from "./currency";
import { compileTagPattern } from "./pattern";
import { foldName } from "./team-names";
import type { AllocationRuleInput, CostModelInput } from "./schema";

export type KeyPath = readonly (string | number)[];

export interface ModelProblem {
  path: KeyPath;
  message: string;
}

export function crossCheck(model: CostModelInput): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const report = (path: KeyPath, message: string) => problems.push({ path, message });

  const seen = new Map<string, string>();
  const claim = (id: string, what: string, path: KeyPath) => {
    const earlier = seen.get(id);
    if (earlier) report(path, `id "${id}" is already used by ${earlier}; ids of units, teams and projects must be unique`);
    else seen.set(id, `${what} ${formatPath(path)}`);
  };
  model.org.units.forEach((unit, u) => {
    claim(unit.id, "business unit", ["org", "units", u, "id"]);
    unit.teams.forEach((team, t) => {
      claim(team.id, "team", ["org", "units", u, "teams", t, "id"]);
      team.projects?.forEach((project, p) => claim(project.id, "project", ["org", "units", u, "teams", t, "projects", p, "id"]));
    });
  });

  checkTeamNames(model, report);
  checkBudgetPlaces(model, report);

  const keyOwner = new Map<string, number>();
  model.tags.required.forEach((tag, i) => {
    [tag.key, ...(tag.aliases ?? [])].forEach((name, j) => {
      const other = keyOwner.get(name);
      const path = j === 0 ? ["tags", "required", i, "key"] : ["tags", "required", i, "aliases", j - 1];
      if (other !== undefined && other !== i) report(path, `"${name}" is already the key or an alias of tags.required[${other}] (${model.tags.required[other]?.key})`);
      else keyOwner.set(name, i);
    });
    if (tag.values !== undefined && tag.pattern !== undefined) report(["tags", "required", i], "give either values or pattern, not both");
    if (tag.pattern !== undefined) {
      const compiled = compileTagPattern(tag.pattern);
      if ("error" in compiled) report(["tags", "required", i, "pattern"], `expected a pattern allot can run, got ${JSON.stringify(tag.pattern)}: ${compiled.error}`);
    }
    if (tag.default !== undefined && Array.isArray(tag.values) && !tag.values.includes(tag.default)) {
      report(["tags", "required", i, "default"], `expected one of the tag's values (${tag.values.join(", ")}), got "${tag.default}"`);
    }
  });

  model.allocation?.rules.forEach((rule, r) => checkRule(rule, ["allocation", "rules", r], seen, (path, message) => report(path, `rule "${rule.name}": ${message}`)));
  const ruleNames = new Map<string, number>();
  model.allocation?.rules.forEach((rule, r) => {
    const first = ruleNames.get(rule.name);
    if (first !== undefined) report(["allocation", "rules", r, "name"], `rule name "${rule.name}" is already used by allocation.rules[${first}]`);
    else ruleNames.set(rule.name, r);
  });

  Object.keys(model.exchangeRates ?? {}).forEach((code) => {
    if (!isCurrencyCode(code)) report(["exchangeRates", code], `expected an ISO 4217 currency code such as EUR${suggestCurrency(code)}, got ${JSON.stringify(code)}`);
    else if (code === model.currency) report(["exchangeRates", code], `${code} is the model's currency, whose rate is 1; remove it`);
  });

  const alerts = new Set<string>();
  model.budgets?.alerts.forEach((alert, a) => {
    const key = `${alert.type}:${alert.threshold}`;
    if (alerts.has(key)) report(["budgets", "alerts", a], `duplicate ${alert.type} alert at ${alert.threshold}%`);
    alerts.add(key);
  });
  return problems;
}

type Report = (path: KeyPath, message: string) => void;

/**
 * What names a team in a bill must name only that team: no two teams share a cost center, a team's or
 * project's cost center is no other team's cost center, id or project id, and an alias is no other team's id, alias, project id or cost center,
 * nor a unit id; all compared without regard to case, as bills match team names (team-names.ts) and GCP
 * labels match cost centers that way.
 */
function checkTeamNames(model: CostModelInput, report: Report) {
  const teams = model.org.units.flatMap((unit, u) => unit.teams.map((team, t) => ({ team, path: ["org", "units", u, "teams", t] as KeyPath })));
  type Holder = { team: string; what: string };
  const owner = (h: Holder) => (h.team === "" ? h.what : `team "${h.team}" (its ${h.what})`);
  /** Folded ids (unique already, see crossCheck) and, as they are checked, aliases: what each names. */
  const named = new Map<string, Holder>();
  for (const unit of model.org.units) named.set(foldName(unit.id), { team: "", what: `business unit "${unit.id}"` });
  for (const { team } of teams) {
    named.set(foldName(team.id), { team: team.id, what: "id" });
    for (const project of team.projects ?? []) named.set(foldName(project.id), { team: team.id, what: `project "${project.id}"` });
  }
  /** Folded cost center to its team. */
  const centers = new Map<string, string>();
  for (const { team, path } of teams) {
    const name = foldName(team.costCenter);
    const sharer = centers.get(name);
    const id = named.get(name);
    if (sharer !== undefined && sharer !== team.id) {
      report([...path, "costCenter"], `teams "${sharer}" and "${team.id}" share cost center "${team.costCenter}"; a cost center names the team a charge belongs to, so give each team its own`);
    } else if (id !== undefined && id.team !== "" && id.team !== team.id) {
      // A unit is never a charge's owner, so a cost center spelled like a unit's id misleads no one.
      report([...path, "costCenter"], `cost center "${team.costCenter}" of team "${team.id}" already names ${owner(id)}, without regard to case; give team "${team.id}" a cost center that names nothing else`);
    } else centers.set(name, team.id);
  }
  // A project's cost center names the project's team in the bill (ownership.ts), so it is held to the same rule.
  for (const { team, path } of teams) {
    team.projects?.forEach((project, p) => {
      if (project.costCenter === undefined) return;
      const name = foldName(project.costCenter);
      const center = centers.get(name);
      const id = named.get(name);
      const other = center !== undefined && center !== team.id ? { team: center, what: "cost center" } : id !== undefined && id.team !== "" && id.team !== team.id ? id : undefined;
      if (other !== undefined) {
        report(
          [...path, "projects", p, "costCenter"],
          `cost center "${project.costCenter}" of project "${project.id}" (team "${team.id}") already names ${owner(other)}, without regard to case; a project's cost center names its team in the bill, so give it one that names nothing else, or leave it out to use team "${team.id}"'s`,
        );
      } else centers.set(name, team.id);
    });
  }
  for (const { team, path } of teams) {
    team.aliases?.forEach((alias, a) => {
      const name = foldName(alias);
      const center = centers.get(name);
      const earlier = named.get(name) ?? (center !== undefined ? { team: center, what: "cost center" } : undefined);
      if (earlier !== undefined && earlier.team !== team.id) {
        report([...path, "aliases", a], `alias "${alias}" of team "${team.id}" already names ${owner(earlier)}, without regard to case; an alias must name one team only, so remove it from one of them`);
      } else if (earlier === undefined) named.set(name, { team: team.id, what: `alias "${alias}"` });
    });
  }
}
type Method = Exclude<AllocationRuleInput, { method: "tiered" }> | Extract<AllocationRuleInput, { method: "tiered" }>["tiers"][number];

function checkRule(rule: AllocationRuleInput, path: KeyPath, ids: ReadonlyMap<string, string>, report: Report) {
  if (rule.method === "tiered") {
    const names = new Set<string>();
    rule.tiers.forEach((tier, t) => {
      if (names.has(tier.name)) report([...path, "tiers", t, "name"], `tier name "${tier.name}" is already used in this rule`);
      names.add(tier.name);
      checkMethod(tier, [...path, "tiers", t], ids, report);
    });
  } else {
    checkMethod(rule, path, ids, report);
  }
}

function checkMethod(method: Method, path: KeyPath, ids: ReadonlyMap<string, string>, report: Report) {
  const known = (id: string, at: KeyPath) => {
    if (!ids.has(id)) report(at, `"${id}" is not a business unit, team or project in org`);
  };
  if ("targets" in method) method.targets?.forEach((id, i) => known(id, [...path, "targets", i]));
  if (method.method === "fixed") {
    Object.keys(method.shares).forEach((id) => known(id, [...path, "shares", id]));
    const sum = sumPercent(Object.values(method.shares));
    if (sum !== "100") report([...path, "shares"], `expected shares that sum to 100, got ${sum}`);
  }
  if (method.method === "activity" && method.driver !== "metering" && method.rates === undefined) {
    report([...path, "rates"], "expected a rate card (rates: { kind: price }) for a metric driver; only driver: metering prices usage from the ai section");
  }
  if (method.method === "kubernetes") {
    Object.entries(method.namespaces ?? {}).forEach(([namespace, id]) => known(id, [...path, "namespaces", namespace]));
    if (method.idle !== undefined && typeof method.idle === "object") known(method.idle.to, [...path, "idle", "to"]);
  }
  if (method.method === "weighted") {
    const sum = sumPercent(method.weights.map((w) => w.weight));
    if (sum !== "100") report([...path, "weights"], `expected weights that sum to 100, got ${sum}`);
  }
}

/** Sums percentages as decimals, so 33.3 + 33.3 + 33.4 is exactly 100. */
function sumPercent(values: readonly number[]): string {
  return Decimal.sum(0, ...values.map((v) => new Decimal(String(v)))).toFixed();
}

export function formatPath(path: KeyPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || "(top level)";
}

/**
 * Budgets are written to the currency's minor unit, as every amount is shown: a budget of 100.005 USD would
 * show as 100.01, and the teams' shown budgets would no longer add up to their unit's and the org's.
 */
function checkBudgetPlaces(model: CostModelInput, report: (path: KeyPath, message: string) => void): void {
  const places = minorUnits(model.currency);
  const check = (budget: number | undefined, path: KeyPath) => {
    if (budget === undefined) return;
    const value = new Decimal(String(budget));
    if (value.decimalPlaces() > places) report(path, `${value.toFixed()} has more decimal places than ${model.currency} has (${places}); write the budget to the ${model.currency} minor unit, e.g. ${value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed(places)}`);
  };
  model.org.units.forEach((unit, u) => {
    check(unit.budget, ["org", "units", u, "budget"]);
    unit.teams.forEach((team, t) => {
      check(team.budget, ["org", "units", u, "teams", t, "budget"]);
      team.projects?.forEach((project, p) => check(project.budget, ["org", "units", u, "teams", t, "projects", p, "budget"]));
    });
  });
  for (const [product, budget] of Object.entries(model.ai?.productBudgets ?? {})) check(budget, ["ai", "productBudgets", product]);
}
