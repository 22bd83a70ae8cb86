// Builds the arguments the policy SDK passes to a policy, with props wrapped in the SDK's own
// unknown-checking proxy exactly as its analyzer server does.
import type { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

// The SDK's internal proxy module: its declarations are stripped, so its shape is stated here.
const sdkProxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T extends object>(value: T): T;
  UnknownValueError: new (...args: never[]) => Error;
  unknownStringValue: string;
  unknownObjectValue: string;
};
export const { unknownCheckingProxy, UnknownValueError, unknownStringValue, unknownObjectValue } = sdkProxy;

export interface ResourceSpec {
  type: string;
  props: Record<string, unknown>;
  name?: string;
  provider?: { type: string; props: Record<string, unknown> };
  config?: object;
}

export function resourceArgs(spec: ResourceSpec): ResourceValidationArgs {
  const name = spec.name ?? "res";
  return {
    type: spec.type,
    props: unknownCheckingProxy(spec.props),
    urn: `urn:pulumi:dev::shop::${spec.type}::${name}`,
    name,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    ...(spec.provider ? { provider: { type: spec.provider.type, props: unknownCheckingProxy(spec.provider.props), urn: `urn:pulumi:dev::shop::${spec.provider.type}::p`, name: "p" } } : {}),
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => (spec.config ?? {}) as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`not applicable: ${reason}`);
    },
  };
}

export function stackArgs(specs: ResourceSpec[], config: object = {}): StackValidationArgs {
  const resources = specs.map((spec) => {
    const args = resourceArgs(spec);
    return { ...args, dependencies: [], propertyDependencies: {} } as unknown as PolicyResource;
  });
  return { resources, stackTags: new Map(), getConfig: <T extends object>() => config as T, notApplicable: (reason?: string): never => { throw new Error(`not applicable: ${reason}`); } };
}

/** Runs a resource policy's validation and returns the messages it reported. */
export async function violations(validate: unknown, args: ResourceValidationArgs | StackValidationArgs): Promise<string[]> {
  const messages: string[] = [];
  await (validate as (a: unknown, r: (m: string) => void) => Promise<void> | void)(args, (m) => messages.push(m));
  return messages;
}
