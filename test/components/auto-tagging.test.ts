// Auto-tagging sets only the tag paths: a secret elsewhere in a Deployment's spec stays where it was given
// and does not make the pod template's labels secret. (The old transform lifted the whole spec into one
// Output, so one secret env value made the whole spec, labels included, secret.) The transform's result is
// read directly: on the wire the SDK marks a whole top-level property secret anyway, so the recorded inputs
// could not tell.
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { autoTagTransform } from "../../components/auto-tagging";
import { loadCostModel } from "../../model";
import { root } from "../helpers";
import { runUnderMocks } from "./mocks";

const model = loadCostModel(join(root, "allot.yaml"));
const standardTags = { team: "payments", "cost-center": "CC-1200", environment: "prod" };
const transform = autoTagTransform(standardTags, model.tags);

/** An Output's value, and whether it is secret and known (the SDK's own promises). */
async function look(value: unknown) {
  const o = value as { promise(): Promise<unknown>; isSecret: Promise<boolean>; isKnown: Promise<boolean> };
  return { value: await o.promise(), secret: await o.isSecret, known: await o.isKnown };
}

async function transformed(type: string, props: Record<string, unknown>) {
  let result: Record<string, unknown> | undefined;
  await runUnderMocks(() => {
    result = transform({ type, props, opts: {} })!.props;
  });
  return result!;
}

describe("auto-tagging touches only the tag paths", () => {
  it("a secret in a Deployment's containers stays there; the labels are neither secret nor unknown", async () => {
    const env = pulumi.secret("s3cr3t");
    const props = await transformed("kubernetes:apps/v1:Deployment", {
      spec: { replicas: 2, selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "api", image: "nginx", env: [{ name: "TOKEN", value: env }] }] } } },
    });
    const spec = props.spec as { replicas: number; selector: unknown; template: { metadata: { labels: unknown }; spec: { containers: { env: { value: unknown }[] }[] } } };
    expect(pulumi.Output.isInstance(spec)).toBe(false);
    expect(pulumi.Output.isInstance(spec.template)).toBe(false);
    expect(await look(spec.template.metadata.labels)).toEqual({ value: { app: "api", ...standardTags }, secret: false, known: true });
    expect(spec.replicas).toBe(2);
    expect(spec.selector).toEqual({ matchLabels: { app: "api" } });
    // The secret itself is untouched, and still secret.
    expect(spec.template.spec.containers[0]!.env[0]!.value).toBe(env);
  });

  it("must stay secret: labels given as a secret, or a spec given as one secret Output, keep their secrecy", async () => {
    const labels = await transformed("kubernetes:apps/v1:Deployment", { spec: { template: { metadata: { labels: pulumi.secret({ app: "a" }) } } } });
    expect(await look((labels.spec as { template: { metadata: { labels: unknown } } }).template.metadata.labels)).toEqual({ value: { app: "a", ...standardTags }, secret: true, known: true });
    const whole = await transformed("kubernetes:apps/v1:Deployment", { spec: pulumi.secret({ template: { metadata: { labels: { app: "b" } } } }) });
    const seen = await look(whole.spec);
    expect(seen.secret).toBe(true);
    expect((seen.value as { template: { metadata: { labels: unknown } } }).template.metadata.labels).toEqual({ app: "b", ...standardTags });
  });

  it("a cloud resource's tags stay plain when another property is secret", async () => {
    const props = await transformed("aws:s3/bucket:Bucket", { tags: { app: "c" }, forceDestroy: pulumi.secret(true) });
    expect(await look(props.tags)).toEqual({ value: { app: "c", ...standardTags }, secret: false, known: true });
  });
});
