// What the sample organisation runs: accounts, services with their real FOCUS names and categories,
// and each team's workloads with their monthly spend, growth and commitment coverage. The generator
// turns this into daily FOCUS rows; nothing here is random.

export type Provider = "AWS" | "Google Cloud" | "Microsoft";

export interface Account {
  provider: Provider;
  id: string;
  name: string;
  type: string;
}

export const billingAccounts: Record<Provider, { id: string; name: string; type: string; publisher: string; issuer: string }> = {
  AWS: { id: "111111111111", name: "Northwind Payer", type: "Payer Account", publisher: "Amazon Web Services, Inc.", issuer: "Amazon Web Services, Inc." },
  "Google Cloud": { id: "01A2B3-C4D5E6-F7A8B9", name: "Northwind Billing", type: "Billing Account", publisher: "Google Cloud", issuer: "Google Cloud" },
  Microsoft: { id: "87654321", name: "Northwind EA", type: "Billing Account", publisher: "Microsoft", issuer: "Microsoft" },
};

export const accounts = {
  awsProd: { provider: "AWS", id: "222233334444", name: "northwind-prod", type: "Linked Account" },
  awsStaging: { provider: "AWS", id: "333344445555", name: "northwind-staging", type: "Linked Account" },
  awsSandbox: { provider: "AWS", id: "444455556666", name: "northwind-sandbox", type: "Linked Account" },
  awsData: { provider: "AWS", id: "555566667777", name: "northwind-data", type: "Linked Account" },
  gcpData: { provider: "Google Cloud", id: "nw-data-prod", name: "nw-data-prod", type: "Project" },
  gcpMl: { provider: "Google Cloud", id: "nw-ml-prod", name: "nw-ml-prod", type: "Project" },
  gcpCatalog: { provider: "Google Cloud", id: "nw-catalog-prod", name: "nw-catalog-prod", type: "Project" },
  azAssistant: { provider: "Microsoft", id: "6f1d2c3b-8a7e-4d5c-9b0a-1e2f3a4b5c6d", name: "nw-assistant-prod", type: "Subscription" },
  azPayments: { provider: "Microsoft", id: "0a9b8c7d-6e5f-4a3b-8c1d-2e3f4a5b6c7d", name: "nw-payments-prod", type: "Subscription" },
} as const satisfies Record<string, Account>;

export interface Service {
  provider: Provider;
  name: string;
  category: string;
  subcategory: string;
  resourceType: string;
  skuId: string;
  skuMeter: string;
  unit: string;
  /** List price per unit, as a decimal string. */
  listPrice: string;
  /** Negotiated discount off list (EDP, MACC), 0..1. */
  discount: number;
  description: string;
}

const svc = (s: Service) => s;

