// What `allot sample` is asked to generate, and its defaults: shared by the generator and the truth it tallies.
import type { CostModel } from "../../model";

export type SampleFormat = "csv" | "csv.gz" | "parquet";

export interface SampleOptions {
  out: string;
  rows: number;
  months: number;
  /** The last month, YYYY-MM. */
  endMonth: string;
  format: SampleFormat;
  seed: number;
  /** The cost model the data is for: the bundled sample allot.yaml. */
  model: CostModel;
  modelFile: string;
}

export const SAMPLE_DEFAULTS = { rows: 100_000, months: 6, endMonth: "2026-10", format: "parquet" as SampleFormat, seed: 42 };
