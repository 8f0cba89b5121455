import { describeResource, type K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';

/** Kinds that live outside namespaces (those this project could render). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
  'ClusterIssuer',
  'ClusterTriggerAuthentication',
  'ClusterImageCatalog',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'IngressClass',
]);

/**
 * Every namespaced resource names its namespace (kustomize's `namespace:`), and every namespace used is
 * defined with Pod Security Admission enforcing `restricted`.
 */
export function checkNamespaces(documents: K8sDocument[], target: string): Problem[] {
  const problems: Problem[] = [];
  const used = new Set<string>();
  for (const d of documents) {
    if (CLUSTER_SCOPED.has(d.kind)) continue;
    if (!d.metadata.namespace) problems.push({ code: 'namespace-missing', target, resource: describeResource(d), path: 'metadata.namespace', message: 'no namespace: it would land in whatever namespace kubectl points at; set namespace: in the kustomization' });
    else used.add(d.metadata.namespace);
  }
  for (const ns of [...used].sort()) {
    const doc = documents.find((d) => d.kind === 'Namespace' && d.metadata.name === ns);
    if (!doc) {
      problems.push({ code: 'namespace-missing', target, resource: `Namespace ${ns}`, message: 'used but not defined here: define it, labelled pod-security.kubernetes.io/enforce: restricted' });
    } else if (doc.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') {
      problems.push({ code: 'pod-security', target, resource: describeResource(doc), path: 'metadata.labels', message: 'must carry the label pod-security.kubernetes.io/enforce: restricted' });
    }
  }
  return problems;
}
