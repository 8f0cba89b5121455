export type ReadinessState = { ready: true } | { ready: false; reason: string };

/**
 * Whether a service can do its work, with the reason when it cannot: each part that can hold it back
 * (ingest: `kafka`, `ledger`; the edge: `kafka`, `listener`) reports under its own name; the service is
 * ready when none holds it back. Each service serves it at /health/ready.
 */
export class Readiness {
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

  get state(): ReadinessState {
    if (this.failing.size === 0) return { ready: true };
    return { ready: false, reason: [...this.failing].map(([part, reason]) => `${part}: ${reason}`).join('; ') };
  }

  toString(): string {
    const s = this.state;
    return s.ready ? 'ready' : `not ready: ${s.reason}`;
  }
}
