// Activates the required tag keys as AWS cost allocation tags, so Budgets, Cost Explorer and the
// exports can group by them. Only the payer (management) account can activate them, and only keys
// that have already appeared on a resource in the last 24 hours can be activated.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentInputError } from "../spec";

const TYPE = "allot:index:AwsCostAllocationTags";

export interface AwsCostAllocationTagsArgs {
  /** The tag keys to activate, e.g. the required keys of allot.yaml. */
  keys: string[];
}

export class AwsCostAllocationTags extends pulumi.ComponentResource {
  readonly keys: string[];

  constructor(name: string, args: AwsCostAllocationTagsArgs, opts?: pulumi.ComponentResourceOptions) {
    const keys = args.keys ?? [];
    if (keys.length === 0) throw new ComponentInputError(TYPE, "keys", "expected at least one tag key");
    keys.forEach((key, i) => {
      if (key.length > 128 || key.toLowerCase().startsWith("aws:")) throw new ComponentInputError(TYPE, `keys[${i}]`, `expected a user tag key of at most 128 characters not starting with aws:, got ${JSON.stringify(key)}`);
    });
    super(TYPE, name, {}, opts);
    for (const key of [...new Set(keys)]) {
      new aws.costexplorer.CostAllocationTag(`${name}-${key}`, { tagKey: key, status: "Active" }, { parent: this });
    }
    this.keys = keys;
    this.registerOutputs({ keys });
  }
}
