import { Module, type DynamicModule } from '@nestjs/common';
import type { Ledger } from '@metrology-ledger/ledger';
import { IngestPipeline, type IngestPipelineOptions } from '../application/IngestPipeline';
import { IngestController } from './IngestController';
import { MessageIntake, type MessageIntakeOptions } from './MessageIntake';

/** Settings of the module's parts; every one has a default (see IngestConfig for the service's). */
export interface IngestModuleOptions {
  pipeline?: Partial<IngestPipelineOptions>;
  intake?: Partial<MessageIntakeOptions>;
}

/** Wires the pipeline to a ledger; the transport (Kafka or embedded) is chosen by whoever starts it. */
@Module({})
export class IngestModule {
  static forLedger(ledger: Ledger, options: IngestModuleOptions = {}): DynamicModule {
    return {
      module: IngestModule,
      controllers: [IngestController],
      providers: [
        { provide: IngestPipeline, useFactory: () => new IngestPipeline(ledger, options.pipeline) },
        { provide: MessageIntake, useFactory: (pipeline: IngestPipeline) => new MessageIntake(pipeline, options.intake), inject: [IngestPipeline] },
      ],
    };
  }
}
