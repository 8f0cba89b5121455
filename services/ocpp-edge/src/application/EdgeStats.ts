import type { RefusalCode } from '../domain/HandshakeRefusal';

/** Counters of one edge process, for tests (the Prometheus metrics are EdgeMetrics). */
export class EdgeStats {
  connected = 0;
  refused: Partial<Record<RefusalCode, number>> = {};
  badFrames = 0;
  closedForBadFrames = 0;
  oversizeFrames = 0;
  framesStored = 0;
  framesNotStored = 0;
  replacedConnections = 0;

  refusal(code: RefusalCode): void {
    this.refused[code] = (this.refused[code] ?? 0) + 1;
  }
}
