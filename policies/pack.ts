// The policies of the allot-cost-tags pack. Each one turns the pure rules in rules/ into messages that
// say which resource, what is wrong and what to add; the rules are the same the bill is measured with.
import type { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { configSchema, resolveStandard, type ResolvedStandard } from "./config";
import { effectiveTags, tagPropertyWords, unwrap, type EffectiveTags } from "./effective-tags";
import { checkCloudLimits } from "./rules/cloud-limits";
import { checkRequiredTags, type RequiredTagsResult } from "./rules/required-tags";
import { checkTagValues, type ValueFinding } from "./rules/tag-values";

const MAX_LISTED = 10;

const list = (items: readonly string[]) => {
  const shown = items.slice(0, MAX_LISTED).join(", ");
  return items.length > MAX_LISTED ? `${shown} and ${items.length - MAX_LISTED} more` : shown;
};
const quoted = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
const showValue = (f: ValueFinding) => (f.secret ? "[secret]" : quoted(f.value));

function describe(args: { type: string; name: string }) {
  return `${args.type} ${quoted(args.name)}`;
}

/** The effective tags of a resource, or undefined when it takes no tags or is exempt. */
function inspect(args: { type: string; props: Record<string, unknown>; provider?: { type: string; props: Record<string, unknown> } }, resolved: ResolvedStandard): EffectiveTags | undefined {
  if (resolved.standard.isExempt({ type: args.type })) return undefined;
  return effectiveTags(args.type, args.props, args.provider);
}

/** The policy's tag standard (from its config) and the resource's effective tags, when it takes tags. */
function resourceTags(args: ResourceValidationArgs): { resolved: ResolvedStandard; tags: EffectiveTags } | undefined {
  const resolved = resolveStandard(args.getConfig());
  const tags = inspect(args, resolved);
  return tags && { resolved, tags };
}

/**
 * Reads an unknown value through the SDK's unknown-checking proxy on purpose: the SDK then reports the
 * check as advisory ("can't run policy ... during preview"), and `pulumi up` runs it with known values.
 * Without `key`, reads the tag collection itself (unknown as a whole).
 */
function deferToUpdate(args: ResourceValidationArgs, tags: EffectiveTags, key?: string): void {
  const collection = args.props[tags.taggable.property] as unknown;
  if (key === undefined) return;
  if (Array.isArray(unwrap(collection))) {
    for (const item of collection as { key?: unknown; name?: unknown; value?: unknown }[]) if (item?.key === key || item?.name === key) void item.value;
  } else {
    void (collection as Record<string, unknown> | undefined)?.[key];
  }
}

function requiredTagsMessage(args: { type: string; name: string }, tags: EffectiveTags, resolved: ResolvedStandard, result: RequiredTagsResult): string | undefined {
  if (result.missing.length === 0 && result.empty.length === 0) return undefined;
  const words = tagPropertyWords[tags.cloud];
  const parts: string[] = [];
  if (result.missing.length > 0) parts.push(`missing cost ${words.tags} ${list(result.missing)}`);
  if (result.empty.length > 0) parts.push(`empty cost ${words.tags} ${list(result.empty)}`);
  let message = `${describe(args)}: ${parts.join("; ")}.`;
  for (const miss of result.nearMisses) message += ` Found ${quoted(miss.found)}: did you mean ${quoted(miss.key)}?`;
  const withDefaults = result.missing.filter((k) => resolved.defaults[k] !== undefined);
  message += ` Add ${list([...result.missing, ...result.empty].map((k) => `${k}=<value>`))} to its ${tags.taggable.property}${words.defaults ? ` or to ${words.defaults}` : ""}`;
  message += withDefaults.length > 0 ? `; with enforcement level remediate, allot adds ${list(withDefaults.map((k) => `${k}=${resolved.defaults[k]}`))}.` : ".";
  return message;
}

function tagValuesMessages(args: { type: string; name: string }, tags: EffectiveTags, resolved: ResolvedStandard): { messages: string[]; unknown: string[] } {
  const values = checkTagValues(tags, resolved.standard);
  const words = tagPropertyWords[tags.cloud];
  const messages = values.invalid.map((f) => {
    const what = f.nonString !== undefined ? `is ${f.nonString}, not a string` : `is not ${f.expected}`;
    return `${describe(args)}: cost ${words.tags.replace(/s$/, "")} ${f.key}=${showValue(f)} ${what}${f.suggestion ? ` (did you mean ${quoted(f.suggestion)}?)` : ""}.`;
  });
  for (const finding of checkCloudLimits(tags)) {
    messages.push(`${describe(args)}: ${finding.key ? `${words.tags.replace(/s$/, "")} ${quoted(finding.key)}: ` : ""}${finding.problem}.`);
  }
  for (const problem of tags.malformed) messages.push(`${describe(args)}: ${tags.taggable.property} ${problem}.`);
  return { messages, unknown: values.unknown };
}

export const requiredCostTags: ResourceValidationPolicy = {
  name: "required-cost-tags",
  description: "Every taggable resource carries every required cost tag with a non-empty value.",
  enforcementLevel: "mandatory",
  configSchema: configSchema("configFile", "requiredTags", "defaults"),
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    const found = resourceTags(args);
    if (!found) return;
    const result = checkRequiredTags(found.tags, found.resolved.standard.required);
    const message = requiredTagsMessage(args, found.tags, found.resolved, result);
    if (message) report(message);
    else if (result.undecidable) deferToUpdate(args, found.tags);
  },
  remediateResource: (args: ResourceValidationArgs) => {
    const found = resourceTags(args);
    if (!found || found.tags.unknownMap) return undefined;
    const { resolved, tags } = found;
    const additions = checkRequiredTags(tags, resolved.standard.required).missing.filter((k) => resolved.defaults[k] !== undefined);
    if (additions.length === 0) return undefined;
    const props = unwrap(args.props);
    const current = unwrap(props[tags.taggable.property]);
    const added = additions.map((key) => [key, resolved.defaults[key]!] as const);
    const next =
      tags.taggable.shape === "list"
        ? [...(Array.isArray(current) ? current : []), ...added.map(([key, value]) => ({ key, value, propagateAtLaunch: true }))]
        : { ...(current && typeof current === "object" ? (current as Record<string, unknown>) : {}), ...Object.fromEntries(added) };
    return { ...props, [tags.taggable.property]: next };
  },
};

