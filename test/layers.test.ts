// The layers of the code base point down: no import cycles anywhere, model/ at the ground floor, text
// helpers (formatting, escaping) below the domain code that uses them, renderers and the CLI on top.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "./helpers";

const FOLDERS = ["model", "policies", "components", "stacks", "reports"];

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) yield path;
  }
}

/** Each module (path relative to the root, without .ts) and the project modules it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const folder of FOLDERS) {
    for (const file of sources(join(root, folder))) {
      const text = readFileSync(file, "utf8");
      const targets = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/gms)].map((m) => {
        const target = resolve(dirname(file), m[1]!);
        const asFile = [`${target}.ts`, join(target, "index.ts")].find((p) => {
          try {
            return statSync(p).isFile();
          } catch {
            return false;
          }
        });
        return relative(root, asFile ?? target).replace(/\.ts$/, "");
      });
      graph.set(relative(root, file).replace(/\.ts$/, ""), targets.filter((t) => !t.endsWith(".json")));
    }
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

const graph = importGraph();
const importsOf = (prefix: string) => [...graph].filter(([m]) => m.startsWith(prefix)).flatMap(([m, targets]) => targets.map((t) => `${m} -> ${t}`));

describe("layers", () => {
  it("has no import cycles", () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(cycles(graph).map((c) => c.join(" -> "))).toEqual([]);
  });

  it("finds a cycle when there is one (the checker itself)", () => {
    expect(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]]))).toEqual([["a", "b", "c", "a"]]);
  });

  it("model/ is the ground floor: it imports nothing above it", () => {
    expect(importsOf("model/").filter((i) => !i.split(" -> ")[1]!.startsWith("model/"))).toEqual([]);
  });

  it("formatting and escaping sit below the domain: text/ imports only money, and no domain code imports a renderer", () => {
    expect(importsOf("reports/text/").filter((i) => !/-> reports\/(text\/|money)/.test(i))).toEqual([]);
    const domain = [...graph].filter(([m]) => m.startsWith("reports/") && !/^reports\/(render|cli)\//.test(m));
    expect(domain.flatMap(([m, targets]) => targets.filter((t) => t.startsWith("reports/render/") || t.startsWith("reports/cli/")).map((t) => `${m} -> ${t}`))).toEqual([]);
  });

  it("readers (billing exports and side inputs) import nothing of the domain above them", () => {
    const above = /-> reports\/(allocate|attribute|chargeback|compliance|month|report|render|cli|ai|sample)\//;
    expect(importsOf("reports/read/").filter((i) => above.test(i))).toEqual([]);
  });
});
