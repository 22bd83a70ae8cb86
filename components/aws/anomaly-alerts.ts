// AWS Cost Anomaly Detection: a monitor over services and a daily subscription that e-mails anomalies
// whose total impact reaches a threshold in dollars.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentInputError } from "../spec";

const TYPE = "allot:index:AwsAnomalyAlerts";

export interface AwsAnomalyAlertsArgs {
  emails: string[];
  /** Alert when an anomaly's total impact is at least this many dollars. */
  minimumImpact: number;
}

export class AwsAnomalyAlerts extends pulumi.ComponentResource {
  readonly monitorArn: pulumi.Output<string>;

  constructor(name: string, args: AwsAnomalyAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!(args.minimumImpact > 0)) throw new ComponentInputError(TYPE, "minimumImpact", `expected a positive dollar amount, got ${args.minimumImpact}`);
    // AWS: up to 10 subscribers per subscription.
    if (!args.emails?.length || args.emails.length > 10) throw new ComponentInputError(TYPE, "emails", `expected 1 to 10 e-mail addresses, got ${args.emails?.length ?? 0}`);
    super(TYPE, name, {}, opts);
    const monitor = new aws.costexplorer.AnomalyMonitor(`${name}-services`, { name: `${name}-services`, monitorType: "DIMENSIONAL", monitorDimension: "SERVICE" }, { parent: this });
    new aws.costexplorer.AnomalySubscription(`${name}-daily`, {
      name: `${name}-daily`,
      frequency: "DAILY",
      monitorArnLists: [monitor.arn],
      subscribers: [...new Set(args.emails)].sort().map((address) => ({ type: "EMAIL", address })),
      thresholdExpression: { dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: [String(args.minimumImpact)] } },
    }, { parent: this });
    this.monitorArn = monitor.arn;
    this.registerOutputs({ monitorArn: this.monitorArn });
  }
}
