import { describeResource, isObject, type K8sDocument } from '../K8sDocument';

/** A container as the policies read it (the fields they look at). */
export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: Record<string, unknown> }>;
  envFrom?: Array<Record<string, unknown>>;
  ports?: Array<{ name?: string; containerPort: number }>;
  livenessProbe?: Record<string, unknown>;
  readinessProbe?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: Record<string, unknown>;
}

/** A workload that runs pods: its document, pod template and containers. */
export interface PodWorkload {
  doc: K8sDocument;
  resource: string;
  namespace?: string;
  /** Path of the pod spec inside the document, e.g. `spec.template.spec`. */
  podSpecPath: string;
  podSpec: Record<string, unknown>;
  podLabels: Record<string, string>;
  containers: ContainerSpec[];
  initContainers: ContainerSpec[];
  /** spec.replicas as written (undefined: the controller's default or an autoscaler's). */
  replicas?: number;
}

const TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Every workload among the documents whose pods the manifests define (Deployment, StatefulSet, …, Pod). */
export function podWorkloads(documents: K8sDocument[]): PodWorkload[] {
  const out: PodWorkload[] = [];
  for (const doc of documents) {
    let template: unknown;
    let path: string[];
    if (doc.kind === 'Pod') {
      template = doc;
      path = [];
    } else if (TEMPLATE_PATHS[doc.kind] && doc.apiVersion !== 'v1') {
      path = TEMPLATE_PATHS[doc.kind];
      template = path.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), doc);
    } else continue;
    if (!isObject(template) || !isObject(template.spec)) continue;
    const podSpec = template.spec;
    const labels = isObject(template.metadata) && isObject(template.metadata.labels) ? (template.metadata.labels as Record<string, string>) : {};
    const spec = doc.spec as { replicas?: number } | undefined;
    out.push({
      doc,
      resource: describeResource(doc),
      namespace: doc.metadata.namespace,
      podSpecPath: [...path, 'spec'].join('.'),
      podSpec,
      podLabels: labels,
      containers: Array.isArray(podSpec.containers) ? (podSpec.containers as ContainerSpec[]) : [],
      initContainers: Array.isArray(podSpec.initContainers) ? (podSpec.initContainers as ContainerSpec[]) : [],
      replicas: typeof spec?.replicas === 'number' ? spec.replicas : undefined,
    });
  }
  return out;
}
