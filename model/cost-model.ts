// The validated cost model with the lookups every consumer needs: teams by id with their unit, budgets
// as exact decimals, billing modes resolved, and the tag standard compiled (see tags.ts).
import { Decimal } from "./decimal";
import type { AllocationRuleInput, CostModelInput } from "./schema";
import { compileTagStandard, type OrgValueSource, type TagStandard } from "./tags";
import { teamNames, type TeamNames } from "./team-names";

export type CostBasis = "EffectiveCost" | "BilledCost";
export type BillingMode = "showback" | "chargeback" | "auto";

export interface ProjectInfo {
  id: string;
  name: string;
  teamId: string;
  costCenter: string;
  budget?: Decimal;
}

export interface TeamInfo {
  id: string;
  name: string;
  unitId: string;
  owner: string;
  costCenter: string;
  /** Other values that name the team in bills (allot.yaml `aliases`). */
  aliases: string[];
  /** Monthly budget in the model's currency. */
  budget: Decimal;
  billingMode: BillingMode;
  projects: ProjectInfo[];
}

export interface UnitInfo {
  id: string;
  name: string;
  owner?: string;
  costCenter?: string;
  /** The unit's own monthly budget, or the sum of its teams'. */
  budget: Decimal;
  teams: TeamInfo[];
}

export interface BudgetAlert {
  /** Percent of the budget. */
  threshold: number;
  type: "actual" | "forecast";
}

export interface CostModel {
  /** The file it came from, for messages. */
  file: string;
  currency: string;
  costBasis: CostBasis;
  /** Units of `currency` per unit of each other billing currency. */
  exchangeRates: ReadonlyMap<string, Decimal>;
  tags: TagStandard;
  units: UnitInfo[];
  /** Every team by id, in declaration order. */
  teams: ReadonlyMap<string, TeamInfo>;
  projects: ReadonlyMap<string, ProjectInfo>;
  /** The team a bill's value names: its id or an alias, whatever the case (team-names.ts). */
  teamName: TeamNames;
  /** Every cost center code named in org. */
  costCenters: ReadonlySet<string>;
  /** The ids a tag's `values: org.*` refers to, for compiling a tag standard with overrides. */
  orgValues: Record<OrgValueSource, ReadonlySet<string>>;
  allocationRules: AllocationRuleInput[];
  budgetAlerts: BudgetAlert[];
  alertEmails: string[];
  /** Percent of cost that must be tag-compliant for a team in auto mode to be charged back. */
  chargebackThreshold: number;
  /** Percent of a stack's taggable resources that must carry valid cost tags at deploy time. */
  stackThreshold: number;
  /** The validated input, for tools that need a field the lookups do not carry. */
  input: CostModelInput;
}

export const DEFAULT_CHARGEBACK_THRESHOLD = 90;

const toDecimal = (n: number) => new Decimal(String(n));

export function buildCostModel(input: CostModelInput, file: string): CostModel {
  const teams = new Map<string, TeamInfo>();
  const projects = new Map<string, ProjectInfo>();
  const costCenters = new Set<string>();
  const units = input.org.units.map((unit): UnitInfo => {
    const unitTeams = unit.teams.map((team): TeamInfo => {
      const info: TeamInfo = {
        id: team.id,
        name: team.name ?? team.id,
        unitId: unit.id,
        owner: team.owner,
        costCenter: team.costCenter,
        aliases: team.aliases ?? [],
        budget: toDecimal(team.budget),
        billingMode: team.billingMode ?? input.org.defaultBillingMode ?? "showback",
        projects: (team.projects ?? []).map((p) => ({
          id: p.id,
          name: p.name ?? p.id,
          teamId: team.id,
          costCenter: p.costCenter ?? team.costCenter,
          ...(p.budget !== undefined ? { budget: toDecimal(p.budget) } : {}),
        })),
      };
      teams.set(info.id, info);
      costCenters.add(info.costCenter);
      for (const p of info.projects) {
        projects.set(p.id, p);
        costCenters.add(p.costCenter);
      }
      return info;
    });
    if (unit.costCenter) costCenters.add(unit.costCenter);
    return {
      id: unit.id,
      name: unit.name ?? unit.id,
      ...(unit.owner ? { owner: unit.owner } : {}),
      ...(unit.costCenter ? { costCenter: unit.costCenter } : {}),
      budget: unit.budget !== undefined ? toDecimal(unit.budget) : Decimal.sum(0, ...unitTeams.map((t) => t.budget)),
      teams: unitTeams,
    };
  });
  const orgValues: Record<OrgValueSource, ReadonlySet<string>> = {
    "org.teams": new Set(teams.keys()),
    "org.units": new Set(units.map((u) => u.id)),
    "org.projects": new Set(projects.keys()),
    "org.costCenters": costCenters,
  };
  const teamName = teamNames(teams.values());
  return {
    file,
    currency: input.currency,
    costBasis: input.costBasis ?? "EffectiveCost",
    exchangeRates: new Map(Object.entries(input.exchangeRates ?? {}).map(([code, rate]) => [code, new Decimal(String(rate))])),
    tags: compileTagStandard(input.tags, orgValues, teamName),
    units,
    teams,
    teamName,
    projects,
    costCenters,
    orgValues,
    allocationRules: input.allocation?.rules ?? [],
    budgetAlerts: input.budgets?.alerts ?? [],
    alertEmails: input.budgets?.notify?.emails ?? [],
    chargebackThreshold: input.compliance?.chargebackThreshold ?? DEFAULT_CHARGEBACK_THRESHOLD,
    stackThreshold: input.compliance?.stackThreshold ?? input.compliance?.chargebackThreshold ?? DEFAULT_CHARGEBACK_THRESHOLD,
    input,
  };
}
