import { isObject, type K8sDocument } from '../K8sDocument';

/** What scales a workload: an HPA or a KEDA ScaledObject, with its bounds. */
export interface Scaler {
  doc: K8sDocument;
  kind: 'HorizontalPodAutoscaler' | 'ScaledObject';
  min: number;
  max: number;
}

/**
 * The autoscaler of a Deployment/StatefulSet (same namespace, scaleTargetRef naming it), if any.
 * KEDA's defaults apply when unset: minReplicaCount 0, maxReplicaCount 100; the HPA's minReplicas 1.
 */
export function scalingOf(documents: K8sDocument[], workload: K8sDocument): Scaler | undefined {
  for (const d of documents) {
    if (d.metadata.namespace !== workload.metadata.namespace || !isObject(d.spec) || !isObject(d.spec.scaleTargetRef)) continue;
    const ref = d.spec.scaleTargetRef as { name?: string; kind?: string };
    if (ref.name !== workload.metadata.name || (ref.kind ?? 'Deployment') !== workload.kind) continue;
    if (d.kind === 'HorizontalPodAutoscaler' && d.apiVersion.startsWith('autoscaling/')) {
      return { doc: d, kind: 'HorizontalPodAutoscaler', min: Number(d.spec.minReplicas ?? 1), max: Number(d.spec.maxReplicas) };
    }
    if (d.kind === 'ScaledObject' && d.apiVersion.startsWith('keda.sh/')) {
      return { doc: d, kind: 'ScaledObject', min: Number(d.spec.minReplicaCount ?? 0), max: Number(d.spec.maxReplicaCount ?? 100) };
    }
  }
  return undefined;
}
