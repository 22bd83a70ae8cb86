// AWS Cost Anomaly Detection: a daily subscription that e-mails anomalies whose total impact reaches a
// threshold in dollars, on a monitor over services that the component creates or that the account
// already has (an account holds one AWS services monitor, so a second create fails).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentInputError } from "../spec";

const TYPE = "allot:index:AwsAnomalyAlerts";
/** Cost Explorer ARNs have no region: arn:aws:ce::<account>:anomalymonitor/<uuid>. */
const MONITOR_ARN = /^arn:aws[a-z-]*:ce::\d{12}:anomalymonitor\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Cost Anomaly Detection: up to 10 e-mail recipients per subscription (same FAQ). */
const MAX_SUBSCRIBERS = 10;

export interface AwsAnomalyAlertsArgs {
  emails: string[];
  /** Alert when an anomaly's total impact is at least this many dollars. */
  minimumImpact: number;
  /**
   * The account's existing services monitor (Cost Explorer > Cost Anomaly Detection > Cost monitors), to
   * subscribe to instead of creating one: an account holds at most one AWS services monitor (Cost
   * Anomaly Detection FAQ, "up to one AWS Service Monitor and 500 custom monitors").
   */
  monitorArn?: string;
}

/**
 * A services monitor (unless `monitorArn` names the existing one) and its daily e-mail subscription, e.g.
 * `new AwsAnomalyAlerts("anomalies", { emails: ["finops@example.com"], minimumImpact: 100 })`.
 */
export class AwsAnomalyAlerts extends pulumi.ComponentResource {
  readonly monitorArn: pulumi.Output<string>;

  constructor(name: string, args: AwsAnomalyAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!(args.minimumImpact > 0)) throw new ComponentInputError(TYPE, "minimumImpact", `expected a positive dollar amount, got ${args.minimumImpact}`);
    if (!args.emails?.length || args.emails.length > MAX_SUBSCRIBERS) throw new ComponentInputError(TYPE, "emails", `expected 1 to ${MAX_SUBSCRIBERS} e-mail addresses, got ${args.emails?.length ?? 0}`);
    if (args.monitorArn !== undefined && !MONITOR_ARN.test(args.monitorArn)) throw new ComponentInputError(TYPE, "monitorArn", `expected an anomaly monitor ARN like arn:aws:ce::111122223333:anomalymonitor/<uuid>, got ${JSON.stringify(args.monitorArn)}; leave it out to create a monitor`);
    super(TYPE, name, {}, opts);
    const monitorArn =
      args.monitorArn !== undefined
        ? pulumi.output(args.monitorArn)
        : new aws.costexplorer.AnomalyMonitor(`${name}-services`, { name: `${name}-services`, monitorType: "DIMENSIONAL", monitorDimension: "SERVICE" }, { parent: this }).arn;
    new aws.costexplorer.AnomalySubscription(`${name}-daily`, {
      name: `${name}-daily`,
      frequency: "DAILY",
      monitorArnLists: [monitorArn],
      subscribers: [...new Set(args.emails)].sort().map((address) => ({ type: "EMAIL", address })),
      thresholdExpression: { dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: [String(args.minimumImpact)] } },
    }, { parent: this });
    this.monitorArn = monitorArn;
    this.registerOutputs({ monitorArn: this.monitorArn });
  }
}
