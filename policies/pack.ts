// The policies of the allot-cost-tags pack. Each one turns the pure rules in rules/ into messages that
// say which resource, what is wrong and what to add; the rules are the same the bill is measured with.
import type { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { checkCloudTagLimits, Decimal, exactPercent, roundPercent, shareBelowBar, taggableType, tagPath, type NamespaceLabels, type TagFinding, type TagVerdict } from "../model";
import { configSchema, resolveStandard, type ResolvedStandard } from "./config";
import { deployVerdict, effectiveTags, kubernetesMetadata, tagPropertyWords, unwrap, type EffectiveTags } from "./effective-tags";

const MAX_LISTED = 10;

const list = (items: readonly string[]) => {
  const shown = items.slice(0, MAX_LISTED).join(", ");
  return items.length > MAX_LISTED ? `${shown} and ${items.length - MAX_LISTED} more` : shown;
};
const quoted = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
const showValue = (f: Extract<TagFinding, { problem: "invalid" }>) => (f.secret ? "[secret]" : quoted(f.value));

function describe(args: { type: string; name: string }) {
  return `${args.type} ${quoted(args.name)}`;
}

/** A taggable, non-exempt resource with its effective tags and the one verdict every policy reads. */
interface Assessed {
  tags: EffectiveTags;
  verdict: TagVerdict;
}

type ResourceLike = { type: string; props: Record<string, unknown>; provider?: { type: string; props: Record<string, unknown> } };

/**
 * The verdict on a resource under a config's standard, or undefined when it takes no tags or is exempt.
 * `namespaceOf` tells what is known of a Kubernetes workload's namespace (a resource policy: nothing).
 */
function assess(args: ResourceLike, resolved: ResolvedStandard, namespaceOf: (workload: Record<string, unknown>) => NamespaceLabels = () => "unknown"): Assessed | undefined {
  const tags = effectiveTags(args.type, args.props, args.provider);
  if (!tags) return undefined;
  const verdict = deployVerdict(resolved.standard, args.type, tags, tags.taggable.kubernetes === "workload" ? namespaceOf(args.props) : "unknown");
  return verdict.status === "not-applicable" ? undefined : { tags, verdict };
}

/**
 * A workload's namespace as the stack shows it: the labels of the Namespace in the stack with its name
 * (`default` when it names none); `unseen` when the stack has no such Namespace, so its labels cannot count
 * (the README's rule); `unknown` while a name is unknown during preview.
 */
function stackNamespaces(resources: readonly ResourceLike[]): (workload: Record<string, unknown>) => NamespaceLabels {
  const byName = new Map<string, NamespaceLabels>();
  let unnamed = false;
  for (const r of resources) {
    const tags = r.type === "kubernetes:core/v1:Namespace" ? effectiveTags(r.type, r.props) : undefined;
    if (!tags) continue;
    const name = kubernetesMetadata(r.props, "name");
    if (typeof name !== "string") unnamed = true;
    else byName.set(name, tags.unknownMap ? "unknown" : { labels: [...tags.tags] });
  }
  return (workload) => {
    const name = kubernetesMetadata(workload, "namespace");
    if (name === null) return "unknown";
    return byName.get(name ?? "default") ?? (unnamed ? "unknown" : "unseen");
  };
}

/** The policy's tag standard (from its config) and the resource's verdict, when it takes tags. */
function resourceVerdict(args: ResourceValidationArgs, namespace: NamespaceLabels = "unknown"): (Assessed & { resolved: ResolvedStandard }) | undefined {
  const resolved = resolveStandard(args.getConfig());
  const assessed = assess(args, resolved, () => namespace);
  return assessed && { ...assessed, resolved };
}

/** A copy of `root` with `value` at `path`, the objects on the way copied (never mutated). */
function withValueAt(root: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [step, ...rest] = path;
  if (step === undefined) return root;
  const inner = unwrap(root[step]);
  return { ...root, [step]: rest.length === 0 ? value : withValueAt(inner !== null && typeof inner === "object" ? (inner as Record<string, unknown>) : {}, rest, value) };
}

const missingKeys = (v: TagVerdict) => v.findings.filter((f) => f.problem === "missing").map((f) => f.key);
const emptyKeys = (v: TagVerdict) => v.findings.filter((f) => f.problem === "empty").map((f) => f.key);
const invalidFindings = (v: TagVerdict) => v.findings.filter((f): f is Extract<TagFinding, { problem: "invalid" }> => f.problem === "invalid");

/**
 * Reads an unknown value through the SDK's unknown-checking proxy on purpose: the SDK then reports the
 * check as advisory ("can't run policy ... during preview"), and `pulumi up` runs it with known values.
 * Without `key`, reads the tag collection itself (unknown as a whole).
 */
function deferToUpdate(args: ResourceValidationArgs, tags: EffectiveTags, key?: string): void {
  let collection: unknown = args.props;
  for (const step of tagPath(tags.taggable)) collection = (collection as Record<string, unknown> | undefined)?.[step];
  if (key === undefined) return;
  if (Array.isArray(unwrap(collection))) {
    for (const item of collection as { key?: unknown; name?: unknown; value?: unknown }[]) if (item?.key === key || item?.name === key) void item.value;
  } else if (Object.hasOwn(unwrap(collection) ?? {}, key)) {
    void (collection as Record<string, unknown>)[key];
  }
}

function requiredTagsMessage(args: { type: string; name: string }, { tags, verdict, resolved }: Assessed & { resolved: ResolvedStandard }): string | undefined {
  const missing = missingKeys(verdict);
  const empty = emptyKeys(verdict);
  if (missing.length === 0 && empty.length === 0) return undefined;
  const words = tagPropertyWords[tags.cloud];
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing cost ${words.tags} ${list(missing)}`);
  if (empty.length > 0) parts.push(`empty cost ${words.tags} ${list(empty)}`);
  let message = `${describe(args)}: ${parts.join("; ")}.`;
  for (const f of verdict.findings) if (f.problem === "missing" && f.nearMiss !== undefined) message += ` Found ${quoted(f.nearMiss)}: did you mean ${quoted(f.key)}?`;
  const withDefaults = missing.filter((k) => resolved.defaults.has(k));
  message += ` Add ${list([...missing, ...empty].map((k) => `${k}=<value>`))} to its ${tags.taggable.property}${words.defaults ? ` or to ${words.defaults}` : ""}`;
  message += withDefaults.length > 0 ? `; with enforcement level remediate, allot adds ${list(withDefaults.map((k) => `${k}=${resolved.defaults.get(k)}`))}.` : ".";
  return message;
}

function tagValuesMessages(args: { type: string; name: string }, { tags, verdict }: Assessed): string[] {
  const words = tagPropertyWords[tags.cloud];
  const messages = invalidFindings(verdict).map((f) => {
    const what = f.nonString !== undefined ? `is ${f.nonString}, not a string` : `is not ${f.expected}`;
    return `${describe(args)}: cost ${words.tags.replace(/s$/, "")} ${f.key}=${showValue(f)} ${what}${f.suggestion ? ` (did you mean ${quoted(f.suggestion)}?)` : ""}.`;
  });
  const known = [...tags.tags].map(([key, value]) => [key, value.state === "known" ? value.value : undefined] as const);
  const own = [...tags.tags.values()].filter((v) => !v.fromProvider).length;
  for (const finding of checkCloudTagLimits(tags.cloud, known, own)) {
    messages.push(`${describe(args)}: ${finding.key ? `${words.tags.replace(/s$/, "")} ${quoted(finding.key)}: ` : ""}${finding.problem}.`);
  }
  for (const problem of tags.malformed) messages.push(`${describe(args)}: ${tags.taggable.property} ${problem}.`);
  return messages;
}

export const requiredCostTags: ResourceValidationPolicy = {
  name: "required-cost-tags",
  description: "Every taggable resource carries every required cost tag with a non-empty value.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(),
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    const found = resourceVerdict(args);
    if (!found) return;
    const message = requiredTagsMessage(args, found);
    if (message) report(message);
    else if (found.tags.unknownMap && found.verdict.unknown.length > 0) deferToUpdate(args, found.tags);
  },
  remediateResource: (args: ResourceValidationArgs) => {
    // Remediation sees one object: a workload gets the defaults its pod template lacks, whatever its namespace holds.
    const found = resourceVerdict(args, "unseen");
    if (!found || found.tags.unknownMap) return undefined;
    const { resolved, tags } = found;
    const additions = missingKeys(found.verdict).filter((k) => resolved.defaults.has(k));
    if (additions.length === 0) return undefined;
    const props = unwrap(args.props);
    const path = tagPath(tags.taggable);
    const current = unwrap(path.reduce<unknown>((v, step) => (unwrap(v) as Record<string, unknown> | undefined)?.[step], props));
    const added = additions.map((key) => [key, resolved.defaults.get(key)!] as const);
    const next =
      tags.taggable.shape === "list"
        ? [...(Array.isArray(current) ? current : []), ...added.map(([key, value]) => ({ key, value, propagateAtLaunch: true }))]
        : { ...(current && typeof current === "object" ? (current as Record<string, unknown>) : {}), ...Object.fromEntries(added) };
    return withValueAt(props, path, next);
  },
};

export const costTagValues: ResourceValidationPolicy = {
  name: "cost-tag-values",
  description: "Cost tag values match the standard (allowed values, patterns, org teams) and the cloud's tag limits.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(),
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    const found = resourceVerdict(args);
    if (!found) return;
    tagValuesMessages(args, found).forEach((m) => report(m));
    const ownUnknown = found.verdict.unknown.find((k) => found.tags.tags.get(k)?.fromProvider === false);
    if (ownUnknown !== undefined) deferToUpdate(args, found.tags, ownUnknown);
  },
};

interface StackCompliance {
  taggable: number;
  compliant: number;
  /** Percent of taggable resources that comply, exact (model/percent.ts); null without any. */
  share: Decimal | null;
  offenders: { urn: string; problems: string[] }[];
}

function stackCompliance(resources: readonly Pick<PolicyResource, "type" | "props" | "provider" | "urn" | "name">[], resolved: ResolvedStandard): StackCompliance {
  let taggable = 0;
  const offenders: StackCompliance["offenders"] = [];
  const namespaceOf = stackNamespaces(resources);
  for (const resource of resources) {
    const assessed = assess(resource, resolved, namespaceOf);
    if (!assessed) continue;
    taggable++;
    const problems = assessed.verdict.findings.map((f) => (f.problem === "invalid" ? `${f.key}=${showValue(f)}` : `${f.problem} ${f.key}`));
    if (problems.length > 0) offenders.push({ urn: resource.urn, problems });
  }
  const compliant = taggable - offenders.length;
  return { taggable, compliant, share: exactPercent(new Decimal(compliant), new Decimal(taggable)), offenders };
}

export const costTagCompliance: StackValidationPolicy = {
  name: "cost-tag-compliance",
  description: "The share of the stack's taggable resources with valid cost tags is at least the threshold.",
  enforcementLevel: "mandatory",
  configSchema: configSchema("threshold"),
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    const resolved = resolveStandard(args.getConfig());
    const result = stackCompliance(args.resources, resolved);
    // Decided on the exact share, as the billing mode is: a share that rounds up to the threshold is below it.
    if (result.share === null || result.share.greaterThanOrEqualTo(resolved.threshold)) return;
    const worst = [...result.offenders].sort((a, b) => b.problems.length - a.problems.length || a.urn.localeCompare(b.urn)).slice(0, 5);
    report(
      `${shareBelowBar(roundPercent(result.share, 1)!, resolved.threshold, 1)} of ${result.taggable} taggable resources carry valid cost tags (${result.compliant} of ${result.taggable}); the threshold is ${resolved.threshold}%. ` +
        `Worst: ${worst.map((o) => `${o.urn} (${list(o.problems)})`).join("; ")}.`,
    );
  },
};

/**
 * A workload's pods carry its pod template's labels over its namespace's, so whether a required label is
 * missing is decided with the stack in view: a resource policy sees one object and leaves such keys undecided.
 */
export const kubernetesCostLabels: StackValidationPolicy = {
  name: "kubernetes-cost-labels",
  description: "Every Kubernetes workload's pods carry every required cost label, from their pod template or their namespace in the stack.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(),
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    const resolved = resolveStandard(args.getConfig());
    const namespaceOf = stackNamespaces(args.resources);
    for (const resource of args.resources) {
      if (taggableType(resource.type)?.kubernetes !== "workload") continue;
      const namespace = namespaceOf(resource.props);
      const assessed = assess(resource, resolved, () => namespace);
      if (!assessed) continue;
      const name = quoted(kubernetesMetadata(resource.props, "namespace") ?? "default");
      // A label of its own, empty or invalid, is required-cost-tags' or cost-tag-values' to report (they see it
      // on the object): this policy speaks only of what the workload lacks or inherits, so nothing is said twice.
      const inherited = { ...assessed.verdict, findings: assessed.verdict.findings.filter((f) => !assessed.tags.tags.has(f.key)) };
      for (const f of invalidFindings(inherited)) {
        report(`${describe(resource)}: cost label ${f.key}=${showValue(f)} of its namespace ${name} is not ${f.expected}; set a valid one on the namespace or the pod template.`, resource.urn);
      }
      const message = requiredTagsMessage(resource, { ...assessed, verdict: inherited, resolved });
      if (!message) continue;
      report(
        `${message} ${namespace === "unseen" ? `Its namespace ${name} is not in this stack, so its labels cannot count: label the pod template, or manage the namespace in this stack.` : `Labels of its namespace ${name} count too.`}`,
        resource.urn,
      );
    }
  },
};

/** Every policy of the pack, in the order they run. */
export const policies = [requiredCostTags, costTagValues, costTagCompliance, kubernetesCostLabels];
