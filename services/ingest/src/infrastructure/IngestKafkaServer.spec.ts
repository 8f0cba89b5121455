import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { IngestKafkaServer } from './IngestKafkaServer';
import { IngestModule } from './IngestModule';
import { KafkaLogFilter } from './KafkaLogFilter';

describe('IngestKafkaServer', () => {
  it("registers the controller's handlers under the configured topic names", async () => {
    const topics = { datasets: 'prod.ocmf', metrologyLog: 'prod.log', faults: 'prod.faults', ocppFrames: 'prod.frames' };
    const server = IngestKafkaServer.create(
      { brokers: ['127.0.0.1:1'], clientId: 'c', groupId: 'g', topics, maxBytesPerPartition: 1 << 20, maxBytes: 8 << 20, connection: {} },
      new KafkaLogFilter({ error: jest.fn(), warn: jest.fn(), log: jest.fn(), debug: jest.fn() }),
    );
    const app = await NestFactory.createMicroservice(IngestModule.forLedger(new Ledger(new SqliteEventStore(':memory:'))), { strategy: server, logger: false });
    await app.init();
    expect([...server.getHandlers().keys()].sort()).toEqual(['prod.faults', 'prod.frames', 'prod.log', 'prod.ocmf']);
    expect(IngestKafkaServer.groupIdOf({ groupId: 'g' })).toBe('g-server');
    await app.close();
  });
});
