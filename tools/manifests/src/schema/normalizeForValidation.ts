import { isObject, type K8sDocument } from '../K8sDocument';

/**
 * What the API server accepts but the compiled validators would not: a Secret's `data` values in base64
 * wrapped over several lines (kustomize wraps long values; Go's base64 decoder skips newlines). The
 * copy is validated; the document is left as it is.
 */
export function normalizeForValidation(doc: K8sDocument): K8sDocument {
  if (doc.kind !== 'Secret' || doc.apiVersion !== 'v1' || !isObject(doc.data)) return doc;
  const data = Object.fromEntries(Object.entries(doc.data).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[\r\n]/g, '') : v]));
  return { ...doc, data };
}
