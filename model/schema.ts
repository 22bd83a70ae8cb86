// The zod schema of `allot.yaml`: the one cost model that policies, components, stacks and reports share.
// It holds shape and single-field constraints only; rules that span fields (unique ids, references to
// teams, shares that sum to 100) live in validate.ts so each error can name the exact key path.
import { z } from "zod";
import { CURRENCY_CODES, suggestCurrency } from "./currency";

const must = (what: string) => ({ error: `expected ${what}` });

/** A lowercase slug: valid as an AWS tag value, a GCP label value and an Azure tag value alike. */
const Id = z
  .string(must("an id (lowercase letters, digits, '-' or '_', starting with a letter or digit)"))
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, must("an id (lowercase letters, digits, '-' or '_', starting with a letter or digit, at most 63 characters)"));

const Email = z.email(must("an e-mail address"));
const NonEmpty = z.string(must("a non-empty string")).trim().min(1, must("a non-empty string"));
const StringList = z.array(NonEmpty, must("a list of strings"));
const OneOrMany = z.union([NonEmpty, z.array(NonEmpty).min(1)], must("a string or a list of strings"));

/**
 * A mapping keyed by names that also occur in data (models, GPU types, activity kinds, targets, tag keys):
 * parsed into a null-prototype object, so a name such as `constructor` or `toString` is a plain entry and
 * a lookup of a name that is absent finds nothing, never Object.prototype's members.
 */
const dataKeyed = <K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V) =>
  z.record(key, value).transform((entries) => Object.assign(Object.create(null) as typeof entries, entries));

/** A monthly amount in the model's currency. */
const Amount = z.number(must("a positive number")).positive(must("a positive number")).finite(must("a positive number"));
const Percent = z.number(must("a percentage between 0 and 100")).min(0, must("a percentage between 0 and 100")).max(100, must("a percentage between 0 and 100"));

/** An ISO 4217 code (model/currency.ts), with the closest code suggested for a typo or lowercase. */
const Currency = z.enum(CURRENCY_CODES as [string, ...string[]], {
  error: (issue) => `expected an ISO 4217 currency code such as USD${typeof issue.input === "string" ? suggestCurrency(issue.input) : ""}`,
});

const rateMessage = must("a rate above 0, as a number or a decimal string such as \"1.08\"");

export const CostBasis = z.enum(["EffectiveCost", "BilledCost"], must("EffectiveCost (amortized, the default) or BilledCost"));
export const BillingMode = z.enum(["showback", "chargeback", "auto"], must("showback, chargeback or auto"));

// ---------------------------------------------------------------------------------------------------
// tags

/** Where a tag's values must come from: a fixed list, or the ids of something in `org`. */
export const OrgValueSource = z.enum(["org.teams", "org.units", "org.projects", "org.costCenters"], must("a list of values, or one of org.teams, org.units, org.projects, org.costCenters"));

export const RequiredTag = z
  .strictObject({
    key: NonEmpty.describe("The canonical tag key, as resources should carry it."),
    aliases: StringList.optional().describe("Other spellings of the key seen in real bills (e.g. Team, costcenter). Matched exactly after trimming spaces."),
    values: z
      .union([z.array(NonEmpty).min(1, must("at least one allowed value")), OrgValueSource], must("a list of allowed values, or one of org.teams, org.units, org.projects, org.costCenters"))
      .optional()
      .describe("Allowed values, or the org entities the value must name."),
    pattern: NonEmpty.optional().describe("A regular expression (RE2 syntax) the whole value must match; matched in linear time."),
    default: NonEmpty.optional().describe("A value the policy pack may add when the key is missing (enforcement level remediate)."),
    description: z.string().optional(),
  })
  .describe("A tag key every taggable resource must carry.")
  .meta({ id: "RequiredTag" });

export const TagExemptions = z
  .strictObject({
    resourceTypes: StringList.optional().describe("Pulumi type tokens or FOCUS ResourceType values exempt from tagging; '*' matches any run of characters."),
    accounts: StringList.optional().describe("Account, subscription or project ids whose resources are exempt."),
  })
  .describe("Resources that need not carry the required tags.");

