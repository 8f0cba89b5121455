/** A rendered Kubernetes document, as parsed from kustomize's output. */
export interface K8sDocument {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** `Kind namespace/name` (or `Kind name` for cluster-scoped resources), for problem lines. */
export function describeResource(doc: K8sDocument): string {
  const name = doc.metadata?.name ?? '(no name)';
  return `${doc.kind} ${doc.metadata?.namespace ? `${doc.metadata.namespace}/` : ''}${name}`;
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → the core group, ''). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
