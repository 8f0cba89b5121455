import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

const root = join(__dirname, '..', '..', '..', '..');
// The jars scripts/kafka.sh fetched: its KAFKA_HOME when set (as the script reads it), else the repository's .kafka.
const libs = join(process.env.KAFKA_HOME ?? join(root, '.kafka'), 'libs');
const log4j = `-Dlog4j.configuration=file:${join(root, 'scripts', 'kafka', 'log4j.properties')}`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * A Kafka broker of this test's own (KRaft, the jars scripts/kafka.sh fetched into .kafka/libs), on
 * free ports and a temporary data directory, so a test may stop and restart it. The shared broker
 * on 19092 is never touched.
 */
export class OwnKafkaBroker {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly props: string,
  ) {}

  static async create(): Promise<OwnKafkaBroker> {
    if (!existsSync(join(libs, '.complete'))) throw new Error(`no Kafka jars in ${libs}: run scripts/kafka.sh start once to fetch them`);
    const [port, controller] = [await freePort(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), 'ocpp-edge-kafka-'));
    const props = join(dir, 'server.properties');
    writeFileSync(
      props,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controller}`,
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        'inter.broker.listener.name=PLAINTEXT',
        `log.dirs=${join(dir, 'data')}`,
        'num.partitions=1',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'auto.create.topics.enable=false',
      ].join('\n'),
    );
    const java = (args: string[]) => execFileSync('java', [log4j, '-cp', `${libs}/*`, ...args], { encoding: 'utf8' }).trim();
    java(['kafka.tools.StorageTool', 'format', '-t', java(['kafka.tools.StorageTool', 'random-uuid']), '-c', props, '--ignore-formatted']);
    const broker = new OwnKafkaBroker(port, dir, props);
    await broker.start();
    return broker;
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Starts the broker (again, on the same data) and waits until it answers metadata requests. */
  async start(timeoutMs = 90_000): Promise<void> {
    this.child = spawn('java', ['-Xmx384m', log4j, '-cp', `${libs}/*`, 'kafka.Kafka', this.props], { stdio: 'ignore' });
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`the test broker exited with ${this.child.exitCode}`);
      const admin = new Kafka({ brokers: this.brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
      try {
        await admin.connect();
        await admin.fetchTopicMetadata({ topics: [] });
        return;
      } catch {
        if (Date.now() > until) throw new Error(`the test broker did not answer within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    }
  }

  /** Stops the broker this test started (SIGTERM: a clean shutdown) and waits until it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
