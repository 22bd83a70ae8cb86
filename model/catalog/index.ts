// Which resource types take tags, and under which property: the catalog generated from the installed
// cloud provider SDKs (`npm run catalog`), and the Kubernetes objects whose labels carry cost tags. The
// policy pack and auto-tagging both read it from here.
import catalogJson from "./taggable.json";
import type { Catalog, TaggableType } from "./generate";

export type { TagShape, TaggableType } from "./generate";

const catalog = catalogJson as Catalog;

const labels = (path: readonly string[], kubernetes: "namespace" | "workload"): TaggableType => ({ property: path.join("."), shape: "map", path, kubernetes });
const POD_TEMPLATE = ["spec", "template", "metadata", "labels"];

/**
 * Kubernetes objects that carry cost labels: namespaces (their own labels, which OpenCost reports as
 * namespace labels) and the pod templates of workloads (the labels every pod they start carries, which
 * OpenCost reports per pod). Kept by hand: the Kubernetes SDK's types all have metadata.labels, but only
 * these decide who a pod's cost belongs to.
 */
const KUBERNETES: Record<string, TaggableType> = {
  "kubernetes:core/v1:Namespace": labels(["metadata", "labels"], "namespace"),
  "kubernetes:apps/v1:Deployment": labels(POD_TEMPLATE, "workload"),
  "kubernetes:apps/v1:StatefulSet": labels(POD_TEMPLATE, "workload"),
  "kubernetes:apps/v1:DaemonSet": labels(POD_TEMPLATE, "workload"),
  "kubernetes:apps/v1:ReplicaSet": labels(POD_TEMPLATE, "workload"),
  "kubernetes:batch/v1:Job": labels(POD_TEMPLATE, "workload"),
  "kubernetes:batch/v1:CronJob": labels(["spec", "jobTemplate", "spec", "template", "metadata", "labels"], "workload"),
};

/** The tag property and its shape for a Pulumi type token, or undefined when the type takes no tags. */
export function taggableType(type: string): TaggableType | undefined {
  if (Object.prototype.hasOwnProperty.call(KUBERNETES, type)) return KUBERNETES[type];
  return Object.prototype.hasOwnProperty.call(catalog.types, type) ? catalog.types[type] : undefined;
}

/** The path to a type's tag map, property by property. */
export function tagPath(taggable: TaggableType): readonly string[] {
  return taggable.path ?? [taggable.property];
}