export const services = {
  ec2: svc({ provider: "AWS", name: "Amazon Elastic Compute Cloud", category: "Compute", subcategory: "Virtual Machines", resourceType: "Instance", skuId: "JRTCKXETXF8M6I", skuMeter: "BoxUsage:m6i.xlarge", unit: "Hours", listPrice: "0.192", discount: 0.06, description: "$0.192 per On Demand Linux m6i.xlarge Instance Hour" }),
  ec2Gpu: svc({ provider: "AWS", name: "Amazon Elastic Compute Cloud", category: "Compute", subcategory: "Virtual Machines", resourceType: "Instance", skuId: "P4D24XLJRTCKX", skuMeter: "BoxUsage:p4d.24xlarge", unit: "Hours", listPrice: "32.7726", discount: 0.06, description: "$32.7726 per On Demand Linux p4d.24xlarge Instance Hour" }),
  eks: svc({ provider: "AWS", name: "Amazon Elastic Kubernetes Service", category: "Compute", subcategory: "Containers", resourceType: "Cluster", skuId: "EKSAMPERHOUR01", skuMeter: "AmazonEKS-Hours:perCluster", unit: "Hours", listPrice: "0.10", discount: 0.06, description: "Amazon EKS cluster usage" }),
  s3: svc({ provider: "AWS", name: "Amazon Simple Storage Service", category: "Storage", subcategory: "Object Storage", resourceType: "Bucket", skuId: "WP9ANXZGBYYSGJEA", skuMeter: "TimedStorage-ByteHrs", unit: "GB-Mo", listPrice: "0.023", discount: 0.06, description: "$0.023 per GB - first 50 TB / month of storage used" }),
  rds: svc({ provider: "AWS", name: "Amazon Relational Database Service", category: "Databases", subcategory: "Relational Databases", resourceType: "DB Instance", skuId: "QZ5XJQ9KH8RDS1", skuMeter: "InstanceUsage:db.r6g.xlarge", unit: "Hours", listPrice: "0.48", discount: 0.06, description: "RDS db.r6g.xlarge Multi-AZ PostgreSQL" }),
  dynamodb: svc({ provider: "AWS", name: "Amazon DynamoDB", category: "Databases", subcategory: "NoSQL Databases", resourceType: "Table", skuId: "DDBWRU8H3K2M1Q", skuMeter: "WriteRequestUnits", unit: "WriteRequestUnits", listPrice: "0.00000125", discount: 0.06, description: "$1.25 per million write request units" }),
  natGateway: svc({ provider: "AWS", name: "Amazon Virtual Private Cloud", category: "Networking", subcategory: "Network Infrastructure", resourceType: "NAT Gateway", skuId: "NGWBYTES9XK2P", skuMeter: "NatGateway-Bytes", unit: "GB", listPrice: "0.045", discount: 0.06, description: "$0.045 per GB Data Processed by NAT Gateways" }),
  transitGateway: svc({ provider: "AWS", name: "AWS Transit Gateway", category: "Networking", subcategory: "Network Connectivity", resourceType: "Transit Gateway Attachment", skuId: "TGWATTACH7H2K", skuMeter: "TransitGateway-Hours", unit: "Hours", listPrice: "0.05", discount: 0.06, description: "$0.05 per Transit Gateway attachment hour" }),
  elb: svc({ provider: "AWS", name: "Elastic Load Balancing", category: "Networking", subcategory: "Load Balancing", resourceType: "Load Balancer", skuId: "2ETY8Y426S4237JU", skuMeter: "LoadBalancerUsage", unit: "LCU-Hours", listPrice: "0.008", discount: 0.06, description: "$0.008 per used Application load balancer capacity unit-hour" }),
  cloudwatch: svc({ provider: "AWS", name: "Amazon CloudWatch", category: "Management and Governance", subcategory: "Observability", resourceType: "Log Group", skuId: "CWLOGSINGEST01", skuMeter: "DataProcessing-Bytes", unit: "GB", listPrice: "0.50", discount: 0.06, description: "$0.50 per GB custom log data ingested" }),
  kms: svc({ provider: "AWS", name: "AWS Key Management Service", category: "Security", subcategory: "Secret Management", resourceType: "Key", skuId: "KMSREQUESTS01", skuMeter: "KMS-Requests", unit: "Requests", listPrice: "0.000003", discount: 0.06, description: "$0.03 per 10,000 requests" }),
  guardduty: svc({ provider: "AWS", name: "Amazon GuardDuty", category: "Security", subcategory: "Threat Detection and Response", resourceType: "Detector", skuId: "GDEVENTS01KX", skuMeter: "PaidEventsAnalyzed", unit: "Events", listPrice: "0.000004", discount: 0.06, description: "$4.00 per one million CloudTrail events analyzed" }),
  bedrockInput: svc({ provider: "AWS", name: "Amazon Bedrock", category: "AI and Machine Learning", subcategory: "Generative AI", resourceType: "Model Invocation", skuId: "BEDROCKSONNETIN", skuMeter: "Claude Sonnet input tokens", unit: "1K Tokens", listPrice: "0.003", discount: 0, description: "Anthropic Claude Sonnet input tokens" }),
  bedrockOutput: svc({ provider: "AWS", name: "Amazon Bedrock", category: "AI and Machine Learning", subcategory: "Generative AI", resourceType: "Model Invocation", skuId: "BEDROCKSONNETOUT", skuMeter: "Claude Sonnet output tokens", unit: "1K Tokens", listPrice: "0.015", discount: 0, description: "Anthropic Claude Sonnet output tokens" }),
  sagemaker: svc({ provider: "AWS", name: "Amazon SageMaker", category: "AI and Machine Learning", subcategory: "Machine Learning", resourceType: "Endpoint", skuId: "SMG5XLHOST01", skuMeter: "Host:ml.g5.xlarge", unit: "Hours", listPrice: "1.408", discount: 0.06, description: "SageMaker real-time inference ml.g5.xlarge" }),
  gce: svc({ provider: "Google Cloud", name: "Compute Engine", category: "Compute", subcategory: "Virtual Machines", resourceType: "compute.googleapis.com/Instance", skuId: "2E27-4F75-95CD", skuMeter: "N2 Instance Core running in Americas", unit: "Hours", listPrice: "0.031611", discount: 0.04, description: "N2 Instance Core running in Americas" }),
  gceGpu: svc({ provider: "Google Cloud", name: "Compute Engine", category: "Compute", subcategory: "Virtual Machines", resourceType: "compute.googleapis.com/Instance", skuId: "A100-GPU-0D3E", skuMeter: "Nvidia Tesla A100 GPU running in Americas", unit: "Hours", listPrice: "2.933908", discount: 0.04, description: "Nvidia Tesla A100 GPU running in Americas" }),
  gcs: svc({ provider: "Google Cloud", name: "Cloud Storage", category: "Storage", subcategory: "Object Storage", resourceType: "storage.googleapis.com/Bucket", skuId: "E5F0-6A5D-7BAD", skuMeter: "Standard Storage US Multi-region", unit: "GiB-Mo", listPrice: "0.026", discount: 0.04, description: "Standard Storage US Multi-region" }),
  bigquery: svc({ provider: "Google Cloud", name: "BigQuery", category: "Analytics", subcategory: "Data Processing", resourceType: "bigquery.googleapis.com/Dataset", skuId: "3362-E469-6BEF", skuMeter: "Analysis", unit: "TiB", listPrice: "6.25", discount: 0.04, description: "Analysis (on-demand query bytes)" }),
  cloudSql: svc({ provider: "Google Cloud", name: "Cloud SQL", category: "Databases", subcategory: "Relational Databases", resourceType: "sqladmin.googleapis.com/Instance", skuId: "9E26-1F8B-4D0A", skuMeter: "Cloud SQL for PostgreSQL: Zonal - vCPU in Americas", unit: "Hours", listPrice: "0.0413", discount: 0.04, description: "Cloud SQL for PostgreSQL: Zonal - vCPU" }),
  vertexGemini: svc({ provider: "Google Cloud", name: "Vertex AI", category: "AI and Machine Learning", subcategory: "Generative AI", resourceType: "aiplatform.googleapis.com/Endpoint", skuId: "FA3B-7C21-9E0D", skuMeter: "Gemini Flash Text Input - Predictions", unit: "1K Tokens", listPrice: "0.0003", discount: 0, description: "Gemini Flash text input tokens" }),
  gcpLogging: svc({ provider: "Google Cloud", name: "Cloud Logging", category: "Management and Governance", subcategory: "Observability", resourceType: "logging.googleapis.com/Bucket", skuId: "143F-A1B0-E0BE", skuMeter: "Log Storage cost", unit: "GiB", listPrice: "0.50", discount: 0.04, description: "Log Storage cost" }),
  azVm: svc({ provider: "Microsoft", name: "Virtual Machines", category: "Compute", subcategory: "Virtual Machines", resourceType: "Virtual machine", skuId: "DZH318Z0BQ4L", skuMeter: "D4s v5", unit: "1 Hour", listPrice: "0.192", discount: 0.05, description: "Virtual Machines Dsv5 Series D4s v5" }),
  azSql: svc({ provider: "Microsoft", name: "Azure SQL Database", category: "Databases", subcategory: "Relational Databases", resourceType: "SQL database", skuId: "DZH318Z0BQ5C", skuMeter: "vCore", unit: "1 Hour", listPrice: "0.5044", discount: 0.05, description: "SQL Database Single/Elastic Pool General Purpose - Compute Gen5" }),
  azStorage: svc({ provider: "Microsoft", name: "Storage Accounts", category: "Storage", subcategory: "Object Storage", resourceType: "Storage account", skuId: "DZH318Z0BNVX", skuMeter: "Hot LRS Data Stored", unit: "1 GB/Month", listPrice: "0.0208", discount: 0.05, description: "Blob Storage Hot LRS Data Stored" }),
  azOpenAiInput: svc({ provider: "Microsoft", name: "Azure OpenAI", category: "AI and Machine Learning", subcategory: "Generative AI", resourceType: "Cognitive Services account", skuId: "DZH318Z0C1AI", skuMeter: "gpt-4o-0806-Inp-glbl Tokens", unit: "1K Tokens", listPrice: "0.0025", discount: 0, description: "Azure OpenAI gpt-4o global input tokens" }),
  azOpenAiOutput: svc({ provider: "Microsoft", name: "Azure OpenAI", category: "AI and Machine Learning", subcategory: "Generative AI", resourceType: "Cognitive Services account", skuId: "DZH318Z0C1AO", skuMeter: "gpt-4o-0806-Outp-glbl Tokens", unit: "1K Tokens", listPrice: "0.01", discount: 0, description: "Azure OpenAI gpt-4o global output tokens" }),
  azMonitor: svc({ provider: "Microsoft", name: "Azure Monitor", category: "Management and Governance", subcategory: "Observability", resourceType: "Log Analytics workspace", skuId: "DZH318Z0BP0L", skuMeter: "Analytics Logs Data Ingestion", unit: "1 GB", listPrice: "2.30", discount: 0.05, description: "Log Analytics Analytics Logs Data Ingestion" }),
} as const;