export const KubernetesLabels = z
  .strictObject({
    labelsOn: z
      .array(z.enum(["namespaces", "workloads"], must("namespaces or workloads")), must("a list of namespaces and/or workloads"))
      .optional()
      .describe("Which Kubernetes objects must carry the required tags as labels: namespaces (their own labels) and/or workloads (the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs). Default both; [] exempts Kubernetes."),
  })
  .describe("The tag standard on Kubernetes, where tags are labels.");

export const TagStandard = z.strictObject({
  required: z.array(RequiredTag, must("a list of required tags")).min(1, must("at least one required tag")),
  exemptions: TagExemptions.optional(),
  kubernetes: KubernetesLabels.optional(),
});

// ---------------------------------------------------------------------------------------------------
// org

export const Project = z.strictObject({
  id: Id,
  name: NonEmpty.optional(),
  owner: Email.optional(),
  costCenter: NonEmpty.optional(),
  budget: Amount.optional().describe("Monthly budget in the model's currency."),
}).meta({ id: "Project" });

export const Team = z.strictObject({
  id: Id,
  name: NonEmpty.optional(),
  owner: Email,
  costCenter: NonEmpty.describe("The team's cost center code; no two teams share one."),
  aliases: z
    .array(NonEmpty.max(256, must("an alias of at most 256 characters, the longest tag value a cloud allows")), must("a list of values"))
    .optional()
    .describe("Other values that name this team in bills' tags (e.g. PeoriaData). A bill's value names the team when it is the team's id or an alias, whatever its case; at deploy time the policy pack asks for the id and names the alias as a near miss."),
  budget: Amount.describe("Monthly budget in the model's currency."),
  billingMode: BillingMode.optional().describe("showback, chargeback, or auto (chargeback once tag compliance reaches compliance.chargebackThreshold). Defaults to org.defaultBillingMode."),
  projects: z.array(Project).optional(),
}).meta({ id: "Team" });

export const BusinessUnit = z.strictObject({
  id: Id,
  name: NonEmpty.optional(),
  owner: Email.optional(),
  costCenter: NonEmpty.optional(),
  budget: Amount.optional().describe("Monthly budget of the whole unit; defaults to the sum of its teams' budgets."),
  teams: z.array(Team, must("a list of teams")).min(1, must("at least one team")),
}).meta({ id: "BusinessUnit" });

export const Org = z.strictObject({
  defaultBillingMode: BillingMode.optional(),
  units: z.array(BusinessUnit, must("a list of business units")).min(1, must("at least one business unit")),
});

// ---------------------------------------------------------------------------------------------------
// allocation: ordered rules, first match wins; shared pools run in declared stages

export const ChargeMatch = z
  .strictObject({
    provider: OneOrMany.optional().describe("FOCUS ProviderName."),
    account: OneOrMany.optional().describe("FOCUS SubAccountId or BillingAccountId."),
    service: OneOrMany.optional().describe("FOCUS ServiceName."),
    serviceCategory: OneOrMany.optional().describe("FOCUS ServiceCategory."),
    region: OneOrMany.optional().describe("FOCUS RegionId."),
    chargeCategory: OneOrMany.optional().describe("FOCUS ChargeCategory (Usage, Purchase, Tax, Credit, Adjustment)."),
    resourceId: NonEmpty.optional().describe("A glob over FOCUS ResourceId ('*' matches any run of characters)."),
    tags: dataKeyed(NonEmpty, OneOrMany).optional().describe("Tag key to value (or values); '*' means any non-empty value."),
  })
  .describe("Which charges a rule takes. Every field given must match; an empty match takes everything left.")
  .meta({ id: "ChargeMatch" });

/** What a share is proportional to: a usage metric from the metrics file, or each target's own direct cost. */
export const Driver = z.union(
  [z.strictObject({ metric: NonEmpty }), z.strictObject({ cost: z.literal("direct") })],
  must("{ metric: <name> } or { cost: direct }"),
).meta({ id: "Driver" });

const Targets = z.array(Id).min(1, must("at least one target")).describe("Teams, units or projects (ids in org) that share the pool; defaults to every team.");

const ruleBase = {
  name: Id.describe("Unique rule name, shown on every amount it allocates."),
  description: z.string().optional(),
  stage: z.number(must("a stage number")).int(must("a whole stage number")).min(0, must("a stage number of 0 or more")).optional()
    .describe("Shared pools run after direct costs, in increasing stage; a later stage can split by what earlier stages gave each team."),
  match: ChargeMatch.optional(),
};

