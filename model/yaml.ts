// YAML as allot reads it (allot.yaml, adjustments): line numbers kept for messages, duplicate keys
// refused, aliases resolved and bounded (an alias bomb expands a few lines into gigabytes), and no
// `__proto__` key, which no JavaScript object can hold as data. Each failure is a ConfigError with a line.
import { isScalar, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import { ConfigError, type ConfigProblem } from "./errors";

/** More aliases than any hand-written file needs, far fewer than an alias bomb's. */
export const MAX_YAML_ALIASES = 100;

export interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
  data: unknown;
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const at = (node: Node | undefined, message: string): ConfigProblem => {
    const pos = node?.range ? lines.linePos(node.range[0]) : undefined;
    return { ...(pos ? { line: pos.line, column: pos.col } : {}), path: "(yaml)", message };
  };
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return { line: pos?.line, column: pos?.col, path: "(yaml)", message: `${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}; fix the YAML syntax` };
      }),
    );
  }
  let problem: ConfigProblem | undefined;
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc)) return undefined;
      problem = at(alias, `alias *${alias.source} refers to no anchor &${alias.source} defined before it; define the anchor first or write the value out`);
      return visit.BREAK;
    },
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== "__proto__") return undefined;
      problem = at(pair.key, `"__proto__" cannot be a key; rename it (and the same name in your data)`);
      return visit.BREAK;
    },
  });
  if (problem) throw new ConfigError(file, [problem]);
  try {
    return { doc, lines, data: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
  } catch (error) {
    throw new ConfigError(file, [{ path: "(yaml)", message: `aliases expand too far (${(error as Error).message}); write the values out, allot expands at most ${MAX_YAML_ALIASES} aliases` }]);
  }
}
