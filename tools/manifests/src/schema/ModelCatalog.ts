import { apiGroupOf } from '../K8sDocument';

/** A kubernetes-models class: validate() checks `this` against the compiled schema and throws if it fails. */
export interface ModelClass {
  apiVersion: string;
  kind: string;
  prototype: { validate(this: unknown): void };
}

/** API groups of the @kubernetes-models third-party packages this project uses. */
const THIRD_PARTY: Record<string, string> = {
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
  'cert-manager.io': '@kubernetes-models/cert-manager',
};

/** Built-in API groups (kubernetes-models): the core group, the unqualified ones and *.k8s.io. */
const BUILT_IN = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'extensions']);

/** The package module that holds an apiVersion's models, or undefined if none of ours does. */
export function modelModuleFor(apiVersion: string): string | undefined {
  const group = apiGroupOf(apiVersion);
  if (THIRD_PARTY[group]) return `${THIRD_PARTY[group]}/${apiVersion}`;
  if (BUILT_IN.has(group) || group.endsWith('.k8s.io')) return `kubernetes-models/${apiVersion}`;
  return undefined;
}

/**
 * Finds the kubernetes-models class of an apiVersion and kind. The packages are ES modules with
 * `import`-only exports, so they are loaded with import() (kept as such by TypeScript's nodenext
 * output). Undefined when no package defines the kind: an unknown kind is a problem for the caller.
 */
export class ModelCatalog {
  private readonly modules = new Map<string, Promise<Record<string, unknown> | undefined>>();

  async find(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
    const specifier = modelModuleFor(apiVersion);
    if (!specifier) return undefined;
    let mod = this.modules.get(specifier);
    if (!mod) {
      mod = import(specifier).then(
        (m: Record<string, unknown>) => m,
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || e.code === 'ERR_MODULE_NOT_FOUND') return undefined;
          throw e;
        },
      );
      this.modules.set(specifier, mod);
    }
    const candidate: unknown = (await mod)?.[kind];
    if (typeof candidate !== 'function') return undefined;
    const model = candidate as unknown as ModelClass;
    return model.apiVersion === apiVersion && model.kind === kind ? model : undefined;
  }
}
