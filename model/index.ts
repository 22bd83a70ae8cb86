// The cost model (`allot.yaml`): its schema, loader, tag standard with its one verdict, and the decisions
// every command shares (ownership, billing mode, budget status). Policies, components, stacks and
// reports read the model only through this module.
export { loadCostModel, parseCostModel } from "./load";
export { buildCostModel, DEFAULT_CHARGEBACK_THRESHOLD } from "./cost-model";
export type { BillingMode, BudgetAlert, CostBasis, CostModel, ProjectInfo, TeamInfo, UnitInfo } from "./cost-model";
export { ConfigError, UserError } from "./errors";
export { CURRENCY_CODES, currencySymbol, isCurrencyCode, minorUnits, suggestCurrency } from "./currency";
export type { ConfigProblem } from "./errors";
export { CostModelSchema } from "./schema";
export { parseYaml } from "./yaml";
export type { AllocationRuleInput, ChargeMatchInput, CostModelInput } from "./schema";
export { costModelJsonSchema } from "./json-schema";
export { billEntries, billTagValue, compileTagStandard, judgeBillTags, judgeTags, nearKey, normalizeTags, suggest } from "./tags";
export { judgeKubernetesLabels, overlayLabels } from "./kubernetes-labels";
export type { KubernetesLabelCase, NamespaceLabels } from "./kubernetes-labels";
export { foldName, teamNames } from "./team-names";
export type { TeamNames } from "./team-names";
export type { OrgValueSource, RawTags, RequiredTagSpec, TagCase, TagFinding, TagMode, TagStandard, TagStandardInput, TagStatus, TagValue, TagVerdict } from "./tags";
export { asCloudTagValue, checkCloudTagLimits, cloudOfProvider, cloudOfType, forcesLowerCase } from "./clouds";
export type { Cloud, TagLimitFinding } from "./clouds";
export { taggableType, tagPath } from "./catalog";
export type { TaggableType, TagShape } from "./catalog";
export { ownerKeys, ownerResolver } from "./ownership";
export type { Owner } from "./ownership";
export { atRiskLevel, budgetUse, earnedBillingMode } from "./billing";
export type { BudgetStatus, EarnedMode } from "./billing";
export { changePercent, COMPLIANCE_PLACES, exactPercent, percentOf, roundPercent, shareBelowBar } from "./percent";
export { Decimal } from "./decimal";
export { globLikePattern, globMatcher, resourceGlobs } from "./glob";
export { compileTagPattern } from "./pattern";
export type { TagPattern } from "./pattern";
