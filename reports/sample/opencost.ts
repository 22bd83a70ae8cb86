// OpenCost's view of the sample's shared EKS cluster: one saved /allocation response a day, as a platform
// team would keep them. Each team runs its workloads in its own namespace with the cost labels; the CPU
// shares are the metrics file's (so both ways of splitting the cluster tell the same story); a batch
// namespace nobody labelled, the platform's kube-system and idle capacity are there too. OpenCost prices
// at list rates (the bill is lower, under a Savings Plan): only its shares are used.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CostModel } from "../../model";
import { CLUSTER_CPU_SHARES } from "./metrics";
import type { Random } from "./random";

interface MonthSpan {
  label: string;
  start: number;
  days: number;
}

export const SAMPLE_CLUSTER = "northwind-prod-eks";
/** List price of the cluster's nodes a day, before the Savings Plan. */
const DAILY_LIST_COST = 1050;
/** Share of the cluster nobody requested. */
const IDLE = 0.18;
/** Share run by a batch namespace without any labels, and by kube-system. */
const UNLABELED = 0.03;
const SYSTEM = 0.02;

const money = (n: number) => Math.round(n * 1e6) / 1e6;

function allocation(name: string, day: string, cost: number, properties: Record<string, unknown>) {
  const cpu = money(cost * 0.62);
  const ram = money(cost * 0.3);
  const pv = money(cost - cpu - ram);
  return { name, properties: { cluster: SAMPLE_CLUSTER, ...properties }, window: { start: `${day}T00:00:00Z`, end: `${day}T23:59:59Z` }, start: `${day}T00:00:00Z`, end: `${day}T23:59:59Z`, cpuCost: cpu, ramCost: ram, pvCost: pv, gpuCost: 0, networkCost: 0, loadBalancerCost: 0, sharedCost: 0, externalCost: 0, totalCost: money(cpu + ram + pv) };
}

/** Writes opencost/<day>.json for every day of the months; returns the folder. */
export function writeOpenCost(out: string, model: CostModel, months: MonthSpan[], rng: Random): string {
  const dir = join(out, "opencost");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const labelsOf = (team: string) => {
    const info = model.teams.get(team)!;
    return { team, "cost-center": info.costCenter, environment: "prod" };
  };
  for (const month of months) {
    for (let d = 0; d < month.days; d++) {
      const day = new Date(month.start + d * 86_400_000).toISOString().slice(0, 10);
      const total = DAILY_LIST_COST * rng.between(0.95, 1.05);
      const used = total * (1 - IDLE - UNLABELED - SYSTEM);
      const set: Record<string, unknown> = {};
      for (const [team, share] of Object.entries(CLUSTER_CPU_SHARES)) {
        const cost = used * share * rng.between(0.9, 1.1);
        // Half of each team's pods carry the labels themselves; the rest inherit them from the namespace.
        const own = labelsOf(team);
        set[`${team}/${team}-api`] = allocation(`${team}/${team}-api`, day, cost * 0.6, { namespace: team, controller: `${team}-api`, controllerKind: "deployment", labels: { app: `${team}-api`, ...own }, namespaceLabels: own });
        set[`${team}/${team}-worker`] = allocation(`${team}/${team}-worker`, day, cost * 0.4, { namespace: team, controller: `${team}-worker`, controllerKind: "deployment", labels: { app: `${team}-worker` }, namespaceLabels: own });
      }
      set["batch/nightly-export"] = allocation("batch/nightly-export", day, total * UNLABELED, { namespace: "batch", controller: "nightly-export", controllerKind: "job", labels: { app: "nightly-export" } });
      set["kube-system/coredns"] = allocation("kube-system/coredns", day, total * SYSTEM, { namespace: "kube-system", controller: "coredns", controllerKind: "deployment", labels: { "k8s-app": "kube-dns" } });
      set.__idle__ = allocation("__idle__", day, total * IDLE, {});
      writeFileSync(join(dir, `${day}.json`), `${JSON.stringify({ code: 200, data: [set] })}\n`);
    }
  }
  return dir;
}
