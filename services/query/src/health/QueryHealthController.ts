import { Controller, Get, Inject } from '@nestjs/common';
import { HEALTH_ROUTE } from '@metrology-ledger/service-runtime';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/RolesGuard';
import type { SessionStore } from '../readmodel/SessionStore';
import type { LedgerStoreProbe } from '@metrology-ledger/ledger';

/** What readiness asks: the ledger's store, the read model's store, and whether the read model caught up once. */
export interface QueryProbes {
  store: LedgerStoreProbe;
  sessions: SessionStore;
  readModel: { readonly caughtUpOnce: boolean };
  /** Longest wait for the read model's store, ms. */
  timeoutMs?: number;
}

export const QUERY_PROBES = Symbol('QueryProbes');

/**
 * The orchestrator's probes (@nestjs/terminus), without a key like `/verify`: they answer up or down
 * and, when down, the failing dependency's name (`ledger`, `readModel`), nothing else — no reason, no
 * address, no count. `/health/live`: the process serves HTTP. `/health/ready`: the ledger's store
 * answers, the read model's store answers and the read model has caught up with the ledger once.
 */
@ApiTags('health')
@Public()
@Controller(HEALTH_ROUTE.base)
export class QueryHealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(QUERY_PROBES) private readonly probes: QueryProbes,
  ) {}

  @Get(HEALTH_ROUTE.live)
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up()]);
  }

  @Get(HEALTH_ROUTE.ready)
  @HealthCheck()
  ready() {
    return this.health.check([() => this.ledger(), () => this.readModel()]);
  }

  private async ledger() {
    const indicator = this.indicators.check('ledger');
    try {
      await this.probes.store.check();
      return indicator.up();
    } catch {
      return indicator.down();
    }
  }

  private async readModel() {
    const indicator = this.indicators.check('readModel');
    if (!this.probes.readModel.caughtUpOnce) return indicator.down();
    try {
      await withTimeout(this.probes.sessions.get('', ''), this.probes.timeoutMs ?? 3_000);
      return indicator.up();
    } catch {
      return indicator.down();
    }
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
