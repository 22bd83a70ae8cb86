// AI and GPU: unit economics from the metering log; null without --metering. Last month is compared with
// only when trends show it: a month read only in part has no reconciliation to scale its usage to the bill.
import { aiSection } from "../../ai/section";
import { shownInTrends } from "../../read/overlap";
import { section } from "../context";

export const ai = section("ai", ({ model, month, previousMonth, run }) =>
  run.metering
    ? aiSection(model, month, shownInTrends(month, run.groups.setAside)(previousMonth) ? previousMonth : null, run.metering, [...run.allocations.values()].flatMap((r) => r.reconciliation))
    : null,
);