export const costTagValues: ResourceValidationPolicy = {
  name: "cost-tag-values",
  description: "Cost tag values match the standard (allowed values, patterns, org teams) and the cloud's tag limits.",
  enforcementLevel: "mandatory",
  configSchema: configSchema("configFile", "allowedValues", "patterns"),
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    const found = resourceTags(args);
    if (!found) return;
    const { resolved, tags } = found;
    const { messages, unknown } = tagValuesMessages(args, tags, resolved);
    messages.forEach((m) => report(m));
    const ownUnknown = unknown.find((k) => tags.tags.get(k)?.fromProvider === false);
    if (ownUnknown !== undefined) deferToUpdate(args, tags, ownUnknown);
  },
};

interface StackCompliance {
  taggable: number;
  compliant: number;
  /** Percent of taggable resources that comply. */
  share: number;
  offenders: { urn: string; problems: string[] }[];
}

function stackCompliance(resources: readonly Pick<PolicyResource, "type" | "props" | "provider" | "urn" | "name">[], resolved: ResolvedStandard): StackCompliance {
  let taggable = 0;
  const offenders: StackCompliance["offenders"] = [];
  for (const resource of resources) {
    const tags = inspect(resource, resolved);
    if (!tags) continue;
    taggable++;
    const required = checkRequiredTags(tags, resolved.standard.required);
    const values = checkTagValues(tags, resolved.standard);
    const problems = [
      ...required.missing.map((k) => `missing ${k}`),
      ...required.empty.map((k) => `empty ${k}`),
      ...values.invalid.map((f) => `${f.key}=${showValue(f)}`),
    ];
    if (problems.length > 0) offenders.push({ urn: resource.urn, problems });
  }
  const compliant = taggable - offenders.length;
  return { taggable, compliant, share: taggable === 0 ? 100 : (compliant * 100) / taggable, offenders };
}

export const costTagCompliance: StackValidationPolicy = {
  name: "cost-tag-compliance",
  description: "The share of the stack's taggable resources with valid cost tags is at least the threshold.",
  enforcementLevel: "mandatory",
  configSchema: configSchema("configFile", "threshold"),
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    const resolved = resolveStandard(args.getConfig());
    const result = stackCompliance(args.resources, resolved);
    if (result.taggable === 0 || result.share >= resolved.threshold) return;
    const worst = [...result.offenders].sort((a, b) => b.problems.length - a.problems.length || a.urn.localeCompare(b.urn)).slice(0, 5);
    report(
      `${result.share.toFixed(1)}% of ${result.taggable} taggable resources carry valid cost tags (${result.compliant} of ${result.taggable}); the threshold is ${resolved.threshold}%. ` +
        `Worst: ${worst.map((o) => `${o.urn} (${list(o.problems)})`).join("; ")}.`,
    );
  },
};

/** Every policy of the pack, in the order they run. */
export const policies = [requiredCostTags, costTagValues, costTagCompliance];
