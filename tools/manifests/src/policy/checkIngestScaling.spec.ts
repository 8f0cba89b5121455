import { compliantDeployment, kafkaTopic, scaledObject } from '../testing/fixtures';
import { checkIngestScaling, topicPartitions } from './checkIngestScaling';

const topics = (n: number) => [kafkaTopic('ocmf-datasets', n), kafkaTopic('metrology-log', n), kafkaTopic('station-faults', n)];

describe('checkIngestScaling', () => {
  it('accepts a maximum at the partition count', () => {
    expect(checkIngestScaling([compliantDeployment('ingest'), scaledObject('ingest', 2, 12), ...topics(12)], 't')).toEqual([]);
  });

  it('rejects a maximum above the partitions of any topic ingest consumes', () => {
    const docs = [compliantDeployment('ingest'), scaledObject('ingest', 2, 12), kafkaTopic('ocmf-datasets', 12), kafkaTopic('metrology-log', 6), kafkaTopic('station-faults', 12)];
    expect(checkIngestScaling(docs, 't').map((p) => [p.resource, p.path, p.message])).toEqual([
      ['ScaledObject metrology/ingest', 'spec.maxReplicaCount', 'ScaledObject ingest allows 12 ingest replicas but topic "metrology-log" has 6 partitions: at most 6, or consumers sit idle'],
    ]);
  });

  it("takes KEDA's default maximum (100) when none is set", () => {
    const so = scaledObject('ingest', 1, 1);
    delete (so.spec as Record<string, unknown>).maxReplicaCount;
    expect(checkIngestScaling([compliantDeployment('ingest'), so, ...topics(12)], 't')).toHaveLength(3);
  });

  it('follows the topics ingest is told to read, and says when one is not defined here', () => {
    const ingest = compliantDeployment('ingest', { env: [{ name: 'KAFKA_TOPIC_DATASETS', value: 'datasets.v2' }] });
    expect(checkIngestScaling([ingest, scaledObject('ingest', 1, 4), ...topics(12)], 't').map((p) => p.message)).toEqual([
      'ingest consumes topic "datasets.v2" (KAFKA_TOPIC_DATASETS) but no KafkaTopic here defines it, so its partitions are unknown: define it with its partitions fixed up front',
    ]);
    expect(checkIngestScaling([ingest, scaledObject('ingest', 1, 4), ...topics(12), kafkaTopic('datasets-v2', 4, 'datasets.v2')], 't')).toEqual([]);
  });

  it('ignores workloads that do not run ingest', () => {
    expect(checkIngestScaling([compliantDeployment('query'), scaledObject('query', 1, 50)], 't')).toEqual([]);
  });

  it('reads partitions by topic name', () => {
    expect(topicPartitions([kafkaTopic('a', 3), kafkaTopic('b', undefined), kafkaTopic('c', 2, 'c.v1')])).toEqual(new Map([['a', 3], ['b', undefined], ['c.v1', 2]]));
  });
});
