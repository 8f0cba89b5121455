import { KafkaJSProtocolError, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { BrokerNotReady, KafkaBrokerProbe, type ProbeAdmin } from './KafkaBrokerProbe';

// kafkajs's typings declare no constructor arguments for this error; at run time it takes the message.
const saslFailure = (message: string) => new (KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error)(message);

type Metadata = Awaited<ReturnType<ProbeAdmin['fetchTopicMetadata']>>;

function admin(metadata: () => Promise<Metadata>, groups: () => Promise<unknown> = async () => ({ groups: [] }), topics = ['a', 'b', 'ocmf-datasets']) {
  const calls: string[] = [];
  const a: ProbeAdmin = {
    connect: async () => void calls.push('connect'),
    disconnect: async () => void calls.push('disconnect'),
    listTopics: async () => topics,
    fetchTopicMetadata: async (o) => (calls.push(`metadata ${o.topics.join(',')}`), metadata()),
    describeGroups: async (ids) => (calls.push(`group ${ids.join(',')}`), groups()),
  };
  return { a, calls };
}

const led = (name: string, leaders: number[]) => ({ name, partitions: leaders.map((leader, partitionId) => ({ partitionId, leader, partitionErrorCode: leader < 0 ? 5 : 0 })) });
const notHosted = new KafkaJSProtocolError({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true, message: 'This server does not host this topic-partition' } as never);

describe('KafkaBrokerProbe', () => {
  it('passes when every partition of every topic has a leader and the group coordinator answers', async () => {
    const { a, calls } = admin(async () => ({ topics: [led('a', [1, 1]), led('b', [1])] }));
    expect(await new KafkaBrokerProbe(() => a, ['a', 'b'], 'g-server').check()).toEqual({ missing: [] });
    expect(calls).toEqual(['connect', 'metadata a,b', 'group g-server', 'disconnect']);
  });

  it('reports topics that do not exist instead of waiting for them (subscribing creates them where the broker allows)', async () => {
    const { a, calls } = admin(async () => ({ topics: [led('a', [1])] }), undefined, ['a']);
    expect(await new KafkaBrokerProbe(() => a, ['a', 'b'], 'g').check()).toEqual({ missing: ['b'] });
    expect(calls).toEqual(['connect', 'metadata a', 'group g', 'disconnect']);
  });

  it('names the partitions without a leader', async () => {
    const { a, calls } = admin(async () => ({ topics: [led('a', [1, -1, -1]), led('b', [1])] }));
    const error = await new KafkaBrokerProbe(() => a, ['a', 'b'], 'g').check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerNotReady);
    expect((error as Error).message).toBe('topic a: partitions 1, 2 without a leader yet');
    expect(calls.at(-1)).toBe('disconnect');
  });

  it("turns a young broker's answers into BrokerNotReady naming the step", async () => {
    const { a } = admin(async () => Promise.reject(notHosted));
    await expect(new KafkaBrokerProbe(() => a, ['ocmf-datasets'], 'g').check()).rejects.toThrow('no metadata for topics ocmf-datasets yet (This server does not host this topic-partition)');
    const coordinator = new KafkaJSProtocolError({ type: 'GROUP_COORDINATOR_NOT_AVAILABLE', code: 15, retriable: true, message: 'The group coordinator is not available' } as never);
    const { a: b } = admin(async () => ({ topics: [led('a', [1])] }), async () => Promise.reject(coordinator));
    await expect(new KafkaBrokerProbe(() => b, ['a'], 'g').check()).rejects.toThrow('no coordinator for consumer group g yet (The group coordinator is not available)');
  });

  it('passes on what is not transient', async () => {
    const denied = saslFailure('SASL PLAIN authentication failed');
    const { a } = admin(async () => Promise.reject(denied));
    await expect(new KafkaBrokerProbe(() => a, ['a'], 'g').check()).rejects.toBe(denied);
  });
});
