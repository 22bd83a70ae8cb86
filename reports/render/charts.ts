// Charts for the HTML report as inline SVG, rendered at build time with Vega-Lite, so the page works
// offline and needs no script. Specs are fixed; only the data varies.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { builtAssetsDir, runsFromDist } from "../paths";
import type { ReportData } from "../report/data";
import { minorUnits } from "../money";

type VegaLiteSpec = Record<string, unknown>;

const FONT = { font: "system-ui, -apple-system, Segoe UI, sans-serif", labelFont: "system-ui, sans-serif", titleFont: "system-ui, sans-serif" };

/** The build's bundle of Vega and Vega-Lite (reports/cli/build.ts), and what it exports. */
export const VEGA_BUNDLE = "vega.mjs";
export const VEGA_BUNDLE_ENTRY = `export * as vega from "vega";\nexport * as vegaLite from "vega-lite";\n`;
interface VegaBundle {
  vega: typeof import("vega");
  vegaLite: typeof import("vega-lite");
}

let vegaModules: Promise<[typeof import("vega"), typeof import("vega-lite")]> | undefined;

/**
 * Vega and Vega-Lite, loaded once. They ship as ES modules only, which this CommonJS package loads with
 * a dynamic import; the report starts it while DuckDB scans the bill (preloadCharts). Run from dist/, the
 * build's one-file bundle of both is loaded instead of their 80-odd modules (a third of the time).
 */
function loadVega(): Promise<[typeof import("vega"), typeof import("vega-lite")]> {
  const bundle = join(builtAssetsDir, VEGA_BUNDLE);
  vegaModules ??= runsFromDist && existsSync(bundle)
    ? (import(pathToFileURL(bundle).href) as Promise<VegaBundle>).then((m) => [m.vega, m.vegaLite])
    : Promise.all([import("vega"), import("vega-lite")]);
  return vegaModules;
}

/** Starts loading the chart modules, for a moment when the main thread is idle; a failure is said when charts are drawn. */
export function preloadCharts(): void {
  loadVega().catch(() => undefined);
}

async function toSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  const compiled = vegaLite.compile({ ...spec, config: { ...(spec.config as object | undefined), axis: { labelFont: FONT.labelFont, titleFont: FONT.titleFont }, legend: { labelFont: FONT.labelFont }, view: { stroke: null } } } as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export interface Charts {
  composition: string;
  trend: string;
  budgets: string;
}

export async function renderCharts(d: ReportData): Promise<Charts> {
  const composition = toSvg({
    width: 520,
    height: { step: 26 },
    data: { values: d.composition.map((c) => ({ category: c.category, cost: Number(c.cost) })) },
    mark: { type: "bar", color: "#3b6ea8", cornerRadiusEnd: 2 },
    encoding: {
      y: { field: "category", type: "nominal", sort: "-x", title: null },
      x: { field: "cost", type: "quantitative", title: d.currency, axis: { format: "~s" } },
      tooltip: [{ field: "category" }, { field: "cost", format: `,.${minorUnits(d.currency)}f` }],
    },
  });
  const trend = toSvg({
    width: 520,
    height: 260,
    data: { values: d.trend.flatMap((t) => Object.entries(t.teams).map(([team, cost]) => ({ month: t.month, team: d.teams.find((x) => x.team === team)?.name ?? team, cost: Number(cost) }))) },
    mark: "bar",
    encoding: {
      x: { field: "month", type: "ordinal", title: null },
      y: { field: "cost", type: "quantitative", stack: "zero", title: d.currency, axis: { format: "~s" } },
      color: { field: "team", type: "nominal", title: "Team", scale: { scheme: "tableau10" } },
    },
  });
  const budgets = toSvg({
    width: 520,
    height: { step: 24 },
    data: { values: d.teams.map((t) => ({ team: t.name, cost: Number(t.cost), budget: Number(t.budget), status: t.status })) },
    layer: [
      { mark: { type: "bar", height: 14 }, encoding: { y: { field: "team", type: "nominal", title: null }, x: { field: "cost", type: "quantitative", title: `${d.currency} (bar: cost, tick: budget)`, axis: { format: "~s" } }, color: { field: "status", type: "nominal", title: "Status", scale: { domain: ["under", "at risk", "over"], range: ["#4c9a6a", "#d39b2a", "#c0392b"] } } } },
      { mark: { type: "tick", color: "#222", thickness: 2, size: 20 }, encoding: { y: { field: "team", type: "nominal" }, x: { field: "budget", type: "quantitative" } } },
    ],
  });
  return { composition: await composition, trend: await trend, budgets: await budgets };
}