export const DirectMethod = z.strictObject({
  method: z.literal("direct"),
  keys: z.array(NonEmpty).min(1, must("at least one tag key")).describe("Tag keys tried in order; the first that names an org entity owns the charge (e.g. cost-center, then team, then project)."),
});
export const ProportionalMethod = z.strictObject({ method: z.literal("proportional"), by: Driver, targets: Targets.optional() });
export const FixedMethod = z.strictObject({
  method: z.literal("fixed"),
  shares: dataKeyed(Id, Percent).describe("Target id to percentage; must sum to 100."),
});
export const EvenMethod = z.strictObject({ method: z.literal("even"), targets: Targets.optional() });
export const WeightedMethod = z.strictObject({
  method: z.literal("weighted"),
  weights: z.array(z.strictObject({ by: Driver, weight: Percent })).min(1, must("at least one weight")).describe("Drivers and their weights; weights must sum to 100."),
  targets: Targets.optional(),
});
export const ActivityMethod = z.strictObject({
  method: z.literal("activity"),
  driver: NonEmpty.describe("The metric that counts the activity (e.g. llm-tokens, gpu-hours), or `metering`: the usage log priced by the ai rate card."),
  rates: dataKeyed(NonEmpty, z.number().nonnegative()).optional().describe("Rate card: price per unit of the driver, by activity kind (e.g. model name). Not used with driver: metering."),
  models: z.array(NonEmpty).optional().describe("With driver: metering, the models and GPU types whose metered cost drives the split (default: all)."),
  remainder: z.enum(["proportional", "unallocated"], must("proportional or unallocated")).optional()
    .describe("Where billed cost beyond the metered cost goes (default: proportional to metered cost)."),
  targets: Targets.optional(),
});

export const KubernetesMethod = z.strictObject({
  method: z.literal("kubernetes"),
  cluster: NonEmpty.optional().describe("The OpenCost cluster id (properties.cluster) whose allocation splits the pool; default every cluster in --k8s."),
  namespaces: dataKeyed(NonEmpty, Id).optional()
    .describe("Namespace to owner (team, unit or project id), for pods whose labels and namespace labels name no owner."),
  idle: z
    .union([z.enum(["proportional", "even"]), z.strictObject({ to: Id })], must("proportional, even or { to: <team> }"))
    .optional()
    .describe("How the cluster's idle capacity is split, as explicit lines: proportional to each owner's workload cost (default), even over the owners, or { to: <id> } (e.g. the platform team)."),
});

const tierBase = { name: Id.describe("Tier name, shown on every amount it allocates."), match: ChargeMatch.optional() };

/** One tier of a tiered rule: any method but tiered itself, with its own optional match. */
export const Tier = z.discriminatedUnion(
  "method",
  [
    DirectMethod.extend(tierBase),
    ProportionalMethod.extend(tierBase),
    FixedMethod.extend(tierBase),
    EvenMethod.extend(tierBase),
    WeightedMethod.extend(tierBase),
    ActivityMethod.extend(tierBase),
  ],
  must("method: direct, proportional, fixed, even, weighted or activity"),
).meta({ id: "Tier" });

export const TieredMethod = z.strictObject({
  method: z.literal("tiered"),
  tiers: z.array(Tier, must("a list of tiers")).min(1, must("at least one tier"))
    .describe("Tiers tried in order within the rule, first match wins (e.g. direct, then shared by usage, then shared evenly)."),
});

export const AllocationRule = z.discriminatedUnion(
  "method",
  [
    DirectMethod.extend(ruleBase),
    ProportionalMethod.extend(ruleBase),
    FixedMethod.extend(ruleBase),
    EvenMethod.extend(ruleBase),
    WeightedMethod.extend(ruleBase),
    TieredMethod.extend(ruleBase),
    ActivityMethod.extend(ruleBase),
    KubernetesMethod.extend(ruleBase),
  ],
  must("method: direct, proportional, fixed, even, weighted, tiered, activity or kubernetes"),
).meta({ id: "AllocationRule" });

export const Allocation = z.strictObject({
  rules: z.array(AllocationRule, must("a list of allocation rules")),
});

// ---------------------------------------------------------------------------------------------------
// budgets and compliance

