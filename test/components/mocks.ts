// Runs Pulumi code under pulumi.runtime.setMocks inside a real root stack (as `pulumi preview` does),
// recording every resource with its inputs and its parent, for assertions and golden graphs.
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
  type: string;
  name: string;
  parent: string | undefined;
  provider: string | undefined;
  inputs: Record<string, unknown>;
  /** The resource option, where set: properties a later deployment keeps as they were created. */
  ignoreChanges?: string[];
}

const key = (type: string, name: string) => `${type}::${name}`;

/** Fake outputs a provider would compute, so ARNs and ids resolve to readable values. */
function computed(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const short = type.split(":").pop()!.toLowerCase();
  // Azure resources take their name from a <kind>Name input; the rest from name, else the resource name.
  const ownName = inputs.name ?? inputs.containerName ?? inputs.budgetName ?? inputs.exportName ?? inputs.accountName ?? name;
  return { arn: `arn:mock:${short}:${name}`, id: `${name}-id`, name: ownName, bucket: inputs.bucket ?? `${name}-bucket`, datasetId: inputs.datasetId ?? name, ...inputs };
}

export async function runUnderMocks(program: () => unknown, config: Record<string, string> = {}) {
  const resources = new Map<string, Registered>();
  const parents = new Map<string, string>();
  const providers = new Map<string, string>();
  const ignored = new Map<string, string[]>();
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        resources.set(key(args.type, args.name), { type: args.type, name: args.name, parent: undefined, provider: args.provider, inputs });
        return { id: `${args.name}-id`, state: computed(args.type, args.name, inputs) };
      },
      call: (args) => {
        if (args.token === "aws:iam/getPolicyDocument:getPolicyDocument") return { json: JSON.stringify(args.inputs) };
        return {};
      },
    },
    "allot",
    "example",
    true,
  );
  let exports: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const parent = args.opts.parent as unknown as { __pulumiType?: string; __name?: string } | undefined;
      if (parent?.__pulumiType) parents.set(key(args.type, args.name), key(parent.__pulumiType, parent.__name ?? "?"));
      const provider = (args.opts as pulumi.CustomResourceOptions).provider as unknown as { __name?: string } | undefined;
      if (provider?.__name) providers.set(key(args.type, args.name), provider.__name);
      if (args.opts.ignoreChanges?.length) ignored.set(key(args.type, args.name), args.opts.ignoreChanges);
      return undefined;
    });
    exports = await program();
    return undefined;
  });
  await pulumi.runtime.disconnect();
  const list = [...resources.values()]
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => {
      const ignoreChanges = ignored.get(key(r.type, r.name));
      return { ...r, parent: parents.get(key(r.type, r.name)), provider: providers.get(key(r.type, r.name)), ...(ignoreChanges ? { ignoreChanges } : {}) };
    })
    .sort((a, b) => key(a.type, a.name).localeCompare(key(b.type, b.name)));
  return { resources: list, exports };
}

export const ofType = (resources: Registered[], type: string) => resources.filter((r) => r.type === type);
export const named = (resources: Registered[], name: string) => {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}; have ${resources.map((r) => r.name).join(", ")}`);
  return found;
};
