// AWS Budgets per team, filtered by the team's cost allocation tag, with actual and forecasted
// notifications to e-mail and to an SNS topic that AWS Budgets may publish to.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentInputError, singleTag, validateBudgetSpecs, type TeamBudgetSpec } from "../spec";

const TYPE = "allot:index:AwsTeamBudgets";
/** AWS allows 5 notifications per budget and 10 e-mail subscribers per notification. */
const MAX_NOTIFICATIONS = 5;
const MAX_EMAILS = 10;

export interface AwsTeamBudgetsArgs {
  budgets: TeamBudgetSpec[];
  /** The account the budgets live in (12 digits): scopes the SNS topic policy. */
  accountId: string;
  /** MONTHLY (default), QUARTERLY, ANNUALLY or DAILY; AWS does not forecast DAILY budgets. */
  timeUnit?: "MONTHLY" | "QUARTERLY" | "ANNUALLY" | "DAILY";
}

/**
 * One `aws.budgets.Budget` per team, e.g.
 * `new AwsTeamBudgets("budgets", { budgets: teamBudgetSpecs(model), accountId: "111122223333" })`.
 */
export class AwsTeamBudgets extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly budgetNames: pulumi.Output<string>[];

  constructor(name: string, args: AwsTeamBudgetsArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(args);
    super(TYPE, name, {}, opts);
    const parent = { parent: this };
    const topic = new aws.sns.Topic(`${name}-alerts`, { name: `${name}-budget-alerts` }, parent);
    new aws.sns.TopicPolicy(`${name}-alerts`, {
      arn: topic.arn,
      policy: aws.iam.getPolicyDocumentOutput({
        statements: [{
          sid: "AwsBudgetsPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["budgets.amazonaws.com"] }],
          actions: ["SNS:Publish"],
          resources: [topic.arn],
          conditions: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [args.accountId] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:budgets::${args.accountId}:*`] },
          ],
        }],
      }, parent).json,
    }, parent);

    const timeUnit = args.timeUnit ?? "MONTHLY";
    this.budgetNames = args.budgets.map((spec, i) => {
      const tag = singleTag(TYPE, spec, i, "AWS");
      const budget = new aws.budgets.Budget(`${name}-${spec.team}`, {
        name: `allot-${spec.team}`,
        budgetType: "COST",
        limitAmount: spec.amount,
        limitUnit: spec.currency,
        timeUnit,
        // Cost allocation tags appear in Budgets as user:<key>$<value>.
        costFilters: [{ name: "TagKeyValue", values: [`user:${tag.key}$${tag.value}`] }],
        notifications: spec.alerts.map((alert) => ({
          comparisonOperator: "GREATER_THAN",
          threshold: alert.threshold,
          thresholdType: "PERCENTAGE",
          notificationType: alert.type === "actual" ? "ACTUAL" : "FORECASTED",
          subscriberEmailAddresses: spec.emails,
          subscriberSnsTopicArns: [topic.arn],
        })),
      }, parent);
      return budget.name;
    });
    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn, budgetNames: this.budgetNames });
  }
}

function validate(args: AwsTeamBudgetsArgs) {
  if (!/^\d{12}$/.test(args.accountId ?? "")) throw new ComponentInputError(TYPE, "accountId", `expected a 12-digit AWS account id, got ${JSON.stringify(args.accountId)}`);
  validateBudgetSpecs(TYPE, args.budgets ?? []);
  args.budgets.forEach((spec, i) => {
    singleTag(TYPE, spec, i, "AWS");
    if (spec.alerts.length > MAX_NOTIFICATIONS) throw new ComponentInputError(TYPE, `budgets[${i}].alerts`, `AWS allows at most ${MAX_NOTIFICATIONS} notifications per budget, got ${spec.alerts.length}; drop some thresholds in budgets.alerts`);
    if (args.timeUnit === "DAILY" && spec.alerts.some((a) => a.type === "forecast")) throw new ComponentInputError(TYPE, `budgets[${i}].alerts`, "AWS does not forecast DAILY budgets; use actual alerts only or a MONTHLY budget");
    if (spec.emails.length > MAX_EMAILS) throw new ComponentInputError(TYPE, `budgets[${i}].emails`, `AWS allows at most ${MAX_EMAILS} e-mail subscribers per notification, got ${spec.emails.length}`);
  });
}
