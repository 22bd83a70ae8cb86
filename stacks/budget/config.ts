// The budget stack's config (`pulumi config set allot:<key>`), declared with types in Pulumi.yaml and
// validated here with zod, so a wrong value fails before any resource is planned.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/**
 * A key only some clouds need. The engine requires every key Pulumi.yaml declares without a default
 * ("Stack 'dev' is missing configuration value", pulumi/pulumi sdk/go/common/workspace/project.go), so
 * these are declared with the default "" and an empty value reads as not set.
 */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

export const StackConfig = z.object({
  configFile: z.string().min(1).default("allot.yaml"),
  clouds: z.array(z.enum(["aws", "gcp", "azure"])).min(1),
  alertEmails: z.array(z.email()).default([]),
  ownerTeam: z.string().min(1).default("platform"),
  environment: z.string().min(1).default("prod"),
  awsAccountId: optional(z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account id")),
  awsExportBucketRegion: z.string().default("us-east-1"),
  awsExportTable: z.enum(["FOCUS_1_2", "CUR_2_0"]).default("FOCUS_1_2"),
  awsAnomalyMinimumImpact: z.number().positive().default(100),
  awsActivateCostAllocationTags: z.boolean().default(true),
  awsAnomalyMonitorArn: optional(z.string().regex(/^arn:aws[a-z-]*:ce::\d{12}:anomalymonitor\/[0-9a-f-]{36}$/, "expected an anomaly monitor ARN, arn:aws:ce::<account>:anomalymonitor/<id>")),
  gcpBillingAccount: optional(z.string()),
  gcpProject: optional(z.string()),
  azureSubscriptionId: optional(z.string()),
  azureLocation: z.string().default("eastus"),
  budgetStartDate: optional(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, "expected the first day of a month, YYYY-MM-01")),
}).superRefine((c, ctx) => {
  const need = (cloud: string, keys: (keyof typeof c)[]) => {
    if (!c.clouds.includes(cloud as never)) return;
    for (const key of keys) if (c[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: `required when clouds includes ${cloud}` });
  };
  need("aws", ["awsAccountId"]);
  need("gcp", ["gcpBillingAccount", "gcpProject"]);
  need("azure", ["azureSubscriptionId"]);
});
export type StackConfig = z.infer<typeof StackConfig>;

/** Which keys are read as JSON (arrays, numbers, booleans) rather than as plain strings. */
const JSON_KEYS = new Set(["clouds", "alertEmails", "awsAnomalyMinimumImpact", "awsActivateCostAllocationTags"]);

export function readStackConfig(config = new pulumi.Config("allot")): StackConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(StackConfig.shape)) {
    const value = JSON_KEYS.has(key) ? config.getObject<unknown>(key) : config.get(key);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = StackConfig.safeParse(raw);
  if (!parsed.success) {
    throw new pulumi.RunError(parsed.error.issues.map((i) => `allot:${i.path.join(".")}: ${i.message}; set it with pulumi config set allot:${String(i.path[0])} <value>`).join("\n"));
  }
  return parsed.data;
}
