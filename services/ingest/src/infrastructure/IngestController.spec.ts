import { KafkaContext } from '@nestjs/microservices';
import type { Consumer } from 'kafkajs';
import type { IngestPipeline } from '../application/IngestPipeline';
import { IngestController } from './IngestController';
import { MessageIntake } from './MessageIntake';

describe('IngestController', () => {
  const seen: { raw: string; source: string; key?: string }[] = [];
  const pipeline = { process: async (raw: string, source: string, key?: string) => (seen.push({ raw, source, key }), { kind: 'recorded', events: [], messageId: 'm', stationId: 'CP-1' }) } as unknown as IngestPipeline;

  it('translates a Kafka message: its position as source, the heartbeat, and the offset committed once recorded', async () => {
    const commits: unknown[] = [];
    const consumer = { commitOffsets: async (o: unknown[]) => void commits.push(...o) } as unknown as Consumer;
    const controller = new IngestController(new MessageIntake(pipeline, { logger: { log: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn() } }));
    const ctx = new KafkaContext([{} as never, 1, 'ocmf-datasets-x', consumer, async () => undefined, {} as never]);
    await controller.datasets({ value: '{"a":1}', key: 'CP-1', topic: 'ocmf-datasets-x', partition: 1, offset: '41' }, ctx);
    await controller.flushOffsets();
    expect(seen.at(-1)).toEqual({ raw: '{"a":1}', source: 'kafka:ocmf-datasets-x/1@41', key: 'CP-1' });
    expect(commits).toEqual([{ topic: 'ocmf-datasets-x', partition: 1, offset: '42' }]);
    expect(controller.processed).toBe(1);
  });

  it('translates an embedded message without offsets', async () => {
    const controller = new IngestController(new MessageIntake(pipeline));
    await controller.faults({ value: 'x', topic: 'station-faults' });
    await controller.drain();
    expect(seen.at(-1)).toEqual({ raw: 'x', source: 'embedded:station-faults', key: undefined });
  });
});
