import type { Problem } from '../Problem';
import { podWorkloads } from './podWorkloads';
import type { K8sDocument } from '../K8sDocument';

/** Every container has a liveness and a readiness probe (init containers run to completion and have none). */
export function checkProbes(documents: K8sDocument[], target: string): Problem[] {
  const problems: Problem[] = [];
  for (const w of podWorkloads(documents)) {
    w.containers.forEach((c, i) => {
      for (const probe of ['livenessProbe', 'readinessProbe'] as const) {
        if (!c[probe]) {
          problems.push({
            code: 'probe-missing',
            target,
            resource: w.resource,
            path: `${w.podSpecPath}.containers[${i}].${probe}`,
            message: `container "${c.name}" has no ${probe}: add one on the service's health endpoint (${probe === 'livenessProbe' ? '/health/live' : '/health/ready'})`,
          });
        }
      }
    });
  }
  return problems;
}
