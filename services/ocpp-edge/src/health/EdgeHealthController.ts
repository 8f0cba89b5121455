import { Controller, Get, Inject } from '@nestjs/common';
import { HEALTH_ROUTE } from '@metrology-ledger/service-runtime';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Readiness } from '@metrology-ledger/service-runtime';

/**
 * The orchestrator's probes (@nestjs/terminus), as in services/ingest: `/health/live` is up while the
 * process serves HTTP; `/health/ready` is up when the Kafka producer is connected and the WebSocket
 * listener is up (not shutting down), else 503 naming the part that is down and why.
 */
@Controller(HEALTH_ROUTE.base)
export class EdgeHealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  @Get(HEALTH_ROUTE.live)
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up()]);
  }

  @Get(HEALTH_ROUTE.ready)
  @HealthCheck()
  ready() {
    return this.health.check([() => this.part('kafka'), () => this.part('listener')]);
  }

  private part(name: 'kafka' | 'listener') {
    const indicator = this.indicators.check(name);
    const reason = this.readiness.reasonOf(name);
    return reason === undefined ? indicator.up() : indicator.down({ reason });
  }
}
