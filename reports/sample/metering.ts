// The sample's AI usage log (metering.csv), consistent with its bill: each day, what the bill charged for
// the LLM gateway (Bedrock, Vertex AI), the assistant's Azure OpenAI and the GPU workloads is turned back
// into tokens, calls and GPU seconds at the rate card in allot.yaml, for the teams, products, features and
// customers that used it. The log explains about 97% of the gateway's bill, so reconciliation has a gap to show.
import { createWriteStream, type WriteStream } from "node:fs";
import type { CostModel } from "../../model";
import type { ServiceKey } from "./catalog";
import type { Random } from "./random";

/** Which bill lines are which model or GPU, and who uses them in what share. */
const SOURCES: Partial<Record<ServiceKey, { model: string; kind: "llm" | "gpu"; users: Record<string, number>; explained: number }>> = {
  bedrockInput: { model: "claude-sonnet", kind: "llm", users: { checkout: 0.05, "ml-platform": 0.35, assistant: 0.6 }, explained: 0.97 },
  bedrockOutput: { model: "claude-sonnet", kind: "llm", users: { checkout: 0.05, "ml-platform": 0.35, assistant: 0.6 }, explained: 0.97 },
  vertexGemini: { model: "gemini-flash", kind: "llm", users: { catalog: 0.45, data: 0.25, "ml-platform": 0.3 }, explained: 0.97 },
  azOpenAiInput: { model: "gpt-4o", kind: "llm", users: { assistant: 1 }, explained: 1 },
  azOpenAiOutput: { model: "gpt-4o", kind: "llm", users: { assistant: 1 }, explained: 1 },
  ec2Gpu: { model: "p4d.24xlarge", kind: "gpu", users: { "ml-platform": 1 }, explained: 1 },
  gceGpu: { model: "a100", kind: "gpu", users: { "ml-platform": 1 }, explained: 1 },
};

/** Each team's AI products and their features (GPU work: the workload). */
const PRODUCTS: Record<string, { product: string; features: string[]; gpuProduct?: string; gpuFeatures?: string[] }> = {
  checkout: { product: "checkout-assist", features: ["address-autocomplete", "fraud-notes"] },
  catalog: { product: "search", features: ["query-rewrite", "product-summaries"] },
  data: { product: "sql-copilot", features: ["nl-to-sql"] },
  "ml-platform": { product: "eval-harness", features: ["offline-evals", "labeling"], gpuProduct: "model-training", gpuFeatures: ["fine-tuning", "research"] },
  assistant: { product: "support-bot", features: ["chat", "ticket-triage"] },
};

const CUSTOMERS = 240;

export class MeteringLog {
  private readonly stream: WriteStream;
  private day = new Map<string, { kind: "llm" | "gpu"; users: Record<string, number>; cost: number }>();

  constructor(
    file: string,
    private readonly model: CostModel,
    private readonly rng: Random,
  ) {
    this.stream = createWriteStream(file);
    this.stream.write("time,team,product,feature,customer,model,input_tokens,output_tokens,cached_tokens,calls,gpu_type,gpu_seconds\n");
  }

  /** Records what the bill charged a service today (EffectiveCost in micro-units). */
  charge(service: ServiceKey, micros: number) {
    const source = SOURCES[service];
    if (!source) return;
    const entry = this.day.get(source.model) ?? { kind: source.kind, users: source.users, cost: 0 };
    entry.cost += (micros / 1e6) * source.explained;
    this.day.set(source.model, entry);
  }

  /** Writes the day's usage: per team, feature and a customer, the tokens or GPU seconds the charge buys. */
  endDay(date: string) {
    const card = this.model.input.ai ?? {};
    for (const [model, { kind, users, cost }] of [...this.day].sort(([a], [b]) => a.localeCompare(b))) {
      for (const [team, share] of Object.entries(users)) {
        const plan = PRODUCTS[team]!;
        const features = kind === "gpu" ? (plan.gpuFeatures ?? ["training"]) : plan.features;
        const feature = features[Math.floor(this.rng.next() * features.length)]!;
        const customer = kind === "gpu" ? "" : `cust-${String(1 + Math.floor(this.rng.next() * CUSTOMERS)).padStart(3, "0")}`;
        const spend = cost * share;
        if (kind === "gpu") {
          const hourly = card.gpus?.[model] ?? 1;
          this.stream.write(`${date}T12:00:00Z,${team},${plan.gpuProduct ?? plan.product},${feature},,,,,,,${model},${((spend / hourly) * 3600).toFixed(1)}\n`);
          continue;
        }
        const price = card.models?.[model];
        const flat = (p: unknown) => (typeof p === "number" ? p : Array.isArray(p) ? (p[0] as { per1M: number }).per1M : 0);
        const perToken = price ? (0.7 * flat(price.input) + 0.25 * flat(price.output) + 0.05 * flat(price.cached ?? price.input)) / 1e6 : 1e-6;
        const tokens = spend / perToken;
        const [input, output, cached] = [0.7, 0.25, 0.05].map((f) => Math.floor(tokens * f));
        const calls = Math.max(1, Math.round(tokens / 1800));
        this.stream.write(`${date}T12:00:00Z,${team},${plan.product},${feature},${customer},${model},${input},${output},${cached},${calls},,\n`);
      }
    }
    this.day = new Map();
  }

  async close() {
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }
}
