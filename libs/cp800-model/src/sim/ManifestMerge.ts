import type { SimulationManifest } from './SimulationManifest';

/** Joins the manifests of workers that each ran a part of the fleet. */
export function mergeManifests(parts: SimulationManifest[]): SimulationManifest {
  const [first, ...rest] = parts;
  const out: SimulationManifest = structuredClone(first);
  for (const p of rest) {
    for (const k of Object.keys(out.counts) as (keyof SimulationManifest['counts'])[]) out.counts[k] += p.counts[k];
    // Appended one by one: a long simulation's lists outgrow what spread arguments may hold.
    for (const r of p.registry) out.registry.push(r);
    for (const k of Object.keys(out.expected) as (keyof SimulationManifest['expected'])[]) {
      for (const e of p.expected[k] as unknown[]) (out.expected[k] as unknown[]).push(e);
    }
    for (const f of p.injected) out.injected.push(f);
  }
  out.registry.sort((a, b) => (a.stationId < b.stationId ? -1 : 1));
  const byStationCounter = (a: { stationId: string; counter?: number }, b: { stationId: string; counter?: number }) =>
    a.stationId < b.stationId ? -1 : a.stationId > b.stationId ? 1 : (a.counter ?? 0) - (b.counter ?? 0);
  for (const k of Object.keys(out.expected) as (keyof SimulationManifest['expected'])[]) out.expected[k].sort(byStationCounter);
  out.injected.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.stationId < b.stationId ? -1 : 1));
  return out;
}
