// Tag compliance of the month, as the compliance step of the pipeline measured it.
import { section } from "../context";

export const compliance = section("compliance", ({ run: { compliance: c } }) => ({
  usageCost: c.usageCost, compliantCost: c.compliantCost, costCompliancePct: c.costCompliancePct, byKey: c.byKey, trend: c.trend, topUntagged: c.topUntagged, resources: c.resources, threshold: c.threshold,
}));
