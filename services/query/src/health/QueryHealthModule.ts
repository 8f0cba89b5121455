import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { QUERY_PROBES, QueryHealthController, type QueryProbes } from './QueryHealthController';

/**
 * `/health/live` and `/health/ready` on the API's port, mounted by main.ts (createQueryApp's
 * `modules`). Terminus logs nothing itself: failed probes would otherwise fill the log.
 */
@Module({})
export class QueryHealthModule {
  static forProbes(probes: QueryProbes): DynamicModule {
    return {
      module: QueryHealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [QueryHealthController],
      providers: [{ provide: QUERY_PROBES, useValue: probes }],
    };
  }
}