export const BudgetAlert = z.strictObject({
  threshold: z.number(must("a percentage of the budget")).positive(must("a positive percentage of the budget")).max(1000, must("a percentage of at most 1000")),
  type: z.enum(["actual", "forecast"], must("actual or forecast")),
}).meta({ id: "BudgetAlert" });

export const Budgets = z.strictObject({
  alerts: z.array(BudgetAlert, must("a list of alerts")).min(1, must("at least one alert")),
  notify: z.strictObject({ emails: z.array(Email).optional() }).optional().describe("Who hears every alert, besides each team's owner."),
});

/** A price per 1M tokens: one number, or volume tiers over the month's tokens of that model and type. */
const TokenPrice = z.union([
  z.number(must("a price per 1M tokens")).nonnegative(must("a price of 0 or more")),
  z.array(z.strictObject({ upTo: z.number().positive().optional().describe("Tokens in the month up to which this price applies; the last tier has none."), per1M: z.number().nonnegative() }), must("volume tiers [{ upTo, per1M }, ..., { per1M }]")).min(1),
], must("a price per 1M tokens, or tiers [{ upTo, per1M }]"));

export const ModelPrice = z.strictObject({
  input: TokenPrice,
  output: TokenPrice,
  cached: TokenPrice.optional().describe("Cached input tokens; default: the input price."),
}).meta({ id: "ModelPrice" });

export const Ai = z.strictObject({
  models: dataKeyed(NonEmpty, ModelPrice).optional().describe("LLM rate card by model name, as the metering log writes it."),
  gpus: dataKeyed(NonEmpty, z.number().nonnegative(must("a price per GPU hour"))).optional().describe("Price per GPU hour by GPU type."),
  productBudgets: dataKeyed(NonEmpty, Amount).optional().describe("Monthly budget per AI product."),
});

export const Chargeback = z.strictObject({
  markupPct: z.number(must("a percentage of 0 or more")).min(0, must("a percentage of 0 or more")).max(100, must("a percentage up to 100")).optional()
    .describe("Markup on allocated cost in internal prices (e.g. to fund the platform team). Default 0."),
  discounts: z.array(z.strictObject({ above: Amount, pct: Percent }), must("a list of { above, pct } tiers")).optional()
    .describe("Volume discounts: pct off the part of a team's monthly subtotal above each threshold (marginal, like tax brackets)."),
});

export const Compliance = z.strictObject({
  chargebackThreshold: Percent.optional().describe("Tag compliance (% of cost) at which a team in auto mode moves to chargeback. Default 90."),
  stackThreshold: Percent.optional().describe("Share (%) of a stack's taggable resources that must carry valid cost tags (policy cost-tag-compliance). Defaults to chargebackThreshold."),
});

export const CostModelSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1, must("version 1")).optional(),
    currency: Currency.describe("The ISO 4217 code every report, budget and invoice is in."),
    costBasis: CostBasis.optional().describe("Which FOCUS cost column reports use. Default EffectiveCost (amortized)."),
    exchangeRates: z
      .record(
        z.string(),
        z.union([z.number().positive(rateMessage).finite(rateMessage), z.string().regex(/^(?=.*[1-9])\d+(\.\d+)?$/, rateMessage)], rateMessage),
      )
      .optional()
      .describe("Units of `currency` per unit of another billing currency, keyed by its ISO 4217 code (e.g. EUR: 1.08, or \"1.0812345678901234567\" quoted for more digits than a YAML number holds exactly), to convert charges billed in it."),
    tags: TagStandard,
    org: Org,
    allocation: Allocation.optional(),
    budgets: Budgets.optional(),
    compliance: Compliance.optional(),
    chargeback: Chargeback.optional().describe("The internal rate card: markup and volume discounts applied on invoices."),
    ai: Ai.optional().describe("AI rate card (tokens per model, GPU hours) for metered usage, and product budgets."),
  })
  .describe("allot cost model: tag standard, organisation, allocation rules and budgets.");

export type CostModelInput = z.infer<typeof CostModelSchema>;
export type RequiredTagInput = z.infer<typeof RequiredTag>;
export type TeamInput = z.infer<typeof Team>;
export type BusinessUnitInput = z.infer<typeof BusinessUnit>;
export type AllocationRuleInput = z.infer<typeof AllocationRule>;
export type ChargeMatchInput = z.infer<typeof ChargeMatch>;
