// Google Cloud billing budgets per team, filtered by the team's label, with current and forecasted
// threshold rules, a Pub/Sub topic the budget service may publish to, and e-mail channels.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { ComponentInputError, singleTag, validateBudgetSpecs, type TeamBudgetSpec } from "../spec";

const TYPE = "allot:index:GcpTeamBudgets";
/** A budget notifies at most 5 monitoring channels. */
const MAX_CHANNELS = 5;
/** The service account Cloud Billing budgets publish from. */
const BUDGET_PUBLISHER = "serviceAccount:billing-budget-alert@system.gserviceaccount.com";

export interface GcpTeamBudgetsArgs {
  budgets: TeamBudgetSpec[];
  /** The billing account id, e.g. 01A2B3-C4D5E6-F7A8B9. */
  billingAccount: string;
  /** The project that holds the Pub/Sub topic and notification channels. */
  project: string;
}

export class GcpTeamBudgets extends pulumi.ComponentResource {
  readonly topicId: pulumi.Output<string>;
  readonly budgetIds: pulumi.Output<string>[];

  constructor(name: string, args: GcpTeamBudgetsArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(args);
    super(TYPE, name, {}, opts);
    const parent = { parent: this };
    const topic = new gcp.pubsub.Topic(`${name}-alerts`, { name: `${name}-budget-alerts`, project: args.project }, parent);
    new gcp.pubsub.TopicIAMMember(`${name}-alerts-publisher`, { project: args.project, topic: topic.name, role: "roles/pubsub.publisher", member: BUDGET_PUBLISHER }, parent);

    const channels = new Map<string, gcp.monitoring.NotificationChannel>();
    const channelFor = (email: string) => {
      const existing = channels.get(email);
      if (existing) return existing;
      const channel = new gcp.monitoring.NotificationChannel(`${name}-${email.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`, {
        project: args.project,
        displayName: `allot budget alerts: ${email}`,
        type: "email",
        labels: { email_address: email },
      }, parent);
      channels.set(email, channel);
      return channel;
    };

    this.budgetIds = args.budgets.map((spec, i) => {
      const tag = singleTag(TYPE, spec, i, "GCP");
      const [units, fraction = ""] = spec.amount.split(".");
      const budget = new gcp.billing.Budget(`${name}-${spec.team}`, {
        billingAccount: args.billingAccount,
        displayName: `allot-${spec.team}`,
        // The Budget API takes one label key with one value.
        budgetFilter: { labels: { [tag.key]: tag.value }, creditTypesTreatment: "INCLUDE_ALL_CREDITS" },
        amount: { specifiedAmount: { currencyCode: spec.currency, units: units!, ...(fraction ? { nanos: Number(fraction.padEnd(9, "0").slice(0, 9)) } : {}) } },
        thresholdRules: spec.alerts.map((a) => ({ thresholdPercent: a.threshold / 100, spendBasis: a.type === "actual" ? "CURRENT_SPEND" : "FORECASTED_SPEND" })),
        allUpdatesRule: {
          pubsubTopic: topic.id,
          schemaVersion: "1.0",
          monitoringNotificationChannels: spec.emails.map((email) => channelFor(email).id),
        },
      }, parent);
      return budget.id;
    });
    this.topicId = topic.id;
    this.registerOutputs({ topicId: this.topicId, budgetIds: this.budgetIds });
  }
}

/** GCP labels: lowercase letters, digits, _ and -; keys start with a letter; 63 characters. */
const LABEL = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

function validate(args: GcpTeamBudgetsArgs) {
  if (!/^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/.test(args.billingAccount ?? "")) throw new ComponentInputError(TYPE, "billingAccount", `expected a billing account id like 01A2B3-C4D5E6-F7A8B9, got ${JSON.stringify(args.billingAccount)}`);
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(args.project ?? "")) throw new ComponentInputError(TYPE, "project", `expected a project id, got ${JSON.stringify(args.project)}`);
  validateBudgetSpecs(TYPE, args.budgets ?? []);
  args.budgets.forEach((spec, i) => {
    const tag = singleTag(TYPE, spec, i, "GCP");
    if (!LABEL.test(tag.key) || !LABEL_VALUE.test(tag.value)) throw new ComponentInputError(TYPE, `budgets[${i}].tags`, `GCP labels are lowercase a-z, 0-9, _ and -, keys starting with a letter; got ${tag.key}=${tag.value}`);
    if (spec.emails.length > MAX_CHANNELS) throw new ComponentInputError(TYPE, `budgets[${i}].emails`, `a GCP budget notifies at most ${MAX_CHANNELS} channels, got ${spec.emails.length}`);
  });
}
