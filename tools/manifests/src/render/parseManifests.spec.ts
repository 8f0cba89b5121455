import { parseManifests } from './parseManifests';

describe('parseManifests', () => {
  it('reads every document of a stream and skips empty ones', () => {
    const r = parseManifests('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: b\n', 'x');
    expect(r.problems).toEqual([]);
    expect(r.documents.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Namespace/a', 'ServiceAccount/b']);
  });

  it('reports a document that is not YAML or not a Kubernetes object, by its position', () => {
    const r = parseManifests('apiVersion: v1\nkind: [\n---\nfoo: bar\n', 'overlays/dev');
    expect(r.documents).toEqual([]);
    expect(r.problems.map((p) => [p.code, p.message.slice(0, 10)])).toEqual([
      ['not-yaml', 'document 1'],
      ['schema', 'document 2'],
    ]);
  });
});
