import { setTimeout as wait } from 'node:timers/promises';

/** Waits `ms`; an aborted signal ends the wait early (without throwing). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return wait(ms, undefined, { signal }).catch(() => undefined);
}
