import { isTransientKafkaError } from './isTransientKafkaError';

/** The part of kafkajs's admin client the probe uses. */
export interface ProbeAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  fetchTopicMetadata(options: { topics: string[] }): Promise<{ topics: { name: string; partitions: { partitionId: number; leader: number; partitionErrorCode?: number }[] }[] }>;
  describeGroups(groupIds: string[]): Promise<unknown>;
}

/** The broker cannot serve the consumer yet; says what is missing. Transient: wait and ask again. */
export class BrokerNotReady extends Error {
  override readonly name = 'BrokerNotReady';
  readonly retriable = true;
}

/** What the probe found that does not stop the consumer from subscribing. */
export interface ProbeReport {
  /** Topics the brokers do not have: subscribing creates them where the broker allows it (auto.create.topics.enable). */
  missing: string[];
}

/**
 * Asks the brokers, before the consumer subscribes, whether they can serve it: each partition of the
 * topics that exist has a leader, and the consumer group's coordinator answers. A young broker fails
 * these for a while (leader elections, the offsets topic being created); subscribing then made the
 * consumer fail with "This server does not host this topic-partition". Topics that do not exist are
 * reported, not waited for: the consumer's subscription creates them on a broker that allows it, and
 * fails (retriably) on one that does not.
 */
export class KafkaBrokerProbe {
  constructor(
    private readonly admin: () => ProbeAdmin,
    private readonly topics: readonly string[],
    private readonly groupId: string,
  ) {}

  /** Resolves when the brokers can serve the consumer; throws BrokerNotReady (or what is not transient) otherwise. */
  async check(): Promise<ProbeReport> {
    const admin = this.admin();
    try {
      await step(`cannot reach the brokers`, () => admin.connect());
      const existing = new Set(await step('cannot list the topics yet', () => admin.listTopics()));
      const present = this.topics.filter((t) => existing.has(t));
      const missing = this.topics.filter((t) => !existing.has(t));
      const metadata = present.length > 0 ? await step(`no metadata for topics ${present.join(', ')} yet`, () => admin.fetchTopicMetadata({ topics: present })) : { topics: [] };
      const problems: string[] = [];
      for (const name of present) {
        const topic = metadata.topics.find((t) => t.name === name);
        if (!topic || topic.partitions.length === 0) {
          problems.push(`topic ${name} has no partitions yet`);
          continue;
        }
        const leaderless = topic.partitions.filter((p) => p.leader < 0 || (p.partitionErrorCode ?? 0) !== 0).map((p) => p.partitionId);
        if (leaderless.length > 0) problems.push(`topic ${name}: partition${leaderless.length > 1 ? 's' : ''} ${leaderless.join(', ')} without a leader yet`);
      }
      if (problems.length > 0) throw new BrokerNotReady(problems.join('; '));
      await step(`no coordinator for consumer group ${this.groupId} yet`, () => admin.describeGroups([this.groupId]));
      return { missing };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

/** Runs one request; a transient failure becomes BrokerNotReady saying which step, with kafkajs's words. */
async function step<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (e) {
    if (!isTransientKafkaError(e)) throw e;
    throw new BrokerNotReady(`${what} (${(e as Error).message})`, { cause: e });
  }
}
