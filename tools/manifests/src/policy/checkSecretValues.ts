import { describeResource, isObject, type K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';

/** The label a development overlay's generated Secrets carry: their values are dummies, by design. */
export const DUMMY_SECRET_LABEL = 'metrology-ledger/dummy-secret';

function hasValues(doc: K8sDocument): boolean {
  return ['data', 'stringData'].some((k) => isObject(doc[k]) && Object.keys(doc[k] as object).length > 0);
}

/**
 * No secret value in the repository. In `base/` (and `platform/`) a Secret must hold no data at all;
 * in an overlay only generated development dummies (labelled metrology-ledger/dummy-secret: "true")
 * may: real values come from the cluster (kubectl create secret, an ExternalSecret, an operator).
 */
export function checkSecretValues(documents: K8sDocument[], target: string, where: 'base' | 'overlay'): Problem[] {
  const problems: Problem[] = [];
  for (const d of documents) {
    if (d.kind !== 'Secret' || d.apiVersion !== 'v1' || !hasValues(d)) continue;
    if (where === 'base') {
      problems.push({ code: 'secret-value-in-base', target, resource: describeResource(d), message: `a Secret with values in ${target}: base holds no secret values; generate a dummy in overlays/dev and let the cluster operator create the real one (deploy/k8s/README.md)` });
    } else if (d.metadata.labels?.[DUMMY_SECRET_LABEL] !== 'true') {
      problems.push({ code: 'secret-value-in-base', target, resource: describeResource(d), message: `a Secret with values that is not a labelled development dummy (${DUMMY_SECRET_LABEL}: "true"): real secret values never go into the repository` });
    }
  }
  return problems;
}
