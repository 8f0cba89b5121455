import { execFile, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';

const repo = resolve(__dirname, '..', '..', '..');
const script = join(repo, 'scripts', 'kafka.sh');

/** Topic settings of a chaos run: three replicas, two of them needed for a write (producers use acks=all). */
export const CLUSTER_TOPICS = { numPartitions: 6, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] };

/**
 * The three-node KRaft cluster of `scripts/kafka.sh cluster-*`, in a directory of its own, on ports
 * other than the shared broker's (KAFKA_CLUSTER_BASE_PORT, default 29092). It never touches the broker
 * of `scripts/kafka.sh start`.
 */
export class KafkaCluster {
  readonly brokers: string;

  constructor(
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.brokers = this.run(['cluster-brokers']).trim();
  }

  start(): void {
    this.run(['cluster-start', this.dir]);
  }

  /** Stops every node (idempotent; used on failure and on SIGINT too). */
  stop(): void {
    this.run(['cluster-stop', this.dir], false);
  }

  /** SIGKILL of node `n` (1–3): a crash, no controlled shutdown. */
  kill(n: number): Promise<void> {
    return this.runAsync(['node-kill', this.dir, String(n)]);
  }

  /** Starts node `n` again and waits until it serves (without blocking the publisher and the ingest processes' bookkeeping). */
  restart(n: number): Promise<void> {
    return this.runAsync(['node-start', this.dir, String(n)]);
  }

  admin(): Admin {
    return new Kafka({ brokers: this.brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 10 } }).admin();
  }

  /** The node leading the partition of `topic` with the most records, and that partition. */
  async busiestPartitionLeader(topic: string): Promise<{ partition: number; leader: number; records: number }> {
    const admin = this.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      const busiest = offsets.map((o) => ({ partition: o.partition, records: Number(o.high) - Number(o.low) })).sort((a, b) => b.records - a.records)[0];
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const leader = meta.topics[0].partitions.find((p) => p.partitionId === busiest.partition)!.leader;
      return { ...busiest, leader };
    } finally {
      await admin.disconnect();
    }
  }

  private runAsync(args: string[]): Promise<void> {
    return new Promise((resolve, reject) =>
      execFile(script, args, { encoding: 'utf8', env: this.env }, (error, stdout, stderr) =>
        error ? reject(new Error(`scripts/kafka.sh ${args.join(' ')} failed: ${(stderr || stdout).slice(-2000)}`)) : resolve(),
      ),
    );
  }

  private run(args: string[], check = true): string {
    const r = spawnSync(script, args, { encoding: 'utf8', env: this.env });
    if (check && r.status !== 0) throw new Error(`scripts/kafka.sh ${args.join(' ')} failed (${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
    return r.stdout;
  }
}
