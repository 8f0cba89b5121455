import { createHash } from 'node:crypto';

/** Hash of the stream's start: what the first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Each event's hash covers the previous event's hash, its stream, position, type and data text
 * exactly as stored. Editing, inserting, removing or reordering any stored event changes a hash
 * from that point on, so `verifyChain` finds the first break.
 */
export function chainHash(prevHash: string, streamId: string, revision: number, type: string, dataText: string): string {
  return createHash('sha256').update(`${prevHash}\n${streamId}\n${revision}\n${type}\n${dataText}`).digest('hex');
}

export interface ChainLink {
  streamId: string;
  revision: number;
  type: string;
  dataText: string;
  prevHash: string;
  hash: string;
}

export type ChainCheck = { ok: true; events: number; head: string } | { ok: false; events: number; revision: number; reason: string };

/** Checks one link against the hash before it: the new head hash, or the break. */
function step(link: ChainLink, n: number, prev: string): { head: string } | { ok: false; events: number; revision: number; reason: string } {
  if (link.revision !== n) return { ok: false, events: n, revision: link.revision, reason: `revision ${link.revision} where ${n} was expected (event missing or moved)` };
  if (link.prevHash !== prev) return { ok: false, events: n, revision: n, reason: 'previous-hash does not match the event before it' };
  const h = chainHash(prev, link.streamId, link.revision, link.type, link.dataText);
  if (h !== link.hash) return { ok: false, events: n, revision: n, reason: 'event content does not match its hash (edited after recording)' };
  return { head: h };
}

export function verifyChain(links: Iterable<ChainLink>): ChainCheck {
  let prev = GENESIS_HASH;
  let n = 0;
  for (const link of links) {
    const r = step(link, n, prev);
    if (!('head' in r)) return r;
    prev = r.head;
    n++;
  }
  return { ok: true, events: n, head: prev };
}

/** The same check over a stream read page by page: memory stays at one page, whatever the stream's length. */
export async function verifyChainAsync(links: AsyncIterable<ChainLink>): Promise<ChainCheck> {
  let prev = GENESIS_HASH;
  let n = 0;
  for await (const link of links) {
    const r = step(link, n, prev);
    if (!('head' in r)) return r;
    prev = r.head;
    n++;
  }
  return { ok: true, events: n, head: prev };
}
