import { selectorMatches } from './selectorMatches';

describe('selectorMatches', () => {
  const labels = { 'app.kubernetes.io/name': 'ingest', tier: 'back' };
  it('matches labels and expressions as Kubernetes does', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { 'app.kubernetes.io/name': 'ingest' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { 'app.kubernetes.io/name': 'query' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['ingest', 'query'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches(undefined, labels)).toBe(false);
  });
});
