import { compliantDeployment, hpa, pdbFor, scaledObject } from '../testing/fixtures';
import { checkDisruptionBudgets } from './checkDisruptionBudgets';

describe('checkDisruptionBudgets', () => {
  it('needs no budget for a single replica', () => {
    expect(checkDisruptionBudgets([compliantDeployment('edge', { replicas: 1 })], 't')).toEqual([]);
    expect(checkDisruptionBudgets([compliantDeployment('edge')], 't')).toEqual([]);
  });

  it('needs one for several replicas, or an autoscaler whose minimum is above one', () => {
    expect(checkDisruptionBudgets([compliantDeployment('edge', { replicas: 2 })], 't').map((p) => p.message)).toEqual([expect.stringMatching(/^it runs 2 replicas but no PodDisruptionBudget selects its pods/)]);
    expect(checkDisruptionBudgets([compliantDeployment('query'), hpa('query', 2, 6)], 't').map((p) => p.message)).toEqual([expect.stringMatching(/^its HorizontalPodAutoscaler keeps at least 2 replicas/)]);
    expect(checkDisruptionBudgets([compliantDeployment('ingest'), scaledObject('ingest', 3, 12)], 't').map((p) => p.message)).toEqual([expect.stringMatching(/^its ScaledObject keeps at least 3 replicas/)]);
    expect(checkDisruptionBudgets([compliantDeployment('ingest'), scaledObject('ingest', 1, 12)], 't')).toEqual([]);
  });

  it('accepts a budget that selects the pods, and only such a budget', () => {
    expect(checkDisruptionBudgets([compliantDeployment('edge', { replicas: 2 }), pdbFor('edge')], 't')).toEqual([]);
    expect(checkDisruptionBudgets([compliantDeployment('edge', { replicas: 2 }), pdbFor('query')], 't')).toHaveLength(1);
  });
});
