import type { K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';
import { podWorkloads } from './podWorkloads';

/** Every container (init containers too) requests and limits CPU and memory. */
export function checkResources(documents: K8sDocument[], target: string): Problem[] {
  const problems: Problem[] = [];
  for (const w of podWorkloads(documents)) {
    const all = [...w.containers.map((c, i) => ({ c, path: `${w.podSpecPath}.containers[${i}]` })), ...w.initContainers.map((c, i) => ({ c, path: `${w.podSpecPath}.initContainers[${i}]` }))];
    for (const { c, path } of all) {
      const missing = (['requests', 'limits'] as const).flatMap((kind) => ['cpu', 'memory'].filter((r) => c.resources?.[kind]?.[r] === undefined).map((r) => `${kind}.${r}`));
      if (missing.length > 0) {
        problems.push({ code: 'resources-missing', target, resource: w.resource, path: `${path}.resources`, message: `container "${c.name}" sets no ${missing.join(', ')}: every container requests and limits CPU and memory` });
      }
    }
  }
  return problems;
}
