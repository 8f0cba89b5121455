import { compliantDeployment, namespace } from '../testing/fixtures';
import { checkNamespaces } from './checkNamespaces';

describe('checkNamespaces', () => {
  it('accepts namespaced resources in a namespace defined with restricted pod security', () => {
    expect(checkNamespaces([namespace(), compliantDeployment('query')], 't')).toEqual([]);
  });

  it('reports a resource without namespace, a namespace not defined, one without the restricted label', () => {
    const d = compliantDeployment('query');
    delete d.metadata.namespace;
    expect(checkNamespaces([d], 't').map((p) => p.code)).toEqual(['namespace-missing']);
    expect(checkNamespaces([compliantDeployment('query')], 't').map((p) => p.message)).toEqual([expect.stringMatching(/^used but not defined here/)]);
    expect(checkNamespaces([namespace({}), compliantDeployment('query')], 't').map((p) => p.code)).toEqual(['pod-security']);
  });
});
