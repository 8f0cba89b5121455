import type { K8sDocument } from '../K8sDocument';
import { formatProblem } from '../formatProblem';
import { crdDir } from '../testing/paths';
import { CrdSchemaSet } from './CrdSchemaSet';
import { validateAgainstCrd } from './validateAgainstCrd';

const crds = CrdSchemaSet.load(crdDir);
const topic = (spec: Record<string, unknown>, apiVersion = 'kafka.strimzi.io/v1'): K8sDocument => ({
  apiVersion,
  kind: 'KafkaTopic',
  metadata: { name: 'ocmf-datasets', namespace: 'metrology', labels: { 'strimzi.io/cluster': 'ledger-kafka' } },
  spec,
});
const lines = (doc: K8sDocument) => validateAgainstCrd(doc, crds, 'overlays/dev').map(formatProblem);

describe('validateAgainstCrd', () => {
  it('accepts a valid KafkaTopic (free-form config included)', () => {
    expect(lines(topic({ partitions: 12, replicas: 3, config: { 'min.insync.replicas': 2, 'retention.ms': 2592000000 } }))).toEqual([]);
  });

  it('reports a misspelled field strictly, and a value out of bounds', () => {
    expect(lines(topic({ partitons: 12, replicas: 0 }))).toEqual([
      'overlays/dev: KafkaTopic metrology/ocmf-datasets: spec.replicas: must be >= 1 (kafkatopics.kafka.strimzi.io (043-Crd-kafkatopic.yaml)) [schema]',
      'overlays/dev: KafkaTopic metrology/ocmf-datasets: spec.partitons: field not defined by the schema of kafka.strimzi.io/v1 KafkaTopic (kafkatopics.kafka.strimzi.io (043-Crd-kafkatopic.yaml)): misspelled or misplaced? The API server would drop it [unknown-field]',
    ]);
  });

  it('reports a missing required field and an enum value not allowed', () => {
    const kafka: K8sDocument = { apiVersion: 'kafka.strimzi.io/v1', kind: 'Kafka', metadata: { name: 'k', namespace: 'm' }, spec: { kafka: { listeners: [{ name: 'tls', port: 9093, type: 'internal', tls: true, authentication: { type: 'scram' } }] } } };
    expect(lines(kafka)).toEqual([expect.stringMatching(/spec\.kafka\.listeners\[0\]\.authentication\.type: must be equal to one of the allowed values: "tls", "scram-sha-512", "custom" .*\[schema\]$/)]);
    const user: K8sDocument = { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser', metadata: { name: 'u', namespace: 'm' } };
    expect(lines({ ...user, spec: { authorization: { acls: [] } } })).toEqual([expect.stringMatching(/spec\.authorization: required field "type" is missing .*\[schema\]$/)]);
  });

  it('reports a version the CRD does not serve as an unknown kind', () => {
    expect(lines(topic({ partitions: 1 }, 'kafka.strimzi.io/v1beta2'))).toEqual([
      'overlays/dev: KafkaTopic metrology/ocmf-datasets: kafka.strimzi.io/v1beta2 is not a version the CRD serves (served: kafka.strimzi.io/v1) [unknown-kind]',
    ]);
  });
});
