// Usage metrics the proportional and activity-based splits need: daily CPU hours on the shared cluster,
// requests served and LLM tokens per team, and monthly headcount. Long format: one measurement a line.
import { writeFileSync } from "node:fs";
import type { Random } from "./random";

interface MonthSpan {
  label: string;
  index: number;
  start: number;
  days: number;
}

/** Each team's share of the shared cluster's CPU, requests and gateway tokens, and its headcount. */
const usage: Record<string, { cpu: number; requests: number; tokens: Record<string, number>; headcount: number }> = {
  checkout: { cpu: 0.24, requests: 0.38, tokens: { "claude-sonnet": 0.05 }, headcount: 14 },
  payments: { cpu: 0.14, requests: 0.22, tokens: {}, headcount: 11 },
  catalog: { cpu: 0.18, requests: 0.3, tokens: { "gemini-flash": 0.45 }, headcount: 9 },
  platform: { cpu: 0.1, requests: 0.02, tokens: {}, headcount: 16 },
  data: { cpu: 0.12, requests: 0.01, tokens: { "gemini-flash": 0.25 }, headcount: 10 },
  security: { cpu: 0.02, requests: 0.01, tokens: {}, headcount: 5 },
  "ml-platform": { cpu: 0.12, requests: 0.03, tokens: { "claude-sonnet": 0.35, "gemini-flash": 0.3 }, headcount: 12 },
  assistant: { cpu: 0.08, requests: 0.03, tokens: { "claude-sonnet": 0.6 }, headcount: 8 },
};

/** Each team's share of the shared cluster's CPU: the metrics file's k8s-cpu-hours and OpenCost's shares. */
export const CLUSTER_CPU_SHARES: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(usage).map(([team, u]) => [team, u.cpu]));

const CLUSTER_VCPU = 1536;
const DAILY_REQUESTS = 180_000_000;
const DAILY_TOKENS: Record<string, number> = { "claude-sonnet": 2_400_000_000, "gemini-flash": 1_500_000_000 };

export function writeMetrics(file: string, months: MonthSpan[], rng: Random) {
  const lines = ["date,metric,team,kind,quantity,unit"];
  for (const month of months) {
    const growth = Math.pow(1.04, month.index);
    for (const [team, u] of Object.entries(usage)) lines.push(`${month.label}-01,headcount,${team},,${u.headcount + Math.floor(month.index / 2)},people`);
    for (let d = 0; d < month.days; d++) {
      const date = new Date(month.start + d * 86_400_000).toISOString().slice(0, 10);
      for (const [team, u] of Object.entries(usage)) {
        const jitter = () => rng.between(0.9, 1.1);
        lines.push(`${date},k8s-cpu-hours,${team},,${(CLUSTER_VCPU * 24 * 0.7 * u.cpu * jitter()).toFixed(2)},vCPU-hours`);
        lines.push(`${date},requests,${team},,${Math.round(DAILY_REQUESTS * growth * u.requests * jitter())},requests`);
        for (const [model, share] of Object.entries(u.tokens)) {
          lines.push(`${date},llm-tokens,${team},${model},${Math.round(DAILY_TOKENS[model]! * growth * share * jitter())},tokens`);
        }
      }
    }
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
}
