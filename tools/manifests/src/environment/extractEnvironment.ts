import type { K8sDocument } from '../K8sDocument';
import { podWorkloads, type ContainerSpec } from '../policy/podWorkloads';

/** Where a variable's value comes from. */
export type EnvSource =
  | { kind: 'value'; value: string }
  | { kind: 'secret'; name: string; key: string }
  | { kind: 'configMap'; name: string; key: string }
  | { kind: 'field'; fieldPath: string }
  | { kind: 'resource'; resource: string };

/** The environment one container of a rendered workload gets. */
export interface ContainerEnvironment {
  resource: string;
  container: string;
  /** The service the container runs (`services/<name>/dist/main.js` in its command), if it is one of ours. */
  service?: string;
  variables: Array<{ name: string; source: EnvSource }>;
  /** envFrom sources: their variable names are not in the manifests (the drift check reports them). */
  envFrom: string[];
}

/** The service a container runs, from `node services/<name>/dist/main.js` in its command or args. */
export function serviceOfContainer(c: ContainerSpec): string | undefined {
  for (const a of [...(c.command ?? []), ...(c.args ?? [])]) {
    const m = /(?:^|\/)services\/([a-z0-9-]+)\/dist\/main\.js$/.exec(a);
    if (m) return m[1];
  }
  return undefined;
}

function sourceOf(e: NonNullable<ContainerSpec['env']>[number]): EnvSource {
  const from = e.valueFrom as
    | { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string }; resourceFieldRef?: { resource: string } }
    | undefined;
  if (from?.secretKeyRef) return { kind: 'secret', name: from.secretKeyRef.name, key: from.secretKeyRef.key };
  if (from?.configMapKeyRef) return { kind: 'configMap', name: from.configMapKeyRef.name, key: from.configMapKeyRef.key };
  if (from?.fieldRef) return { kind: 'field', fieldPath: from.fieldRef.fieldPath };
  if (from?.resourceFieldRef) return { kind: 'resource', resource: from.resourceFieldRef.resource };
  return { kind: 'value', value: e.value ?? '' };
}

/**
 * The environment of every container the rendered manifests run, one entry per container: the
 * manifest side of the drift check (each service's list lives in one place, its Deployment's `env`).
 */
export function extractEnvironment(documents: K8sDocument[]): ContainerEnvironment[] {
  return podWorkloads(documents).flatMap((w) =>
    w.containers.map((c) => ({
      resource: w.resource,
      container: c.name,
      service: serviceOfContainer(c),
      variables: (c.env ?? []).map((e) => ({ name: e.name, source: sourceOf(e) })),
      envFrom: (c.envFrom ?? []).map((f) => {
        const ref = (f.secretRef ?? f.configMapRef) as { name?: string } | undefined;
        return `${f.secretRef ? 'Secret' : 'ConfigMap'} ${ref?.name ?? '?'}`;
      }),
    })),
  );
}
