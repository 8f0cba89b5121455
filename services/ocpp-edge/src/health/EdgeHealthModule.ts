import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EdgeHealthController } from './EdgeHealthController';
import { Readiness } from '@metrology-ledger/service-runtime';

/**
 * The health endpoints as a Nest HTTP application of their own beside the edge's application
 * context (EDGE_HEALTH_PORT), started before it so that `/health/live` answers while the edge
 * connects to Kafka. Terminus logs nothing itself: readiness changes are logged where they happen.
 */
@Module({})
export class EdgeHealthModule {
  static forReadiness(readiness: Readiness): DynamicModule {
    return {
      module: EdgeHealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [EdgeHealthController],
      providers: [{ provide: Readiness, useValue: readiness }],
    };
  }
}
