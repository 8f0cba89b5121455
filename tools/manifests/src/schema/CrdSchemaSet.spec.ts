import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crdDir } from '../testing/paths';
import { CrdSchemaSet } from './CrdSchemaSet';

describe('CrdSchemaSet', () => {
  const crds = CrdSchemaSet.load(crdDir);

  it('reads the Strimzi CRDs kept as data: v1 is the one version served', () => {
    expect(crds.groups).toEqual(new Set(['kafka.strimzi.io']));
    expect(crds.size).toBe(4);
    for (const kind of ['Kafka', 'KafkaNodePool', 'KafkaTopic', 'KafkaUser']) expect(crds.lookup('kafka.strimzi.io/v1', kind).found).toBe(true);
  });

  it('says why there is no schema: a version not served, a kind not defined', () => {
    expect(crds.lookup('kafka.strimzi.io/v1beta2', 'KafkaTopic')).toEqual({ found: false, reason: 'version-not-served', served: ['kafka.strimzi.io/v1'] });
    expect(crds.lookup('kafka.strimzi.io/v1', 'KafkaConnect')).toEqual({ found: false, reason: 'kind-unknown', served: [] });
  });

  it('is empty for a directory without CRDs (the caller reports it)', () => {
    const empty = mkdtempSync(join(tmpdir(), 'crds-'));
    try {
      expect(CrdSchemaSet.load(empty).size).toBe(0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect(() => CrdSchemaSet.load('/nonexistent/crds')).toThrow(/ENOENT/);
  });
});
