import { readAll, STREAM_PREFIX, type EventStore, type LedgerEvent } from '@metrology-ledger/ledger';
import type { SimulationManifest } from '@metrology-ledger/cp800-model';

export interface Reconciliation {
  matches: boolean;
  differences: string[];
  counts: {
    datasetsRecorded: number;
    duplicates: number;
    conflicts: number;
    rejections: number;
    openGaps: number;
    logEntries: number;
    faults: number;
    messagesAccounted: number;
  };
}

type Triple = { stationId: string; publicKey: string; counter: number | string };
const id = (t: Triple) => `${t.stationId}|${t.publicKey.toLowerCase()}|${t.counter}`;

/**
 * Compares what the ledger holds with a simulation's ground truth: open gaps, duplicates, conflicts
 * and rejections must be exactly the manifest's, every delivered message must be accounted for once,
 * and every recorded dataset must be the delivered bytes. A gap is only visible once a later counter
 * of the same key has arrived, so trailing drops are compared as "not detectable yet", not as gaps.
 */
export async function reconcileWithManifest(
  store: EventStore,
  manifest: SimulationManifest,
  delivered?: Map<string, string>,
): Promise<Reconciliation> {
  const differences: string[] = [];
  const seenMessages = new Map<string, number>();
  const recordedCounters = new Map<string, Set<number>>();
  const duplicates: string[] = [];
  const conflicts: string[] = [];
  const rejections: string[] = [];
  const counts = { datasetsRecorded: 0, duplicates: 0, conflicts: 0, rejections: 0, openGaps: 0, logEntries: 0, faults: 0, messagesAccounted: 0 };
  const note = (messageId: string) => seenMessages.set(messageId, (seenMessages.get(messageId) ?? 0) + 1);

  for (const prefix of Object.values(STREAM_PREFIX)) {
    if (prefix === STREAM_PREFIX.keys || prefix === STREAM_PREFIX.station) continue;
    for (const streamId of await store.streams(prefix)) {
      for await (const stored of readAll(store, streamId)) {
        const e = { type: stored.type, data: JSON.parse(stored.dataText) } as LedgerEvent;
        switch (e.type) {
          case 'DatasetRecorded': {
            counts.datasetsRecorded++;
            note(e.data.receipt.messageId);
            const k = `${e.data.stationId}|${e.data.publicKey.toLowerCase()}`;
            const set = recordedCounters.get(k) ?? new Set<number>();
            set.add(Number(e.data.counter));
            recordedCounters.set(k, set);
            if (delivered && delivered.get(e.data.receipt.messageId) !== e.data.ocmf) differences.push(`${e.data.receipt.messageId}: recorded bytes differ from the delivered dataset`);
            break;
          }
          case 'DuplicateReceived':
            counts.duplicates++;
            note(e.data.receipt.messageId);
            duplicates.push(id(e.data));
            break;
          case 'ConflictReceived':
            counts.conflicts++;
            note(e.data.receipt.messageId);
            conflicts.push(id(e.data));
            if (delivered && delivered.get(e.data.receipt.messageId) !== e.data.ocmf) differences.push(`${e.data.receipt.messageId}: conflicting dataset not kept byte for byte`);
            break;
          case 'DatasetRejected':
            counts.rejections++;
            note(e.data.receipt.messageId);
            rejections.push(`${e.data.stationId}#${e.data.counter ?? '?'}`);
            break;
          case 'MetrologyLogEntryRecorded':
            counts.logEntries++;
            note(e.data.receipt.messageId);
            break;
          case 'StationFaultReported':
            counts.faults++;
            note(e.data.receipt.messageId);
            break;
          default:
            break;
        }
      }
    }
  }

  // Gaps the ledger can see: counters missing below the highest counter it holds for that key.
  const ledgerGaps: string[] = [];
  for (const [k, set] of recordedCounters) {
    const [stationId, publicKey] = k.split('|');
    const highest = Math.max(...set);
    for (let c = 1; c < highest; c++) if (!set.has(c)) ledgerGaps.push(id({ stationId, publicKey, counter: c }));
  }
  counts.openGaps = ledgerGaps.length;
  const highestOf = (t: Triple) => Math.max(0, ...(recordedCounters.get(`${t.stationId}|${t.publicKey.toLowerCase()}`) ?? []));
  const expectedGaps = manifest.expected.gaps.filter((g) => Number(g.counter) < highestOf(g)).map(id);

  compare('open gaps', ledgerGaps, expectedGaps, differences);
  compare('duplicates', duplicates, manifest.expected.duplicates.map(id), differences);
  compare('conflicts', conflicts, manifest.expected.conflicts.map(id), differences);
  compare('rejections', rejections, manifest.expected.rejections.map((r) => `${r.stationId}#${r.counter}`), differences);

  counts.messagesAccounted = seenMessages.size;
  const twice = [...seenMessages].filter(([, n]) => n > 1);
  if (twice.length > 0) differences.push(`${twice.length} messages recorded more than once, e.g. ${twice[0][0]}`);
  if (seenMessages.size !== manifest.counts.messages) {
    differences.push(`${seenMessages.size} messages accounted for, ${manifest.counts.messages} delivered`);
  }
  return { matches: differences.length === 0, differences, counts };
}

function compare(what: string, actual: string[], expected: string[], differences: string[]): void {
  const a = [...actual].sort();
  const e = [...expected].sort();
  if (a.length === e.length && a.every((x, i) => x === e[i])) return;
  const missing = e.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !e.includes(x));
  differences.push(`${what}: ledger has ${a.length}, manifest ${e.length}; missing ${missing.slice(0, 3).join(', ') || '-'}; unexpected ${extra.slice(0, 3).join(', ') || '-'}`);
}
