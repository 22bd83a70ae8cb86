// Report templates: Handlebars files shipped in reports/templates/, each overridable by a file of the
// same name in the user's --templates directory.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { UserError } from "../../model";
import { builtAssetsDir, runsFromDist, templatesDir } from "../paths";

export type Template = (view: object) => string;

/** The report's own templates, with whether each renders HTML (the build precompiles exactly these). */
export const BUILT_IN_TEMPLATES: readonly { name: string; html: boolean }[] = [
  { name: "report.md.hbs", html: false },
  { name: "report.html.hbs", html: true },
];

/**
 * How a template is compiled: Markdown templates get text the view has already escaped (noEscape); HTML
 * templates let Handlebars escape every {{value}}, and only {{{charts}}} (our own SVG) go in raw.
 */
export const compileOptions = (html: boolean) => ({ noEscape: !html, strict: true });

/** A template's code as `precompile` writes it, keyed by what decides it: the escaping, the text and Handlebars's version. */
export interface Precompiled {
  handlebars: string;
  html: boolean;
  sha256: string;
  code: string;
}

export const PRECOMPILED_FILE = "templates.json";
export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

let precompiled: Record<string, Precompiled> | null | undefined;

/** The build's precompiled code for this exact text and escaping, if it has it; any other text compiles here. */
export function precompiledCode(source: string, html: boolean): string | undefined {
  if (precompiled === undefined) {
    const file = join(builtAssetsDir, PRECOMPILED_FILE);
    try {
      precompiled = runsFromDist && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, Precompiled>) : null;
    } catch {
      precompiled = null;
    }
  }
  if (!precompiled) return undefined;
  const hash = sha256(source);
  // Matched on the text itself, not the file name: an edited or overriding template is never given stale code.
  return Object.values(precompiled).find((p) => p.handlebars === Handlebars.VERSION && p.html === html && p.sha256 === hash)?.code;
}

/** Compiled templates by escaping, file and text: compiled once a process, and never stale. */
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Loads a template, compiled now (Handlebars would compile it on first use). */
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
      // precompile and template are what compile does on first use, done now (or at build, for our own).
      // (precompile returns the template's code as text, whatever its type says.)
      const code = precompiledCode(source, html) ?? String(env.precompile(source, compileOptions(html)));
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
