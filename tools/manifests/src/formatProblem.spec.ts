import { formatProblem } from './formatProblem';

describe('formatProblem', () => {
  it('writes one line: where, what, and the code', () => {
    expect(formatProblem({ code: 'probe-missing', target: 'overlays/dev', resource: 'Deployment metrology/query', path: 'spec.template.spec.containers[0].livenessProbe', message: 'add one' })).toBe(
      'overlays/dev: Deployment metrology/query: spec.template.spec.containers[0].livenessProbe: add one [probe-missing]',
    );
  });

  it('leaves out the parts that do not apply, and never spans lines', () => {
    expect(formatProblem({ code: 'tool-missing', target: 'deploy/k8s', message: 'kubectl not found\n  install it' })).toBe('deploy/k8s: kubectl not found install it [tool-missing]');
  });
});
