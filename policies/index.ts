// The allot-cost-tags policy pack: `pulumi preview --policy-pack policies` loads this module, and the
// PolicyPack constructor serves the policies to the engine (after secrets are kept marked, see secrets.ts).
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./pack";
import { keepSecretsMarked } from "./secrets";

keepSecretsMarked();

new PolicyPack("allot-cost-tags", {
  description: "Cost tags from allot.yaml: required keys, valid values and cloud limits on every taggable resource, and a stack-wide compliance threshold.",
  policies,
});
