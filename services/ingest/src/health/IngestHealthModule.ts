import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { INGEST_PROBES, IngestHealthController, type IngestProbes } from './IngestHealthController';

/**
 * The health endpoints as a Nest HTTP application of their own, beside the Kafka microservice
 * (INGEST_HEALTH_PORT). Terminus logs nothing itself: readiness changes are logged where they happen.
 */
@Module({})
export class IngestHealthModule {
  static forProbes(probes: IngestProbes): DynamicModule {
    return {
      module: IngestHealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [IngestHealthController],
      providers: [{ provide: INGEST_PROBES, useValue: probes }],
    };
  }
}
