// Stack-wide auto-tagging: every taggable resource (components' children included) gets the standard
// tags it does not already carry. Taggability comes from the catalog the policy pack uses, so the two
// agree on which resources take tags and under which property.
import * as pulumi from "@pulumi/pulumi";
import { taggableType } from "../policies/effective-tags";

type TransformArgs = { type: string; props: Record<string, unknown>; opts: pulumi.CustomResourceOptions | pulumi.ComponentResourceOptions };

/**
 * GCP labels take only lowercase letters, digits, _ and -, at most 63 characters, so a value such as
 * CC-2100 is written cc-2100 there rather than failing the deployment.
 */
export function asGcpLabel(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
}

/** The transform itself: adds missing `tags` to a taggable resource; tags the resource sets win. */
export function autoTagTransform(standardTags: Readonly<Record<string, string>>) {
  const gcpTags = Object.fromEntries(Object.entries(standardTags).map(([k, v]) => [asGcpLabel(k), asGcpLabel(v)]));
  return (args: TransformArgs): { props: Record<string, unknown>; opts: TransformArgs["opts"] } | undefined => {
    const taggable = taggableType(args.type);
    if (!taggable || Object.keys(standardTags).length === 0) return undefined;
    const tags = args.type.startsWith("gcp:") ? gcpTags : standardTags;
    const current = args.props[taggable.property];
    const merged =
      taggable.shape === "list"
        ? pulumi.output(current as pulumi.Input<{ key: string }[]> | undefined).apply((items) => {
            const list = Array.isArray(items) ? items : [];
            const present = new Set(list.map((item) => item.key));
            return [...list, ...Object.entries(tags).filter(([key]) => !present.has(key)).map(([key, value]) => ({ key, value, propagateAtLaunch: true }))];
          })
        : pulumi.output(current as pulumi.Input<Record<string, string>> | undefined).apply((map) => ({ ...tags, ...(map ?? {}) }));
    return { props: { ...args.props, [taggable.property]: merged }, opts: args.opts };
  };
}

/**
 * Registers auto-tagging for the whole stack, e.g. `registerAutoTagging({ team: "platform", environment: "prod" })`
 * at the top of a program.
 */
export function registerAutoTagging(tags: Readonly<Record<string, string>>): void {
  const transform = autoTagTransform(tags);
  // The engine runs resource transforms through its resource monitor. pulumi.runtime.setMocks' monitor
  // has no such call (nor have old CLIs), so there the SDK-side stack transformation applies the same function.
  const monitor = pulumi.runtime.getMonitor() as { registerStackTransform?: unknown } | undefined;
  if (typeof monitor?.registerStackTransform === "function") pulumi.runtime.registerResourceTransform(transform);
  else pulumi.runtime.registerStackTransformation(transform);
}
