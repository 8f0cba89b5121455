import { formatProblem } from '../formatProblem';
import { compliantDeployment, containerOf } from '../testing/fixtures';
import { checkProbes } from './checkProbes';

describe('checkProbes', () => {
  it('accepts containers with liveness and readiness probes', () => {
    expect(checkProbes([compliantDeployment('query')], 't')).toEqual([]);
  });

  it('names each missing probe and the endpoint to probe', () => {
    const d = compliantDeployment('query');
    delete containerOf(d).livenessProbe;
    delete containerOf(d).readinessProbe;
    expect(checkProbes([d], 'overlays/dev').map(formatProblem)).toEqual([
      'overlays/dev: Deployment metrology/query: spec.template.spec.containers[0].livenessProbe: container "query" has no livenessProbe: add one on the service\'s health endpoint (/health/live) [probe-missing]',
      'overlays/dev: Deployment metrology/query: spec.template.spec.containers[0].readinessProbe: container "query" has no readinessProbe: add one on the service\'s health endpoint (/health/ready) [probe-missing]',
    ]);
  });
});