export type ServiceKey = keyof typeof services;

export type CommitmentKey = "awsSavingsPlan" | "azureReservation";

export interface Commitment {
  provider: Provider;
  id: string;
  name: string;
  category: "Spend" | "Usage";
  type: string;
  /** Discount the commitment gives off the negotiated price, 0..1. */
  discount: number;
  /** "recurring": a fee every month; "upfront": one purchase in the first month, amortized over termMonths. */
  payment: "recurring" | "upfront";
  termMonths: number;
  region: string;
  account: Account;
}

export const commitments: Record<CommitmentKey, Commitment> = {
  awsSavingsPlan: {
    provider: "AWS",
    id: "arn:aws:savingsplans::111111111111:savingsplan/5f1c7a2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b",
    name: "Compute Savings Plan 1yr No Upfront",
    category: "Spend",
    type: "Savings Plan",
    discount: 0.28,
    payment: "recurring",
    termMonths: 12,
    region: "us-east-1",
    account: accounts.awsProd,
  },
  azureReservation: {
    provider: "Microsoft",
    id: "/providers/Microsoft.Capacity/reservationOrders/7d3e1f2a-4b5c-4d6e-9f0a-1b2c3d4e5f6a/reservations/2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
    name: "VM RI D4s v5 1 Year",
    category: "Usage",
    type: "Reservation",
    discount: 0.36,
    payment: "upfront",
    termMonths: 12,
    region: "eastus",
    account: accounts.azPayments,
  },
};

