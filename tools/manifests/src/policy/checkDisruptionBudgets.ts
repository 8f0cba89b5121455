import type { K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';
import { podWorkloads } from './podWorkloads';
import { scalingOf } from './scalingOf';
import { selectorMatches } from './selectorMatches';

/**
 * A PodDisruptionBudget for every Deployment or StatefulSet that runs more than one replica (spec.replicas,
 * or the minimum of its HPA or ScaledObject): a drain must never take all of them at once.
 */
export function checkDisruptionBudgets(documents: K8sDocument[], target: string): Problem[] {
  const problems: Problem[] = [];
  const budgets = documents.filter((d) => d.kind === 'PodDisruptionBudget');
  for (const w of podWorkloads(documents)) {
    if (w.doc.kind !== 'Deployment' && w.doc.kind !== 'StatefulSet') continue;
    const scaler = scalingOf(documents, w.doc);
    const replicas = scaler ? scaler.min : (w.replicas ?? 1);
    if (replicas <= 1) continue;
    const covered = budgets.some((b) => b.metadata.namespace === w.namespace && selectorMatches((b.spec as { selector?: unknown } | undefined)?.selector, w.podLabels));
    if (!covered) {
      const why = scaler ? `its ${scaler.kind} keeps at least ${replicas} replicas` : `it runs ${replicas} replicas`;
      problems.push({ code: 'pdb-missing', target, resource: w.resource, message: `${why} but no PodDisruptionBudget selects its pods: add one (e.g. maxUnavailable: 1) selecting ${JSON.stringify(w.podLabels)}` });
    }
  }
  return problems;
}
