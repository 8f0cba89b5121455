import { parseAllDocuments } from 'yaml';
import { isObject, type K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';

/** The documents of a multi-document YAML stream (kustomize's output); empty documents are skipped. */
export function parseManifests(text: string, target: string): { documents: K8sDocument[]; problems: Problem[] } {
  const documents: K8sDocument[] = [];
  const problems: Problem[] = [];
  parseAllDocuments(text).forEach((d, index) => {
    if ('errors' in d && d.errors.length > 0) {
      problems.push({ code: 'not-yaml', target, message: `document ${index + 1}: ${d.errors[0].message}` });
      return;
    }
    const value: unknown = d.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string' || !isObject(value.metadata)) {
      problems.push({ code: 'schema', target, message: `document ${index + 1} is not a Kubernetes object (apiVersion, kind and metadata are required)` });
      return;
    }
    documents.push(value as K8sDocument);
  });
  return { documents, problems };
}
