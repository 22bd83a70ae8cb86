// Tag compliance of the month, as the compliance step of the pipeline measured it; by month over the
// report's window, the months its cost trend shows.
import { section } from "../context";

export const compliance = section("compliance", ({ run: { compliance: c, windowMonths } }) => ({
  usageCost: c.usageCost, compliantCost: c.compliantCost, costCompliancePct: c.costCompliancePct, byKey: c.byKey,
  trend: c.trend.filter((t) => windowMonths.includes(t.name)), topUntagged: c.topUntagged, resources: c.resources, threshold: c.threshold,
}));
