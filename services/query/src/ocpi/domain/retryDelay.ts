/** Back-off of a failed CDR push: doubling from `minMs` up to `maxMs`, so an eMSP that is down for a day is asked a few times an hour, never given up. */
export function retryDelay(attempts: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
}
