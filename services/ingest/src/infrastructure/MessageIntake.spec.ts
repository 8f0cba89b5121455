import type { IngestOutcome, IngestPipeline } from '../application/IngestPipeline';
import { BackOff } from './BackOff';
import { MessageIntake } from './MessageIntake';
import { Readiness } from '@metrology-ledger/service-runtime';

const recorded: IngestOutcome = { kind: 'recorded', events: [], messageId: 'm-1', stationId: 'CP-1' };
const quiet = { log: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn() };

/** A pipeline whose ledger is down for the first `failures` attempts. */
function flakyPipeline(failures: number) {
  const calls: string[] = [];
  const pipeline = {
    process: async (raw: string, source: string) => {
      calls.push(`${source}:${raw}`);
      if (calls.length <= failures) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return recorded;
    },
  } as unknown as IngestPipeline;
  return { pipeline, calls };
}

describe('MessageIntake', () => {
  it('retries a message the ledger cannot take until it is recorded, with capped pauses, keeping the transport alive, and acknowledges it only then', async () => {
    const { pipeline, calls } = flakyPipeline(5);
    const pauses: number[] = [];
    const order: string[] = [];
    const readiness = new Readiness();
    const states: string[] = [];
    const intake = new MessageIntake(pipeline, {
      retry: new BackOff({ initialMs: 500, maxMs: 2_500 }),
      keepAliveEveryMs: 1_000,
      sleep: async (ms) => {
        pauses.push(ms);
        states.push(String(readiness));
      },
      readiness,
      logger: quiet,
    });
    await intake.accept({
      message: { value: 'm', topic: 't' },
      source: 'kafka:t/0@7',
      keepAlive: async () => void order.push('heartbeat'),
      recorded: async () => void order.push('commit'),
    });
    await intake.drain();
    expect(calls).toHaveLength(6);
    // back-off 500, 1000, 2000, 2500 (cap), 2500, each cut into slices of at most 1000 ms
    expect(pauses).toEqual([500, 1_000, 1_000, 1_000, 1_000, 1_000, 500, 1_000, 1_000, 500]);
    expect(order).toEqual([...pauses.map(() => 'heartbeat'), 'commit']);
    expect(states[0]).toBe('not ready: ledger: cannot record, retrying: "Error: connect ECONNREFUSED 127.0.0.1:5432"');
    expect(String(readiness)).toBe('ready');
    expect(intake.processed).toBe(1);
    expect(quiet.warn).toHaveBeenCalledWith(expect.objectContaining({ msg: expect.stringContaining('cannot record kafka:t/0@7 (attempt 1)'), attempt: 1 }));
  });

  it('ends its retries on stop, without acknowledging what was not recorded', async () => {
    const { pipeline } = flakyPipeline(Infinity);
    const intake = new MessageIntake(pipeline, { retry: new BackOff({ initialMs: 60_000, maxMs: 60_000 }), logger: quiet });
    const commit = jest.fn(async () => undefined);
    await intake.accept({ message: { value: 'm', topic: 't' }, source: 's', recorded: commit });
    await new Promise((r) => setImmediate(r));
    intake.stop();
    await intake.drain();
    expect(commit).not.toHaveBeenCalled();
    expect(intake.processed).toBe(0);
  });

  it('holds the transport back while the window is full', async () => {
    let release!: () => void;
    const held = new Promise<IngestOutcome>((r) => (release = () => r(recorded)));
    const pipeline = { process: () => held } as unknown as IngestPipeline;
    const intake = new MessageIntake(pipeline, { inFlight: 2, logger: quiet });
    await intake.accept({ message: { value: 'a', topic: 't' }, source: 's' });
    let second = false;
    const next = intake.accept({ message: { value: 'b', topic: 't' }, source: 's' }).then(() => (second = true));
    await new Promise((r) => setImmediate(r));
    expect(second).toBe(false);
    release();
    await next;
    await intake.drain();
    expect(intake.processed).toBe(2);
  });

  it('takes nothing after close, neither recording nor acknowledging it, and finishes what is in flight', async () => {
    let release!: () => void;
    const held = new Promise<IngestOutcome>((r) => (release = () => r(recorded)));
    const processed: string[] = [];
    const pipeline = { process: (raw: string) => (processed.push(raw), held) } as unknown as IngestPipeline;
    const intake = new MessageIntake(pipeline, { logger: quiet });
    const acknowledged: string[] = [];
    await intake.accept({ message: { value: 'in flight', topic: 't' }, source: 's', recorded: async () => void acknowledged.push('in flight') });
    intake.close();
    await intake.accept({ message: { value: 'late', topic: 't' }, source: 's', recorded: async () => void acknowledged.push('late') });
    expect(intake.inFlight).toBe(1);
    release();
    await intake.drain();
    expect(processed).toEqual(['in flight']);
    expect(acknowledged).toEqual(['in flight']);
    expect(intake.inFlight).toBe(0);
  });

  it('logs one line per rejection with the station, the message id and the Kafka position', async () => {
    const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn() };
    const rejected: IngestOutcome = { kind: 'rejected', code: 'invalid-signature', reason: 'the signature does not verify', events: [], messageId: 'CP-7:ocmf:3', stationId: 'CP-7' };
    const intake = new MessageIntake({ process: async () => rejected } as unknown as IngestPipeline, { logger });
    await intake.accept({ message: { value: 'x', topic: 'ocmf-datasets' }, source: 'kafka:ocmf-datasets/1@99', position: { topic: 'ocmf-datasets', partition: 1, offset: '99' } });
    await intake.drain();
    expect(logger.log).toHaveBeenCalledTimes(1);
    expect(logger.log).toHaveBeenCalledWith({
      msg: 'rejected kafka:ocmf-datasets/1@99: invalid-signature: the signature does not verify',
      code: 'invalid-signature',
      stationId: 'CP-7',
      messageId: 'CP-7:ocmf:3',
      topic: 'ocmf-datasets',
      partition: 1,
      offset: '99',
    });
  });
});
