// Cloud-neutral specs the per-cloud components map from: one budget per team with its alerts and
// recipients, built from allot.yaml. Nothing here knows a cloud's API.
import { isCurrencyCode, suggestCurrency, type CostModel } from "../model";

export interface BudgetAlertSpec {
  /** Percent of the budget. */
  threshold: number;
  type: "actual" | "forecast";
}

export interface TeamBudgetSpec {
  /** The team id: names the cloud resources, so reordering teams never replaces a budget. */
  team: string;
  /** Monthly amount as a decimal string in `currency`. */
  amount: string;
  currency: string;
  /** The tags (labels) that mark the team's resources, e.g. { team: "payments" }. */
  tags: Record<string, string>;
  alerts: BudgetAlertSpec[];
  /** Who hears the alerts: the team owner, then the model's notify list. */
  emails: string[];
}

/** Raised in a component's constructor: names the component, the field and what is expected. */
export class ComponentInputError extends Error {
  override readonly name = "ComponentInputError";
  constructor(component: string, field: string, message: string) {
    super(`${component}: ${field}: ${message}`);
  }
}

/** One budget spec per team of the model, alerts sorted so their order in allot.yaml never matters. */
export function teamBudgetSpecs(model: CostModel, tagKey = model.input.tags.required.find((t) => t.values === "org.teams")?.key ?? "team"): TeamBudgetSpec[] {
  const alerts = [...model.budgetAlerts].sort((a, b) => a.type.localeCompare(b.type) || a.threshold - b.threshold);
  return [...model.teams.values()].map((team) => ({
    team: team.id,
    amount: team.budget.toFixed(),
    currency: model.currency,
    tags: { [tagKey]: team.id },
    alerts: alerts.map((a) => ({ threshold: a.threshold, type: a.type })),
    emails: [...new Set([team.owner, ...model.alertEmails])],
  }));
}

/** The one tag a budget filters on: AWS, GCP and Azure budgets each take a single tag key and value. */
export function singleTag(component: string, spec: TeamBudgetSpec, index: number, cloud: string): { key: string; value: string } {
  const entries = Object.entries(spec.tags ?? {});
  if (entries.length !== 1) throw new ComponentInputError(component, `budgets[${index}].tags`, `a ${cloud} budget filters on exactly one tag (one key, one value), got ${entries.length}`);
  const [key, value] = entries[0]!;
  return { key, value };
}

/** Checks what every cloud requires of a budget spec; per-cloud limits are checked by each mapper. */
export function validateBudgetSpecs(component: string, specs: readonly TeamBudgetSpec[]): void {
  const seen = new Set<string>();
  specs.forEach((spec, i) => {
    const at = `budgets[${i}]`;
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(spec.team)) throw new ComponentInputError(component, `${at}.team`, `expected a team id (lowercase letters, digits, - or _), got ${JSON.stringify(spec.team)}`);
    if (seen.has(spec.team)) throw new ComponentInputError(component, `${at}.team`, `team ${JSON.stringify(spec.team)} appears twice; each team has one budget`);
    seen.add(spec.team);
    if (!/^\d+(\.\d+)?$/.test(spec.amount) || Number(spec.amount) <= 0) throw new ComponentInputError(component, `${at}.amount`, `expected a positive amount, got ${JSON.stringify(spec.amount)}; every team needs a budget`);
    if (!isCurrencyCode(spec.currency)) throw new ComponentInputError(component, `${at}.currency`, `expected an ISO 4217 code${suggestCurrency(spec.currency)}, got ${JSON.stringify(spec.currency)}`);
    if (spec.alerts.length === 0) throw new ComponentInputError(component, `${at}.alerts`, "expected at least one alert");
    spec.alerts.forEach((a, j) => {
      if (!(a.threshold > 0 && a.threshold <= 1000)) throw new ComponentInputError(component, `${at}.alerts[${j}].threshold`, `expected a percentage above 0, got ${a.threshold}`);
    });
    if (spec.emails.length === 0) throw new ComponentInputError(component, `${at}.emails`, "expected at least one recipient");
  });
}
