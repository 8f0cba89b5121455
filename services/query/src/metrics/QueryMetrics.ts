import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestObserver } from '../http/measureRequests';
import type { ReadModelObserver } from '../readmodel/ReadModelFollower';

/**
 * The service's Prometheus metrics, in a registry of its own (with Node's process metrics): HTTP
 * request duration by method, route template and status, and how far the read model was behind the
 * ledger at its latest catch-up.
 */
export class QueryMetrics implements RequestObserver, ReadModelObserver {
  readonly registry = new Registry();

  private readonly requests = new Histogram({
    name: 'query_http_request_duration_seconds',
    help: 'HTTP requests by method, route template (e.g. /emsp/sessions/:transactionId; "unmatched" without a route) and status, seconds until the answer was complete',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  private readonly lag = new Gauge({
    name: 'query_read_model_lag_events',
    help: 'Ledger events the read model was behind when its latest catch-up began (the events that catch-up applied); every QUERY_REFRESH_MS',
    registers: [this.registry],
  });

  private readonly caughtUpAt = new Gauge({
    name: 'query_read_model_caught_up_timestamp_seconds',
    help: 'When the read model last caught up with the ledger (Unix time, seconds); 0 before the first catch-up',
    registers: [this.registry],
  });

  private readonly catchUpSeconds = new Histogram({
    name: 'query_read_model_catch_up_duration_seconds',
    help: 'Time one catch-up of the read model took, seconds',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300],
    registers: [this.registry],
  });

  private readonly failures = new Counter({
    name: 'query_read_model_catch_up_failures_total',
    help: 'Catch-ups of the read model that failed (the ledger could not be read); the next one tries again',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.caughtUpAt.set(0);
  }

  /** The histogram's child per label set (methods × route templates × statuses: bounded), so a request does not hash its labels. */
  private readonly requestSeries = new Map<string, { observe(seconds: number): void }>();

  requestDone(method: string, route: string, status: number | 'aborted', seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.requestSeries.get(key);
    if (!series) this.requestSeries.set(key, (series = this.requests.labels({ method, route, status: String(status) })));
    series.observe(seconds);
  }

  caughtUp(events: number, seconds: number): void {
    this.lag.set(events);
    this.caughtUpAt.set(Date.now() / 1000);
    this.catchUpSeconds.observe(seconds);
  }

  failed(): void {
    this.failures.inc();
  }
}
