import { KafkaJSProtocolError, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { BackOff } from './BackOff';
import { BrokerNotReady } from './KafkaBrokerProbe';
import { KafkaConsumerSupervisor, type SupervisedConsumer } from './KafkaConsumerSupervisor';
import { Readiness } from '@metrology-ledger/service-runtime';

// kafkajs's typings declare no constructor arguments for this error; at run time it takes the message.
const saslFailure = (message: string) => new (KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error)(message);

const notHosted = () => new KafkaJSProtocolError({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true, message: 'This server does not host this topic-partition' } as never);

function setup(probeFailures: (() => Error)[], startFailures: (() => Error)[], missing: string[] = []) {
  const readiness = new Readiness();
  const log: string[] = [];
  const pauses: number[] = [];
  const states: string[] = [];
  const fatal: unknown[] = [];
  const calls: string[] = [];
  const probe = {
    check: async () => {
      calls.push('probe');
      const failure = probeFailures.shift();
      if (failure) throw failure();
      return { missing };
    },
  };
  const consumer: SupervisedConsumer = {
    start: async () => {
      calls.push('start');
      const failure = startFailures.shift();
      if (failure) throw failure();
    },
    stop: async () => void calls.push('stop'),
  };
  let held = 0;
  const supervisor = new KafkaConsumerSupervisor({
    probe,
    backOff: new BackOff({ initialMs: 500, maxMs: 2_000 }),
    readiness,
    logger: { log: (m) => log.push(`log ${m}`), warn: (m) => log.push(`warn ${m}`) },
    groupId: 'metrology-ingest-server',
    onFatal: (e) => fatal.push(e),
    heldBack: () => {
      const n = held;
      held = 0;
      return n;
    },
    sleep: async (ms) => {
      pauses.push(ms);
      states.push(String(readiness));
      held += 7; // what kafkajs would have logged meanwhile
    },
  });
  return { supervisor, consumer, readiness, log, pauses, states, fatal, calls };
}

describe('KafkaConsumerSupervisor', () => {
  it('waits out a young broker with capped back-off and one summarising line per retry, then starts the consumer', async () => {
    const young = () => new BrokerNotReady('topic ocmf-datasets: partitions 0, 1 without a leader yet');
    const s = setup([young, young, young, young], [notHosted]);
    await s.supervisor.start(s.consumer);
    expect(s.pauses).toEqual([500, 1_000, 2_000, 2_000, 2_000]);
    expect(s.calls).toEqual(['probe', 'stop', 'probe', 'stop', 'probe', 'stop', 'probe', 'stop', 'probe', 'start', 'stop', 'probe', 'start']);
    expect(s.log).toHaveLength(5);
    expect(s.log[0]).toBe('warn Kafka not ready: topic ocmf-datasets: partitions 0, 1 without a leader yet; retry 1 in 0.5 s');
    expect(s.log[1]).toBe('warn Kafka not ready: topic ocmf-datasets: partitions 0, 1 without a leader yet; retry 2 in 1 s (7 transient kafkajs errors not logged)');
    expect(s.log[4]).toBe('warn Kafka not ready: KafkaJSProtocolError: This server does not host this topic-partition; retry 5 in 2 s (7 transient kafkajs errors not logged)');
    expect(s.states[0]).toBe('not ready: kafka: topic ocmf-datasets: partitions 0, 1 without a leader yet; retry 1 in 0.5 s');
    expect(String(s.readiness)).toBe('not ready: kafka: joining consumer group metrology-ingest-server');
    s.supervisor.joined();
    expect(String(s.readiness)).toBe('ready');
    expect(s.fatal).toEqual([]);
  });

  it('says which topics the brokers do not have when subscribing fails', async () => {
    const s = setup([], [notHosted], ['station-faults']);
    await s.supervisor.start(s.consumer);
    expect(s.log[0]).toBe(
      'warn Kafka not ready: KafkaJSProtocolError: This server does not host this topic-partition (topics not on the brokers: station-faults; they are created on subscription only where the broker allows auto-creation); retry 1 in 0.5 s',
    );
    expect(String(s.readiness)).toBe('not ready: kafka: joining consumer group metrology-ingest-server (topics not on the brokers yet: station-faults)');
  });

  it('stops at once on a failure waiting will not cure', async () => {
    const denied = saslFailure('SASL PLAIN authentication failed');
    const s = setup([], [() => denied]);
    await expect(s.supervisor.start(s.consumer)).rejects.toBe(denied);
    expect(s.pauses).toEqual([]);
  });

  it('is not ready after a crash kafkajs restarts from, until the consumer has joined again', async () => {
    const s = setup([], []);
    await s.supervisor.start(s.consumer);
    s.supervisor.joined();
    s.supervisor.crashed(new Error('The group coordinator is not available'), true);
    expect(String(s.readiness)).toBe('not ready: kafka: consumer stopped (Error: The group coordinator is not available); kafkajs restarts it');
    expect(s.calls).toEqual(['probe', 'start']);
    s.supervisor.joined();
    expect(String(s.readiness)).toBe('ready');
  });

  it('restarts the consumer itself after a transient crash kafkajs does not restart from, and reports any other as fatal', async () => {
    const s = setup([], []);
    await s.supervisor.start(s.consumer);
    s.supervisor.crashed(notHosted(), false);
    await new Promise((r) => setImmediate(r));
    expect(s.calls).toEqual(['probe', 'start', 'stop', 'probe', 'start']);
    expect(s.fatal).toEqual([]);
    const denied = saslFailure('SASL PLAIN authentication failed');
    s.supervisor.crashed(denied, false);
    expect(s.fatal).toEqual([denied]);
  });

  it('ignores crashes once stopping, and stops waiting', async () => {
    const s = setup([() => new BrokerNotReady('no leader'), () => new BrokerNotReady('no leader')], []);
    const starting = s.supervisor.start(s.consumer);
    s.supervisor.stop();
    await expect(starting).rejects.toThrow('stopped retrying');
    s.supervisor.crashed(saslFailure('x'), false);
    expect(s.fatal).toEqual([]);
    expect(String(s.readiness)).toBe('not ready: kafka: stopping');
  });
});
