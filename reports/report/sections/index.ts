// The report's sections, in the order they are built: a section may read those before it (the summary
// reads teams and anomalies; recommendations read the summary). Adding a section is adding it here.
import type { ReportSection } from "../context";
import { ai } from "./ai";
import { anomalies } from "./anomalies";
import { breakdowns } from "./breakdowns";
import { compliance } from "./compliance";
import { composition } from "./composition";
import { forecast } from "./forecast";
import { adjustments, invoices } from "./invoices";
import { kubernetes } from "./kubernetes";
import { notes } from "./notes";
import { recommendations } from "./recommendations";
import { rules, unallocated } from "./rules";
import { summary } from "./summary";
import { teams } from "./teams";
import { trend } from "./trend";
import { unitCosts } from "./unit-costs";
import { units } from "./units";
import { withheld } from "./withheld";

export const SECTIONS: readonly ReportSection[] = [
  teams, units, composition, breakdowns, unitCosts, compliance, rules, unallocated, invoices, adjustments, trend, anomalies, forecast, summary, recommendations, ai, kubernetes, withheld, notes,
];
