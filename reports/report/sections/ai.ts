// AI and GPU: unit economics from the metering log; null without --metering.
import { aiSection } from "../../ai/section";
import { section } from "../context";

export const ai = section("ai", ({ model, month, previousMonth, run }) =>
  run.metering ? aiSection(model, month, previousMonth, run.metering, [...run.allocations.values()].flatMap((r) => r.reconciliation)) : null,
);
