import { compliantDeployment, defaultDeny, networkPolicyFor } from '../testing/fixtures';
import { checkNetworkPolicies, isDefaultDeny } from './checkNetworkPolicies';

describe('checkNetworkPolicies', () => {
  it('accepts a namespace with default deny and a policy per workload', () => {
    expect(checkNetworkPolicies([compliantDeployment('query'), defaultDeny(), networkPolicyFor('query')], 't')).toEqual([]);
  });

  it('requires default deny in every namespace used', () => {
    expect(checkNetworkPolicies([compliantDeployment('query'), networkPolicyFor('query')], 't').map((p) => [p.resource, p.code])).toEqual([['Namespace metrology', 'network-policy']]);
  });

  it('requires a policy of its own for each workload (default deny and all-pod policies do not count)', () => {
    const dns = { ...networkPolicyFor('dns'), spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53 }] }] } };
    expect(checkNetworkPolicies([compliantDeployment('query'), defaultDeny(), dns], 't').map((p) => p.resource)).toEqual(['Deployment metrology/query']);
  });

  it('knows default deny when it sees it', () => {
    expect(isDefaultDeny(defaultDeny())).toBe(true);
    expect(isDefaultDeny({ ...defaultDeny(), spec: { podSelector: {}, policyTypes: ['Ingress'] } })).toBe(false);
    expect(isDefaultDeny({ ...defaultDeny(), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{}] } })).toBe(false);
  });
});
