import { Controller, Get, Inject } from '@nestjs/common';
import { HEALTH_ROUTE } from '@metrology-ledger/service-runtime';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Readiness } from '@metrology-ledger/service-runtime';
import type { LedgerStoreProbe } from '@metrology-ledger/ledger';

/** What readiness is made of: the parts' own reports (Kafka consumer, record retries) and a store probe. */
export interface IngestProbes {
  readiness: Readiness;
  store: LedgerStoreProbe;
}

export const INGEST_PROBES = Symbol('IngestProbes');

/**
 * The orchestrator's probes (@nestjs/terminus): `/health/live` is up while the process serves HTTP;
 * `/health/ready` is up when the Kafka consumer has joined its group and the ledger's store answers
 * (and no record is being retried), else 503 naming the part that is down and why.
 */
@Controller(HEALTH_ROUTE.base)
export class IngestHealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(INGEST_PROBES) private readonly probes: IngestProbes,
  ) {}

  @Get(HEALTH_ROUTE.live)
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up()]);
  }

  @Get(HEALTH_ROUTE.ready)
  @HealthCheck()
  ready() {
    return this.health.check([() => this.kafka(), () => this.ledger()]);
  }

  private kafka() {
    const indicator = this.indicators.check('kafka');
    const reason = this.probes.readiness.reasonOf('kafka');
    return reason === undefined ? indicator.up() : indicator.down({ reason });
  }

  private async ledger() {
    const indicator = this.indicators.check('ledger');
    const reason = this.probes.readiness.reasonOf('ledger');
    if (reason !== undefined) return indicator.down({ reason });
    try {
      await this.probes.store.check();
      return indicator.up();
    } catch (e) {
      return indicator.down({ reason: (e as Error).message });
    }
  }
}
