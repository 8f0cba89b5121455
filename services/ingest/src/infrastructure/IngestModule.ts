import { Module, type DynamicModule } from '@nestjs/common';
import type { Ledger } from '@metrology-ledger/ledger';
import { IngestPipeline } from '../application/IngestPipeline';
import { IngestController } from './IngestController';

/** Wires the pipeline to a ledger; the transport (Kafka or embedded) is chosen by whoever starts it. */
@Module({})
export class IngestModule {
  static forLedger(ledger: Ledger): DynamicModule {
    return {
      module: IngestModule,
      controllers: [IngestController],
      providers: [{ provide: IngestPipeline, useFactory: () => new IngestPipeline(ledger) }],
    };
  }
}
