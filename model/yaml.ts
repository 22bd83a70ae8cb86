// YAML as allot reads it (allot.yaml, adjustments): line numbers kept for messages, duplicate keys
// refused, aliases resolved and bounded (an alias bomb expands a few lines into gigabytes), no
// `__proto__` key, which no JavaScript object can hold as data, and no number a JavaScript number cannot
// hold exactly (0.1234567890123456789 would be read as 0.12345678901234568). Each failure is a
// ConfigError with a line.
import { Decimal } from "./decimal";
import { isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import { ConfigError, type ConfigProblem } from "./errors";
import { formatPath, type KeyPath } from "./validate";

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
    Scalar(_, scalar, ancestors) {
      if (typeof scalar.value !== "number" || !Number.isFinite(scalar.value) || scalar.source === undefined || exactNumber(scalar.source, scalar.value)) return undefined;
      problem = {
        ...at(scalar, ""),
        path: formatPath(keyPath(ancestors, scalar)),
        message: `the number ${scalar.source} has more digits than allot reads exactly from a YAML number (it would become ${String(scalar.value)}); quote it ("${scalar.source}") where the key takes a decimal string (exchangeRates, adjustment amounts), or write fewer digits`,
      };
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

/** Whether the number YAML read is exactly the decimal its source text wrote (1.08 is; 0.1234567890123456789 is not). */
function exactNumber(source: string, value: number): boolean {
  try {
    return new Decimal(source.replace(/^\+/, "")).equals(new Decimal(String(value)));
  } catch {
    return true;
  }
}

/** The key path of a node from the ancestors `visit` passes: map keys and list indexes. */
function keyPath(ancestors: readonly unknown[], node: unknown): KeyPath {
  const path: (string | number)[] = [];
  const chain = [...ancestors, node];
  chain.forEach((here, i) => {
    const next = chain[i + 1];
    if (isPair(here) && isScalar(here.key)) path.push(String(here.key.value));
    else if (isSeq(here) && next !== undefined) path.push(here.items.indexOf(next as never));
  });
  return path;
}
