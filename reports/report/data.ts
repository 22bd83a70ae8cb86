// The report's data: every section the Markdown, HTML, CSV and JSON outputs show, as plain data with
// amounts as exact decimal strings. Built once by build.ts from the month pipeline, section by section.
import type { BudgetStatus, CostModel, EarnedMode } from "../../model";
import type { AiSection } from "../ai/section";
import type { Invoice } from "../chargeback/invoices";
import type { ComplianceReport } from "../compliance/compliance";
import type { KubernetesCompliance } from "../compliance/kubernetes";

export interface TeamLine {
  unit: string;
  team: string;
  name: string;
  cost: string;
  budget: string;
  variance: string;
  usedPct: number | null;
  status: BudgetStatus;
  billingMode: string;
  earns: EarnedMode;
  compliancePct: number | null;
  /** Null without the month before in the input. */
  lastMonth: string | null;
  changePct: number | null;
}

export interface ReportData {
  month: string;
  currency: string;
  costBasis: CostModel["costBasis"];
  config: string;
  generatedAt: string | null;
  summary: {
    total: string;
    budget: string;
    budgetUsedPct: number | null;
    lastMonth: string | null;
    changePct: number | null;
    allocated: string;
    unallocated: string;
    unallocatedPct: number | null;
    costCompliancePct: number | null;
    topDrivers: { service: string; from: string; to: string; change: string }[];
    anomalies: number;
    overBudget: { team: string; over: string; usedPct: number | null }[];
  };
  composition: { category: string; cost: string; sharePct: number | null }[];
  units: { unit: string; name: string; cost: string; budget: string; variance: string; usedPct: number | null; status: BudgetStatus }[];
  teams: TeamLine[];
  breakdowns: { key: string; value: string; team: string; cost: string }[];
  unitCosts: { metric: string; team: string; quantity: string; cost: string; costPerUnit: string; rank: number }[];
  compliance: Pick<ComplianceReport, "usageCost" | "compliantCost" | "costCompliancePct" | "byKey" | "trend" | "topUntagged" | "resources" | "threshold">;
  rules: { rule: string; method: string; stage: number; match: string; allocated: string; unallocated: string }[];
  unallocated: { reason: string; rule: string | null; amount: string }[];
  invoices: Invoice[];
  adjustments: { invoice: string; amount: string; reason: string; approvedBy: string; source: string }[];
  trend: { month: string; total: string; teams: Record<string, string> }[];
  anomalies: { date: string; team: string; service: string; cost: string; baseline: string; jump: string; score: number | null }[];
  /** Intervals and forecasts are null without enough history for them (see withheld). */
  forecast: { team: string; monthEnd: string; monthEndLow: string | null; monthEndHigh: string | null; nextMonth: string | null; nextLow: string | null; nextHigh: string | null; lastForecast: string | null; actual: string; errorPct: number | null }[];
  recommendations: string[];
  /** AI and GPU usage from the metering log, with unit economics; null without --metering. */
  ai: AiSection | null;
  /**
   * The shared cluster's label compliance from OpenCost's allocation, and each kubernetes rule's split of
   * its pool per owner (workload and idle apart); null without --k8s.
   */
  kubernetes: (KubernetesCompliance & { split: { rule: string; party: string; workload: string; idle: string; total: string }[] }) | null;
  /** Figures left out for want of history, each with the one line the report shows in their place; null when shown in full. */
  withheld: { movers: string | null; anomalies: string | null; forecast: string | null };
  notes: string[];
  inputs: string[];
}

