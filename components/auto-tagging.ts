// Stack-wide auto-tagging: every taggable resource (components' children included) gets the standard
// tags it does not already carry. Which types take tags, under which property, and which keys a resource
// lacks all come from the model (the catalog and the tag verdict the policy pack uses), so a resource
// auto-tagging completes is one the pack passes.
import * as pulumi from "@pulumi/pulumi";
import { asCloudTagValue, cloudOfType, judgeTags, taggableType, tagPath, type Cloud, type TagStandard } from "../model";

type TransformArgs = { type: string; props: Record<string, unknown>; opts: pulumi.CustomResourceOptions | pulumi.ComponentResourceOptions };

/**
 * GCP labels take only lowercase letters, digits, _ and -, at most 63 characters, so a value such as
 * CC-2100 is written cc-2100 there; the standard matches it case-insensitively on GCP.
 */
export function asGcpLabel(text: string): string {
  return asCloudTagValue("gcp", text);
}

/**
 * The tags to write on a resource of the cloud: values spelled the way the cloud stores them; keys as
 * written but on GCP, whose label keys are lower case too (a Kubernetes key such as example.com/team keeps
 * its prefix: the value rules would turn its / into _, and the pack would find the key missing).
 */
function tagsFor(cloud: Cloud | undefined, standardTags: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(standardTags).map(([k, v]) => (cloud === undefined ? [k, v] : [cloud === "gcp" ? asCloudTagValue(cloud, k) : k, asCloudTagValue(cloud, v)]));
}

/**
 * The keys of `wanted` to add to a resource's current tags: for required keys, those the verdict finds
 * missing or empty (a key the resource sets with any value is its own); for other keys, those absent.
 */
function additions(standard: TagStandard | undefined, type: string, current: readonly (readonly [string, string])[], wanted: readonly [string, string][]): [string, string][] {
  const present = new Set(current.map(([k]) => k.trim()));
  if (!standard) return wanted.filter(([key]) => !present.has(key));
  const verdict = judgeTags(standard, { mode: "deploy", cloud: cloudOfType(type), resourceType: type, entries: current.map(([k, v]) => [k, { state: "known", value: v }] as const) });
  const lacking = new Set(verdict.findings.filter((f) => f.problem === "missing" || f.problem === "empty").map((f) => f.key));
  const required = new Set(standard.required.map((s) => s.key));
  return wanted.filter(([key]) => (required.has(key) ? lacking.has(key) : !present.has(key)));
}

/** `value`, resolved, with `complete` applied to what sits at `path` inside it; objects on the way are copied. */
function completeResolved(value: unknown, path: readonly string[], complete: (current: unknown) => unknown): unknown {
  const [step, ...rest] = path;
  if (step === undefined) return complete(value);
  const object = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return { ...object, [step]: completeResolved(Object.hasOwn(object, step) ? object[step] : undefined, rest, complete) };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) && !pulumi.Output.isInstance(value) && !(value instanceof Promise);

/**
 * `value` with the tags at `path` completed. Only the tags become an Output: plain objects on the way are
 * copied as given, so a secret or unknown elsewhere (a container's env in a Deployment's spec) stays where
 * it is and does not make the labels secret or unknown. An Output on the way must be resolved to reach the
 * path, so from there down the value is one Output, as it was given.
 */
function completeAt(value: unknown, path: readonly string[], complete: (current: unknown) => unknown): unknown {
  const [step, ...rest] = path;
  const lifted = () => pulumi.output(value) as pulumi.Output<unknown>;
  if (step === undefined) return lifted().apply((resolved) => complete(resolved));
  if (value !== undefined && value !== null && !isPlainObject(value)) return lifted().apply((resolved) => completeResolved(resolved, path, complete));
  const object: Record<string, unknown> = isPlainObject(value) ? value : {};
  return { ...object, [step]: completeAt(Object.hasOwn(object, step) ? object[step] : undefined, rest, complete) };
}

/** The transform itself: adds missing standard tags to a taggable resource; tags the resource sets win. */
export function autoTagTransform(standardTags: Readonly<Record<string, string>>, standard?: TagStandard) {
  return (args: TransformArgs): { props: Record<string, unknown>; opts: TransformArgs["opts"] } | undefined => {
    const taggable = taggableType(args.type);
    if (!taggable || Object.keys(standardTags).length === 0) return undefined;
    const wanted = tagsFor(cloudOfType(args.type), standardTags);
    const complete = (current: unknown): unknown => {
      if (taggable.shape === "list") {
        const list = Array.isArray(current) ? (current as { key: string; value?: string }[]) : [];
        const add = additions(standard, args.type, list.map((i) => [i.key, i.value ?? ""] as const), wanted);
        return [...list.filter((i) => !add.some(([k]) => k === i.key)), ...add.map(([key, value]) => ({ key, value, propagateAtLaunch: true }))];
      }
      const own = current !== null && typeof current === "object" ? (current as Record<string, string>) : {};
      return { ...own, ...Object.fromEntries(additions(standard, args.type, Object.entries(own), wanted)) };
    };
    // The tags completed at their path (a Kubernetes pod template's labels sit at spec.template.metadata.labels).
    return { props: completeAt(args.props, tagPath(taggable), complete) as Record<string, unknown>, opts: args.opts };
  };
}

/**
 * Registers auto-tagging for the whole stack, e.g. `registerAutoTagging({ team: "platform", environment: "prod" }, model.tags)`
 * at the top of a program. With the model's standard, a required key the resource leaves empty is filled too.
 */
export function registerAutoTagging(tags: Readonly<Record<string, string>>, standard?: TagStandard): void {
  const transform = autoTagTransform(tags, standard);
  // The engine runs resource transforms through its resource monitor. pulumi.runtime.setMocks' monitor
  // has no such call (nor have old CLIs), so there the SDK-side stack transformation applies the same function.
  const monitor = pulumi.runtime.getMonitor() as { registerStackTransform?: unknown } | undefined;
  if (typeof monitor?.registerStackTransform === "function") pulumi.runtime.registerResourceTransform(transform);
  else pulumi.runtime.registerStackTransformation(transform);
}