/** The tag defects found in real bills, applied to some resources (see generate.ts for how often). */
export type TagDefect =
  | "none"
  | "alias-team" // `Team` instead of `team`: an accepted alias
  | "alias-cost-center" // `costcenter`: an accepted alias
  | "padded-value" // " payments ": trimmed by the normaliser
  | "missing-team" // no team key; cost-center still names the team's cost center
  | "empty-team" // team: ""; cost-center still valid
  | "retired-team" // team: search (a team that no longer exists), its old cost center
  | "bad-environment" // environment: production (not an allowed value)
  | "unknown-key" // team_name instead of team, and no cost-center: nothing resolves
  | "untagged"; // no tags at all

export interface Workload {
  id: string;
  team: string;
  project?: string;
  service: ServiceKey;
  account: Account;
  region: string;
  environment: "prod" | "staging" | "dev" | "sandbox";
  /** Cost per month in USD at the first month, at negotiated (on-demand) prices. */
  monthly: number;
  /** Month-over-month growth, e.g. 0.04 for 4%. */
  growth: number;
  /** Weekday/weekend swing for traffic-driven services. */
  weekly?: boolean;
  /** A shared cost pool the resource belongs to (tag cost-pool), split by allocation rules. */
  pool?: "shared-k8s" | "shared-network" | "shared-observability" | "llm-gateway";
  commitment?: CommitmentKey;
  /** A defect every replica of this workload carries; otherwise defects are drawn per replica. */
  defect?: TagDefect;
}

