// Report templates: Handlebars files shipped in reports/templates/, each overridable by a file of the
// same name in the user's --templates directory.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { UserError } from "../../model";
import { templatesDir } from "../paths";

export type Template = (view: object) => string;

/** Compiled templates by escaping, file and text: compiled once a process, and never stale. */
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Loads a template, compiled now (Handlebars would compile it on first use). Markdown templates get text
 * the view has already escaped (noEscape); HTML templates let Handlebars escape every {{value}}, and only
 * {{{charts}}} (our own SVG) go in raw.
 */
export function loadTemplate(name: string, overrideDir?: string, html = false): Template {
  if (overrideDir !== undefined && !(existsSync(overrideDir) && statSync(overrideDir).isDirectory())) {
    throw new UserError(`--templates ${overrideDir}: not a directory; pass a folder holding templates such as ${name}`);
  }
  const override = overrideDir === undefined ? undefined : join(overrideDir, name);
  const file = override !== undefined && existsSync(override) ? override : join(templatesDir, name);
  const fix = (error: unknown) => new UserError(`${file}: ${(error as Error).message.split("\n")[0]}; fix the template`);
  const source = readFileSync(file, "utf8");
  const key = JSON.stringify([html, file, source]);
  let template = compiled.get(key);
  if (template === undefined) {
    const env = Handlebars.create();
    try {
      // precompile and template are what compile does on first use, done now.
      // (precompile returns the template's code as text, whatever its type says.)
      const code = String(env.precompile(source, { noEscape: !html, strict: true }));
      template = env.template(new Function(`return ${code}`)() as Parameters<typeof env.template>[0]);
    } catch (error) {
      throw fix(error);
    }
    compiled.set(key, template);
  }
  const ready = template;
  return (view) => {
    try {
      return ready(view);
    } catch (error) {
      throw fix(error);
    }
  };
}

/**
 * Compiles the report's templates for `formats` ahead of rendering, for a moment when the main thread is
 * idle (while DuckDB scans the bill). Any problem is left for the render, which says it.
 */
export function prepareTemplates(formats: ReadonlySet<string>, overrideDir?: string): void {
  try {
    if (formats.has("md")) loadTemplate("report.md.hbs", overrideDir);
    if (formats.has("html")) loadTemplate("report.html.hbs", overrideDir, true);
  } catch {
    // Said when the report is rendered.
  }
}
