// Report templates: Handlebars files shipped in reports/templates/, each overridable by a file of the
// same name in the user's --templates directory.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { UserError } from "../../model";
import { templatesDir } from "../paths";

export type Template = (view: object) => string;

/**
 * Loads a template. Markdown templates get text the view has already escaped (noEscape); HTML templates
 * let Handlebars escape every {{value}}, and only {{{charts}}} (our own SVG) go in raw.
 */
export function loadTemplate(name: string, overrideDir?: string, html = false): Template {
  if (overrideDir !== undefined && !(existsSync(overrideDir) && statSync(overrideDir).isDirectory())) {
    throw new UserError(`--templates ${overrideDir}: not a directory; pass a folder holding templates such as ${name}`);
  }
  const override = overrideDir === undefined ? undefined : join(overrideDir, name);
  const file = override !== undefined && existsSync(override) ? override : join(templatesDir, name);
  const compiled = Handlebars.create().compile(readFileSync(file, "utf8"), { noEscape: !html, strict: true });
  return (view) => {
    try {
      return compiled(view);
    } catch (error) {
      throw new UserError(`${file}: ${(error as Error).message.split("\n")[0]}; fix the template`);
    }
  };
}
