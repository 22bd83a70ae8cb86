// The cost model (`allot.yaml`): its schema, loader and tag standard. Policies, components, stacks and
// reports read the model only through this module.
export { loadCostModel, parseCostModel } from "./load";
export { buildCostModel, DEFAULT_CHARGEBACK_THRESHOLD } from "./cost-model";
export type { BillingMode, BudgetAlert, CostBasis, CostModel, ProjectInfo, TeamInfo, UnitInfo } from "./cost-model";
export { ConfigError, UserError } from "./errors";
export type { ConfigProblem } from "./errors";
export { CostModelSchema } from "./schema";
export { parseYaml } from "./yaml";
export type { AllocationRuleInput, ChargeMatchInput, CostModelInput } from "./schema";
export { costModelJsonSchema } from "./json-schema";
export { compileTagStandard, evaluateTags, normalizeTags } from "./tags";
export type { OrgValueSource, RawTags, RequiredTagSpec, TagEvaluation, TagFinding, TagStandard, TagStandardInput } from "./tags";