const w = (x: Workload) => x;
const { awsProd, awsStaging, awsSandbox, awsData, gcpData, gcpMl, gcpCatalog, azAssistant, azPayments } = accounts;

export const workloads: Workload[] = [
  // Commerce
  w({ id: "checkout-api", team: "checkout", project: "web-checkout", service: "ec2", account: awsProd, region: "us-east-1", environment: "prod", monthly: 9200, growth: 0.045, weekly: true, commitment: "awsSavingsPlan" }),
  w({ id: "checkout-mobile-api", team: "checkout", project: "mobile-checkout", service: "ec2", account: awsProd, region: "us-east-1", environment: "prod", monthly: 4100, growth: 0.06, weekly: true }),
  w({ id: "checkout-db", team: "checkout", service: "rds", account: awsProd, region: "us-east-1", environment: "prod", monthly: 6400, growth: 0.02 }),
  w({ id: "checkout-sessions", team: "checkout", service: "dynamodb", account: awsProd, region: "us-east-1", environment: "prod", monthly: 2300, growth: 0.05, weekly: true }),
  w({ id: "checkout-staging", team: "checkout", service: "ec2", account: awsStaging, region: "us-east-1", environment: "staging", monthly: 1900, growth: 0.01 }),
  w({ id: "payments-ledger-db", team: "payments", service: "azSql", account: azPayments, region: "eastus", environment: "prod", monthly: 7800, growth: 0.03 }),
  w({ id: "payments-workers", team: "payments", service: "azVm", account: azPayments, region: "eastus", environment: "prod", monthly: 8600, growth: 0.035, commitment: "azureReservation" }),
  w({ id: "payments-archive", team: "payments", service: "azStorage", account: azPayments, region: "eastus", environment: "prod", monthly: 1500, growth: 0.04 }),
  w({ id: "payments-fraud-db", team: "payments", service: "rds", account: awsProd, region: "us-east-1", environment: "prod", monthly: 3700, growth: 0.02 }),
  w({ id: "catalog-search", team: "catalog", service: "gce", account: gcpCatalog, region: "us-central1", environment: "prod", monthly: 5200, growth: 0.03, weekly: true }),
  w({ id: "catalog-images", team: "catalog", service: "gcs", account: gcpCatalog, region: "us", environment: "prod", monthly: 2600, growth: 0.05 }),
  w({ id: "catalog-db", team: "catalog", service: "cloudSql", account: gcpCatalog, region: "us-central1", environment: "prod", monthly: 3100, growth: 0.015 }),
  // Platform: the shared cluster, network and observability are pools split by allocation rules
  w({ id: "shared-eks-control", team: "platform", service: "eks", account: awsProd, region: "us-east-1", environment: "prod", monthly: 1400, growth: 0, pool: "shared-k8s" }),
  w({ id: "shared-eks-nodes", team: "platform", service: "ec2", account: awsProd, region: "us-east-1", environment: "prod", monthly: 21000, growth: 0.04, pool: "shared-k8s", commitment: "awsSavingsPlan" }),
  w({ id: "shared-nat", team: "platform", service: "natGateway", account: awsProd, region: "us-east-1", environment: "prod", monthly: 6200, growth: 0.03, weekly: true, pool: "shared-network" }),
  w({ id: "shared-transit", team: "platform", service: "transitGateway", account: awsProd, region: "us-east-1", environment: "prod", monthly: 2900, growth: 0, pool: "shared-network" }),
  w({ id: "shared-alb", team: "platform", service: "elb", account: awsProd, region: "us-east-1", environment: "prod", monthly: 3300, growth: 0.03, weekly: true, pool: "shared-network" }),
  w({ id: "shared-logs", team: "platform", service: "cloudwatch", account: awsProd, region: "us-east-1", environment: "prod", monthly: 5400, growth: 0.05, pool: "shared-observability" }),
  w({ id: "shared-azure-monitor", team: "platform", service: "azMonitor", account: azPayments, region: "eastus", environment: "prod", monthly: 1200, growth: 0.02, pool: "shared-observability" }),
  w({ id: "shared-gcp-logging", team: "platform", service: "gcpLogging", account: gcpData, region: "us", environment: "prod", monthly: 900, growth: 0.02, pool: "shared-observability" }),
  w({ id: "platform-ci-runners", team: "platform", service: "ec2", account: awsStaging, region: "us-east-1", environment: "dev", monthly: 4800, growth: 0.02, weekly: true }),
  w({ id: "data-warehouse", team: "data", service: "bigquery", account: gcpData, region: "us", environment: "prod", monthly: 11800, growth: 0.05 }),
  w({ id: "data-lake", team: "data", service: "gcs", account: gcpData, region: "us", environment: "prod", monthly: 4300, growth: 0.06 }),
  w({ id: "data-etl", team: "data", service: "gce", account: gcpData, region: "us-central1", environment: "prod", monthly: 6100, growth: 0.03 }),
  w({ id: "data-raw-bucket", team: "data", service: "s3", account: awsData, region: "us-east-1", environment: "prod", monthly: 3900, growth: 0.07 }),
  w({ id: "security-keys", team: "security", service: "kms", account: awsProd, region: "us-east-1", environment: "prod", monthly: 1300, growth: 0.02 }),
  w({ id: "security-guardduty", team: "security", service: "guardduty", account: awsProd, region: "us-east-1", environment: "prod", monthly: 3600, growth: 0.03 }),
  w({ id: "security-audit-logs", team: "security", service: "s3", account: awsProd, region: "us-east-1", environment: "prod", monthly: 2100, growth: 0.05 }),
  // AI Labs
  w({ id: "ml-training-gpu", team: "ml-platform", service: "ec2Gpu", account: awsProd, region: "us-east-1", environment: "prod", monthly: 17500, growth: 0.08 }),
  w({ id: "ml-a100-research", team: "ml-platform", service: "gceGpu", account: gcpMl, region: "us-central1", environment: "dev", monthly: 8200, growth: 0.1 }),
  w({ id: "ml-inference", team: "ml-platform", service: "sagemaker", account: awsProd, region: "us-east-1", environment: "prod", monthly: 6800, growth: 0.06, weekly: true }),
  w({ id: "ml-feature-store", team: "ml-platform", service: "s3", account: awsProd, region: "us-east-1", environment: "prod", monthly: 1700, growth: 0.05 }),
  w({ id: "llm-gateway-claude-in", team: "ml-platform", service: "bedrockInput", account: awsProd, region: "us-east-1", environment: "prod", monthly: 5200, growth: 0.12, weekly: true, pool: "llm-gateway" }),
  w({ id: "llm-gateway-claude-out", team: "ml-platform", service: "bedrockOutput", account: awsProd, region: "us-east-1", environment: "prod", monthly: 7300, growth: 0.12, weekly: true, pool: "llm-gateway" }),
  w({ id: "llm-gateway-gemini", team: "ml-platform", service: "vertexGemini", account: gcpMl, region: "us-central1", environment: "prod", monthly: 1400, growth: 0.15, weekly: true, pool: "llm-gateway" }),
  w({ id: "assistant-gpt4o-in", team: "assistant", project: "support-bot", service: "azOpenAiInput", account: azAssistant, region: "eastus2", environment: "prod", monthly: 4600, growth: 0.1, weekly: true }),
  w({ id: "assistant-gpt4o-out", team: "assistant", project: "support-bot", service: "azOpenAiOutput", account: azAssistant, region: "eastus2", environment: "prod", monthly: 6900, growth: 0.1, weekly: true }),
  w({ id: "assistant-app", team: "assistant", project: "search-assist", service: "azVm", account: azAssistant, region: "eastus2", environment: "prod", monthly: 3800, growth: 0.05, weekly: true }),
  w({ id: "assistant-vectors", team: "assistant", project: "search-assist", service: "azStorage", account: azAssistant, region: "eastus2", environment: "prod", monthly: 900, growth: 0.08 }),
  // Realistic leftovers: a retired team's search cluster, untagged experiments, a sandbox account
  w({ id: "legacy-search", team: "search", service: "ec2", account: awsProd, region: "us-west-2", environment: "prod", monthly: 2400, growth: -0.02, defect: "retired-team" }),
  w({ id: "orphaned-volumes", team: "checkout", service: "s3", account: awsProd, region: "us-west-2", environment: "prod", monthly: 1100, growth: 0.01, defect: "untagged" }),
  w({ id: "sandbox-experiments", team: "platform", service: "ec2", account: awsSandbox, region: "us-east-1", environment: "sandbox", monthly: 1600, growth: 0.03, defect: "untagged" }),
];

