/**
 * Whether the edge can take stations, with the reason when it cannot: each part that can hold it back
 * (`kafka`: the producer is connected; `listener`: the WebSocket listener is up and not shutting
 * down) reports under its own name; the edge is ready when none holds it back. Served at
 * /health/ready (EdgeHealthController). As services/ingest's Readiness.
 */
export class EdgeReadiness {
  private readonly failing = new Map<string, string>();

  /** `part` cannot work, and why (replaces its previous reason). */
  fail(part: string, reason: string): void {
    this.failing.set(part, reason);
  }

  /** `part` works again. */
  ok(part: string): void {
    this.failing.delete(part);
  }

  /** Why `part` cannot work; undefined while it works. */
  reasonOf(part: string): string | undefined {
    return this.failing.get(part);
  }

  get ready(): boolean {
    return this.failing.size === 0;
  }

  toString(): string {
    return this.ready ? 'ready' : `not ready: ${[...this.failing].map(([part, reason]) => `${part}: ${reason}`).join('; ')}`;
  }
}
