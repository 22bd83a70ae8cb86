// Secret tag values stay secret. The engine sends a secret as a signed wrapper, but @pulumi/policy 1.21
// unwraps every secret when it deserialises the properties a policy validates (deserializeProperties with
// proxySecrets false, server.js), so a policy could not tell a secret from any other value and would print
// it in a violation. Before the pack serves, this keeps the wrappers: properties are deserialised as for
// remediation (secrets as the SDK's Secret objects), and effective-tags.ts reads them as secret values,
// which every message masks.
// The module object itself (not an interop copy), so the server sees the replaced function.
import deserialize = require("@pulumi/policy/deserialize");

type Deserialize = (struct: unknown, proxySecrets: boolean) => Record<string, unknown>;

/** The object behind @pulumi/policy's secrets-preserving proxy: its values keep their Secret wrappers. */
function withoutProxy(props: Record<string, unknown>): Record<string, unknown> {
  return props !== null && typeof props === "object" && props.__isSpecialProxy === true ? (props.__getSpecialProxyTarget as Record<string, unknown>) : props;
}

/** Makes the SDK keep secret wrappers in the properties it hands to policies. Idempotent. */
export function keepSecretsMarked(): void {
  const module = deserialize as unknown as { deserializeProperties: Deserialize & { allotKeepsSecrets?: true } };
  if (module.deserializeProperties.allotKeepsSecrets) return;
  const original = module.deserializeProperties;
  const patched: Deserialize & { allotKeepsSecrets?: true } = (struct, proxySecrets) => (proxySecrets ? original(struct, true) : withoutProxy(original(struct, true)));
  patched.allotKeepsSecrets = true;
  module.deserializeProperties = patched;
}