/** The retired team the `retired-team` defect names, with the cost center it used to have. */
export const retiredTeam = { id: "search", costCenter: "CC-1400" };

/** Injected cost anomalies: the workload's daily cost is multiplied on these days of the month. */
export interface AnomalySpec {
  workload: string;
  /** Months back from the last month: 0 is the last month. */
  monthsBack: number;
  days: number[];
  factor: number;
  why: string;
}

export const anomalies: AnomalySpec[] = [
  { workload: "ml-training-gpu", monthsBack: 1, days: [12, 13, 14], factor: 6, why: "runaway GPU training job left running over a weekend" },
  { workload: "data-warehouse", monthsBack: 2, days: [21], factor: 8, why: "an unpartitioned BigQuery scan run by a scheduled query" },
  { workload: "shared-nat", monthsBack: 0, days: [8, 9], factor: 4, why: "NAT gateway data processing spike from a misrouted S3 sync" },
];

/** How each service's ResourceId looks in real exports; {account}, {region} and {name} are filled in. */
export const resourceIdTemplates: Record<ServiceKey, string> = {
  ec2: "arn:aws:ec2:{region}:{account}:instance/i-{name}",
  ec2Gpu: "arn:aws:ec2:{region}:{account}:instance/i-{name}",
  eks: "arn:aws:eks:{region}:{account}:cluster/{name}",
  s3: "arn:aws:s3:::{name}",
  rds: "arn:aws:rds:{region}:{account}:db:{name}",
  dynamodb: "arn:aws:dynamodb:{region}:{account}:table/{name}",
  natGateway: "arn:aws:ec2:{region}:{account}:natgateway/nat-{name}",
  transitGateway: "arn:aws:ec2:{region}:{account}:transit-gateway-attachment/tgw-attach-{name}",
  elb: "arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/app/{name}",
  cloudwatch: "arn:aws:logs:{region}:{account}:log-group:/{name}",
  kms: "arn:aws:kms:{region}:{account}:key/{name}",
  guardduty: "arn:aws:guardduty:{region}:{account}:detector/{name}",
  bedrockInput: "arn:aws:bedrock:{region}::foundation-model/anthropic.claude-sonnet",
  bedrockOutput: "arn:aws:bedrock:{region}::foundation-model/anthropic.claude-sonnet",
  sagemaker: "arn:aws:sagemaker:{region}:{account}:endpoint/{name}",
  gce: "//compute.googleapis.com/projects/{account}/zones/{region}-a/instances/{name}",
  gceGpu: "//compute.googleapis.com/projects/{account}/zones/{region}-a/instances/{name}",
  gcs: "//storage.googleapis.com/projects/_/buckets/{name}",
  bigquery: "//bigquery.googleapis.com/projects/{account}/datasets/{name}",
  cloudSql: "//cloudsql.googleapis.com/projects/{account}/instances/{name}",
  vertexGemini: "//aiplatform.googleapis.com/projects/{account}/locations/{region}/publishers/google/models/gemini-flash",
  gcpLogging: "//logging.googleapis.com/projects/{account}/locations/global/buckets/{name}",
  azVm: "/subscriptions/{account}/resourceGroups/rg-{team}/providers/Microsoft.Compute/virtualMachines/{name}",
  azSql: "/subscriptions/{account}/resourceGroups/rg-{team}/providers/Microsoft.Sql/servers/{name}/databases/main",
  azStorage: "/subscriptions/{account}/resourceGroups/rg-{team}/providers/Microsoft.Storage/storageAccounts/{name}",
  azOpenAiInput: "/subscriptions/{account}/resourceGroups/rg-{team}/providers/Microsoft.CognitiveServices/accounts/{name}",
  azOpenAiOutput: "/subscriptions/{account}/resourceGroups/rg-{team}/providers/Microsoft.CognitiveServices/accounts/{name}",
  azMonitor: "/subscriptions/{account}/resourceGroups/rg-{team}/providers/Microsoft.OperationalInsights/workspaces/{name}",
};
