import { fieldPath } from '../fieldPath';
import { CrdSchemaSet } from './CrdSchemaSet';
import { findUnknownFields } from './findUnknownFields';
import type { JsonSchema } from './JsonSchema';
import { crdDir } from '../testing/paths';

const paths = (value: unknown, schema: JsonSchema, skip?: Set<string>) => findUnknownFields(value, schema, skip).map((u) => fieldPath(u.path));

describe('findUnknownFields', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          replicas: { type: 'integer' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
          either: { anyOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object', properties: { b: { type: 'string' } } }] },
          pruned: { type: 'object' },
        },
      },
    },
  };

  it('reports fields the schema does not define, at any depth', () => {
    expect(paths({ spec: { replicas: 1, replica: 2, items: [{ name: 'a' }, { nmae: 'b' }] }, status: {} }, schema)).toEqual(['spec.replica', 'spec.items[1].nmae', 'status']);
  });

  it('allows what the schema leaves open: maps, preserved fields, every alternative of anyOf', () => {
    expect(paths({ spec: { labels: { x: 'y' }, config: { 'min.insync.replicas': 2, nested: { deep: true } }, either: { a: '1', b: '2' } } }, schema)).toEqual([]);
  });

  it('treats an object schema without properties as pruning everything (as the API server does)', () => {
    expect(paths({ spec: { pruned: { anything: 1 } } }, schema)).toEqual(['spec.pruned.anything']);
  });

  it('skips the top-level fields checked elsewhere', () => {
    expect(paths({ metadata: { name: 'a' } }, schema, new Set(['metadata']))).toEqual([]);
  });

  it('walks the real Strimzi schemas: a node pool with a misplaced field and free-form JVM options', () => {
    const crds = CrdSchemaSet.load(crdDir);
    const lookup = crds.lookup('kafka.strimzi.io/v1', 'KafkaNodePool');
    if (!lookup.found) throw new Error('KafkaNodePool CRD not found');
    const pool = {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaNodePool',
      metadata: { name: 'brokers', labels: { 'strimzi.io/cluster': 'c' } },
      spec: { replicas: 3, roles: ['broker'], storage: { type: 'persistent-claim', size: '10Gi', deleteClaims: true }, jvmOptions: { '-Xmx': '1g' }, resources: { requests: { cpu: '1' } } },
    };
    expect(paths(pool, lookup.schema, new Set(['metadata']))).toEqual(['spec.storage.deleteClaims']);
  });
});
