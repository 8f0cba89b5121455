import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { KafkaContext } from '@nestjs/microservices';
import { throwError } from 'rxjs';
import { IngestKafkaServer } from './IngestKafkaServer';
import { KafkaLogFilter } from './KafkaLogFilter';
import type { TransportMessage } from './TransportMessage';

const topics = { datasets: 'd', metrologyLog: 'l', faults: 'f', ocppFrames: 'o' };

function server(): IngestKafkaServer {
  return IngestKafkaServer.create(
    { brokers: ['127.0.0.1:1'], clientId: 'c', groupId: 'g', topics, maxBytesPerPartition: 1 << 20, maxBytes: 8 << 20, connection: {} },
    new KafkaLogFilter({ error: jest.fn(), warn: jest.fn(), log: jest.fn(), debug: jest.fn() }),
  );
}

const record = (offset: number, value: string, key = 'CP-1'): KafkaMessage => ({ offset: String(offset), value: Buffer.from(value), key: Buffer.from(key), timestamp: '0', attributes: 0, headers: {} });

function payload(messages: KafkaMessage[], log: string[], stale: () => boolean = () => false): EachBatchPayload {
  return {
    batch: { topic: 'd', partition: 3, messages, highWatermark: '100', isEmpty: () => false, firstOffset: () => '0', lastOffset: () => '0', offsetLag: () => '0', offsetLagLow: () => '0' },
    resolveOffset: (o: string) => log.push(`resolved ${o}`),
    heartbeat: async () => void log.push('heartbeat'),
    commitOffsetsIfNecessary: async () => undefined,
    uncommittedOffsets: () => ({ topics: [] }),
    isRunning: () => true,
    isStale: stale,
    pause: () => () => undefined,
  };
}

describe('IngestKafkaServer: a fetched batch', () => {
  it("hands each record to its topic's handler in offset order, as bytes with its position, and marks it consumed once handed over", async () => {
    const s = server();
    const log: string[] = [];
    s.addHandler(
      'ocmf-datasets',
      async (m: TransportMessage, ctx: KafkaContext) => {
        log.push(`handled ${m.offset} ${Buffer.from(m.value as Uint8Array).toString()} key ${m.key} partition ${ctx.getPartition()}`);
      },
      true,
    );
    await s.handleBatch(payload([record(7, '{"a":1}'), record(8, '{"b":2}')], log));
    expect(log).toEqual(['handled 7 {"a":1} key CP-1 partition 3', 'resolved 7', 'handled 8 {"b":2} key CP-1 partition 3', 'resolved 8', 'heartbeat']);
  });

  it('stops at a rebalance: what is not handed over stays unconsumed (delivered again)', async () => {
    const s = server();
    const log: string[] = [];
    let n = 0;
    s.addHandler('ocmf-datasets', async (m: TransportMessage) => void log.push(`handled ${m.offset}`), true);
    await s.handleBatch(payload([record(1, '{}'), record(2, '{}'), record(3, '{}')], log, () => ++n > 2));
    expect(log).toEqual(['handled 1', 'resolved 1', 'handled 2', 'resolved 2']);
  });

  it('stops when paused for shutdown: the rest of the batch is neither handed over nor marked consumed', async () => {
    const s = server();
    const log: string[] = [];
    s.addHandler(
      'ocmf-datasets',
      async (m: TransportMessage) => {
        log.push(`handled ${m.offset}`);
        if (m.offset === '1') s.pause();
      },
      true,
    );
    await s.handleBatch(payload([record(1, '{}'), record(2, '{}')], log));
    expect(log).toEqual(['handled 1', 'resolved 1']);
  });

  it('a handler failing (Nest hands back an erroring Observable) fails the batch before its record is marked consumed', async () => {
    const s = server();
    const log: string[] = [];
    s.addHandler(
      'ocmf-datasets',
      async (m: TransportMessage) => {
        log.push(`handled ${m.offset}`);
        return m.offset === '2' ? throwError(() => new Error('intake failed')) : undefined;
      },
      true,
    );
    await expect(s.handleBatch(payload([record(1, '{}'), record(2, '{}'), record(3, '{}')], log))).rejects.toThrow('intake failed');
    expect(log).toEqual(['handled 1', 'resolved 1', 'handled 2']);
  });
});
