import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isObject } from '../K8sDocument';
import type { JsonSchema } from './JsonSchema';

/** What a CRD says about one apiVersion/kind: its schema, or why there is none. */
export type CrdLookup =
  | { found: true; schema: JsonSchema; crd: string }
  | { found: false; reason: 'kind-unknown' | 'version-not-served'; served: string[] };

interface CrdVersion {
  name: string;
  served: boolean;
  schema?: JsonSchema;
}

interface Crd {
  group: string;
  kind: string;
  name: string;
  file: string;
  versions: CrdVersion[];
}

/**
 * CustomResourceDefinitions kept as data (e.g. ../shared/k8s-crds/strimzi): the openAPIV3Schema of every
 * version they serve, by group and kind.
 */
export class CrdSchemaSet {
  private constructor(private readonly crds: Crd[]) {}

  /** Every CRD in the YAML files of a directory. Throws if the directory cannot be read. */
  static load(dir: string): CrdSchemaSet {
    const crds: Crd[] = [];
    for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      for (const d of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const doc: unknown = d.toJS();
        if (!isObject(doc) || doc.kind !== 'CustomResourceDefinition' || !isObject(doc.spec)) continue;
        const spec = doc.spec as { group: string; names: { kind: string }; versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema?: JsonSchema } }> };
        crds.push({
          group: spec.group,
          kind: spec.names.kind,
          name: String((doc.metadata as { name?: string } | undefined)?.name ?? `${spec.names.kind}.${spec.group}`),
          file,
          versions: spec.versions.map((v) => ({ name: v.name, served: v.served === true, schema: v.schema?.openAPIV3Schema })),
        });
      }
    }
    return new CrdSchemaSet(crds);
  }

  /** The API groups these CRDs define. */
  get groups(): ReadonlySet<string> {
    return new Set(this.crds.map((c) => c.group));
  }

  get size(): number {
    return this.crds.length;
  }

  lookup(apiVersion: string, kind: string): CrdLookup {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const crd = this.crds.find((c) => c.group === group && c.kind === kind);
    if (!crd) return { found: false, reason: 'kind-unknown', served: [] };
    const served = crd.versions.filter((v) => v.served);
    const v = served.find((s) => s.name === version);
    if (!v || !v.schema) return { found: false, reason: 'version-not-served', served: served.map((s) => `${group}/${s.name}`) };
    return { found: true, schema: v.schema, crd: `${crd.name} (${crd.file})` };
  }
}
