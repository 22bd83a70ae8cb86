// The report as GitHub-flavoured Markdown for a pull request: tables, <details> for long sections and
// Mermaid charts, from the Handlebars template report.md.hbs (overridable with --templates).
import type { ReportData } from "../report/data";
import { escapeMarkdown } from "../text/escape";
import { loadTemplate } from "./templates";
import { reportView } from "./view";

export function renderMarkdown(data: ReportData, templateDir?: string): string {
  return loadTemplate("report.md.hbs", templateDir)(reportView(data, escapeMarkdown));
}
