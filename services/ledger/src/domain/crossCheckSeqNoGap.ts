import type { CounterRange } from './missingRanges';

/** The signed readings one received 2.0.1 TransactionEvent carried: its seqNo, and each dataset's key and pagination counter. */
export interface SeqNoFrame {
  seqNo: bigint;
  datasets: { publicKey: string; counter: bigint }[];
}

/**
 * What the pagination counters say about OCPP messages that never arrived:
 * - `readings-lost`: the counters between the last reading before and the first after the missing
 *   seqNos are missing from the ledger too (`missingCounters`): the lost messages carried them;
 * - `no-reading-lost`: those counters are consecutive, or every one between arrived another way: the
 *   lost messages carried no signed reading the ledger lacks;
 * - `undetermined`: no signed reading arrived before or after them in the transaction, or the two
 *   sides are signed by different keys, or the counters do not increase.
 */
export type SeqNoGapEvidence = CounterRange & { reason: string } & (
    | { verdict: 'readings-lost'; publicKey: string; missingCounters: CounterRange[] }
    | { verdict: 'no-reading-lost' | 'undetermined' }
  );

/**
 * Cross-checks one range of missing seqNos of a transaction against the OCMF pagination counters:
 * the frames received (`frames`, any order) give the last signed reading before the range and the
 * first after it; `counterGaps(publicKey)` gives the ledger's open counter gaps of that key. Work
 * follows the number of frames and gaps, never a seqNo's or counter's value.
 */
export function crossCheckSeqNoGap(gap: CounterRange, frames: readonly SeqNoFrame[], counterGaps: (publicKey: string) => readonly CounterRange[]): SeqNoGapEvidence {
  const from = BigInt(gap.from);
  const to = BigInt(gap.to);
  let before: SeqNoFrame | undefined;
  let after: SeqNoFrame | undefined;
  for (const f of frames) {
    if (f.datasets.length === 0) continue;
    if (f.seqNo < from && (!before || f.seqNo > before.seqNo)) before = f;
    if (f.seqNo > to && (!after || f.seqNo < after.seqNo)) after = f;
  }
  const undetermined = (reason: string): SeqNoGapEvidence => ({ ...gap, verdict: 'undetermined', reason });
  if (!before || !after) return undetermined(`no signed reading arrived ${!before ? 'before' : 'after'} the missing seqNos in this transaction, so the counters cannot tell what they carried`);
  const last = before.datasets.reduce((m, d) => (d.counter > m.counter ? d : m));
  const next = after.datasets.reduce((m, d) => (d.counter < m.counter ? d : m));
  if (last.publicKey.toLowerCase() !== next.publicKey.toLowerCase()) return undetermined(`the readings around the missing seqNos are signed by different keys (seqNo ${before.seqNo} and ${after.seqNo})`);
  if (next.counter <= last.counter) return undetermined(`the counters do not increase across the missing seqNos (${last.counter} at seqNo ${before.seqNo}, ${next.counter} at seqNo ${after.seqNo})`);
  const between = { from: last.counter + 1n, to: next.counter - 1n };
  if (between.from > between.to) {
    return { ...gap, verdict: 'no-reading-lost', reason: `counter ${last.counter} (seqNo ${before.seqNo}) and ${next.counter} (seqNo ${after.seqNo}) are consecutive: the lost messages carried no signed reading` };
  }
  const missingCounters: CounterRange[] = [];
  for (const g of counterGaps(last.publicKey)) {
    const lo = BigInt(g.from) > between.from ? BigInt(g.from) : between.from;
    const hi = BigInt(g.to) < between.to ? BigInt(g.to) : between.to;
    if (lo <= hi) missingCounters.push({ from: lo.toString(), to: hi.toString() });
  }
  if (missingCounters.length === 0) {
    return { ...gap, verdict: 'no-reading-lost', reason: `counters ${between.from}-${between.to} between seqNo ${before.seqNo} and ${after.seqNo} are all in the ledger: they arrived in other messages` };
  }
  const listed = missingCounters.map((r) => (r.from === r.to ? r.from : `${r.from}-${r.to}`)).join(', ');
  return { ...gap, verdict: 'readings-lost', publicKey: last.publicKey, missingCounters, reason: `counters ${listed} are missing from the ledger as well: the lost messages carried signed readings` };
}
