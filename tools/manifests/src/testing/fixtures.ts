import type { K8sDocument } from '../K8sDocument';

const NS = 'metrology';

/** A Deployment that meets every policy; tests break one thing at a time. */
export function compliantDeployment(name: string, options: { replicas?: number; command?: string[]; env?: Array<Record<string, unknown>> } = {}): K8sDocument {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      ...(options.replicas !== undefined ? { replicas: options.replicas } : {}),
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name } },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name,
              image: 'registry.example.com/metrology-ledger:0.1.0',
              command: options.command ?? ['node', `services/${name}/dist/main.js`],
              env: options.env ?? [],
              ports: [{ name: 'health', containerPort: 9101 }],
              livenessProbe: { httpGet: { path: '/health/live', port: 'health' } },
              readinessProbe: { httpGet: { path: '/health/ready', port: 'health' } },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

/** The first container of a workload fixture, to change in a test. */
export function containerOf(doc: K8sDocument): Record<string, unknown> {
  return ((doc.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers)[0];
}

export function podSpecOf(doc: K8sDocument): Record<string, unknown> {
  return (doc.spec as { template: { spec: Record<string, unknown> } }).template.spec;
}

export function namespace(labels: Record<string, string> = { 'pod-security.kubernetes.io/enforce': 'restricted' }): K8sDocument {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels } };
}

export function defaultDeny(): K8sDocument {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: NS }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
}

export function networkPolicyFor(name: string): K8sDocument {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: NS },
    spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': name } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 5432 }] }] },
  };
}

export function pdbFor(name: string): K8sDocument {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: NS }, spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': name } } } };
}

export function scaledObject(target: string, min: number, max: number): K8sDocument {
  return { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: target, namespace: NS }, spec: { scaleTargetRef: { name: target }, minReplicaCount: min, maxReplicaCount: max, triggers: [] } };
}

export function hpa(target: string, min: number, max: number): K8sDocument {
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: target, namespace: NS }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: min, maxReplicas: max } };
}

export function kafkaTopic(name: string, partitions?: number, topicName?: string): K8sDocument {
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaTopic',
    metadata: { name, namespace: NS, labels: { 'strimzi.io/cluster': 'ledger-kafka' } },
    spec: { ...(partitions !== undefined ? { partitions } : {}), ...(topicName ? { topicName } : {}), replicas: 3 },
  };
}

export function secret(name: string, data: Record<string, string> | undefined, labels?: Record<string, string>): K8sDocument {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS, ...(labels ? { labels } : {}) }, ...(data ? { stringData: data } : {}) };
}
