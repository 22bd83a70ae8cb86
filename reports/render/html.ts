// The report as one self-contained HTML file: inline CSS, charts as inline SVG rendered at build time, a
// print-friendly layout, no scripts and nothing fetched. Handlebars escapes every value.
import type { ReportData } from "../report/data";
import { renderCharts } from "./charts";
import { loadTemplate } from "./templates";
import { reportView } from "./view";

export async function renderHtml(data: ReportData, templateDir?: string): Promise<string> {
  const charts = await renderCharts(data);
  return loadTemplate("report.html.hbs", templateDir, true)({ ...reportView(data, (text) => text), charts });
}
