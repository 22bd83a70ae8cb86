// Reads allot.yaml: YAML (see yaml.ts), then the zod schema, then the cross-field
// checks, then the derived lookups in CostModel. Every failure is a ConfigError naming key path and line.
import { readFileSync } from "node:fs";
import { closest, distance } from "fastest-levenshtein";
import { isNode, type Document, type LineCounter } from "yaml";
import { z } from "zod";
import { buildCostModel, type CostModel } from "./cost-model";
import { ConfigError, UserError, type ConfigProblem } from "./errors";
import { CostModelSchema } from "./schema";
import { crossCheck, formatPath, type KeyPath } from "./validate";
import { parseYaml } from "./yaml";

/** Loads and validates a cost model file. Throws UserError (missing file) or ConfigError (bad content). */
export function loadCostModel(file: string): CostModel {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`${file}: cost model not found; pass --config with the path of your allot.yaml`);
    if (code === "EISDIR") throw new UserError(`${file}: is a directory; pass --config with the path of your allot.yaml`);
    throw new UserError(`${file}: cannot read the cost model (${code ?? (error as Error).message}); check the file's permissions`);
  }
  return parseCostModel(text, file);
}

/** Parses cost model text; `file` is only used in error messages. */
export function parseCostModel(text: string, file = "allot.yaml"): CostModel {
  const { doc, lines, data } = parseYaml(text, file);
  if (data === null || data === undefined) throw new ConfigError(file, [{ path: "(top level)", message: "the file is empty; expected currency, tags and org" }]);

  const parsed = CostModelSchema.safeParse(data);
  const locate = (path: KeyPath, message: string): ConfigProblem => ({ ...position(doc, lines, path), path: formatPath(path), message });
  if (!parsed.success) throw new ConfigError(file, sortProblems(parsed.error.issues.flatMap((issue) => describeIssue(issue, data)).map((p) => locate(p.path, p.message))));

  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new ConfigError(file, sortProblems(problems.map((p) => locate(p.path, p.message))));
  return buildCostModel(parsed.data, file);
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function position(doc: Document, lines: LineCounter, path: KeyPath): { line?: number; column?: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return {};
}

function valueAt(data: unknown, path: KeyPath): unknown {
  let value = data;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "a mapping";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): { path: KeyPath; message: string }[] {
  const path = issue.path as (string | number)[];
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key${suggestKey(path, key)}; remove it or fix its spelling` }));
    case "invalid_type":
    case "invalid_value":
      if (valueAt(data, path) === undefined) return [{ path, message: `missing; ${issue.message}` }];
      break;
  }
  return [{ path, message: `${issue.message}, got ${show(valueAt(data, path))}` }];
}

type JsonSchema = { $ref?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[]; additionalProperties?: JsonSchema | boolean; definitions?: Record<string, JsonSchema> };

let jsonSchema: JsonSchema | undefined;

/** "did you mean" among the keys the schema allows at that place in the document. */
function suggestKey(path: KeyPath, key: string): string {
  jsonSchema ??= z.toJSONSchema(CostModelSchema, { io: "input", target: "draft-7", unrepresentable: "any" }) as JsonSchema;
  const root = jsonSchema;
  const resolve = (s: JsonSchema): JsonSchema[] => {
    if (s.$ref) return resolve(root.definitions?.[s.$ref.replace("#/definitions/", "")] ?? {});
    const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
    return branches.length > 0 ? branches.flatMap(resolve) : [s];
  };
  let here = resolve(root);
  for (const part of path) {
    here = here.flatMap((s) => {
      if (typeof part === "number") return s.items ? resolve(s.items) : [];
      const next = s.properties?.[part] ?? (typeof s.additionalProperties === "object" ? s.additionalProperties : undefined);
      return next ? resolve(next) : [];
    });
  }
  const candidates = [...new Set(here.flatMap((s) => Object.keys(s.properties ?? {})))];
  const best = candidates.length > 0 ? closest(key, candidates) : undefined;
  return best && distance(key, best) <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best}"?)` : "";
}
