import { STREAM_KINDS, type Ledger } from '@metrology-ledger/ledger';
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
    /** Counters the manifest says must show as open gaps now (dropped or tampered, below the highest counter held). */
    expectedOpenGaps: number;
    logEntries: number;
    faults: number;
    messagesAccounted: number;
    /** Messages with more than one record (each should have exactly one). */
    messagesRecordedTwice: number;
  };
}

type Triple = { stationId: string; publicKey: string; counter: number | string };
const id = (t: Triple) => `${t.stationId}|${t.publicKey.toLowerCase()}|${t.counter}`;

/**
 * Compares what the ledger holds with a simulation's ground truth: open gaps, duplicates, conflicts
 * and rejections must be exactly the manifest's, every delivered message must be accounted for once,
 * and every recorded dataset must be the delivered bytes (`delivered`: simulator message id → the
 * dataset). A gap is only visible once a later counter of the same key has arrived, so trailing drops
 * are compared as "not detectable yet", not as gaps.
 *
 * A fleet run over OCPP (`viaOcpp`: the simulator message id of each ledger receipt id, see
 * `ocppReceiptIds`) is compared the same way after the receipt ids are translated; there only the
 * datasets reach the ledger (log entries and faults stay station history at the edge), so every
 * delivered dataset message, and nothing else, must be accounted for.
 */
export async function reconcileWithManifest(
  ledger: Ledger,
  manifest: SimulationManifest,
  delivered?: Map<string, string>,
  viaOcpp?: Map<string, string>,
): Promise<Reconciliation> {
  const differences: string[] = [];
  const seenMessages = new Map<string, number>();
  const recordedCounters = new Map<string, Set<bigint>>();
  const duplicates: string[] = [];
  const conflicts: string[] = [];
  const rejections: string[] = [];
  const counts = { datasetsRecorded: 0, duplicates: 0, conflicts: 0, rejections: 0, openGaps: 0, expectedOpenGaps: 0, logEntries: 0, faults: 0, messagesAccounted: 0, messagesRecordedTwice: 0 };
  const simulatorId = (receiptId: string) => viaOcpp?.get(receiptId) ?? receiptId;
  const note = (receiptId: string) => {
    const messageId = simulatorId(receiptId);
    seenMessages.set(messageId, (seenMessages.get(messageId) ?? 0) + 1);
  };

  const streams: string[] = [ledger.unattributedRejectionsStream()];
  for (const kind of STREAM_KINDS) {
    if (kind === 'keys' || kind === 'station') continue;
    for (const stationId of await ledger.stationsWith(kind)) {
      streams.push(...(kind === 'datasets' ? await ledger.datasetStreams(stationId) : [ledger.stationStream(stationId, kind)]));
    }
  }
  for (const streamId of streams) {
    for await (const { event: e } of ledger.eventsOf(streamId)) {
      switch (e.type) {
        case 'DatasetRecorded': {
          counts.datasetsRecorded++;
          note(e.data.receipt.messageId);
          const k = `${e.data.stationId}|${e.data.publicKey.toLowerCase()}`;
          const set = recordedCounters.get(k) ?? new Set<bigint>();
          set.add(BigInt(e.data.counter));
          recordedCounters.set(k, set);
          if (delivered && delivered.get(simulatorId(e.data.receipt.messageId)) !== e.data.ocmf) differences.push(`${e.data.receipt.messageId}: recorded bytes differ from the delivered dataset`);
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
          if (delivered && delivered.get(simulatorId(e.data.receipt.messageId)) !== e.data.ocmf) differences.push(`${e.data.receipt.messageId}: conflicting dataset not kept byte for byte`);
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

  // Gaps the ledger reports (ranges) against the manifest's missing counters below the highest counter
  // the ledger holds for that key (a gap is only visible once a later counter arrived), both as ranges.
  const ledgerGaps: string[] = [];
  for (const g of await ledger.gaps()) {
    counts.openGaps += Number(g.missing);
    for (const r of g.gaps) ledgerGaps.push(`${g.stationId}|${g.publicKey.toLowerCase()}|${r.from}-${r.to}`);
  }
  const highestOf = (t: Triple) => [...(recordedCounters.get(`${t.stationId}|${t.publicKey.toLowerCase()}`) ?? [])].reduce((a, b) => (b > a ? b : a), 0n);
  const visibleGaps = manifest.expected.gaps.filter((g) => BigInt(g.counter) < highestOf(g));
  counts.expectedOpenGaps = new Set(visibleGaps.map(id)).size;
  const expectedGaps = asRanges(visibleGaps);

  compare('open gaps', ledgerGaps, expectedGaps, differences);
  compare('duplicates', duplicates, manifest.expected.duplicates.map(id), differences);
  compare('conflicts', conflicts, manifest.expected.conflicts.map(id), differences);
  compare('rejections', rejections, manifest.expected.rejections.map((r) => `${r.stationId}#${r.counter}`), differences);

  counts.messagesAccounted = seenMessages.size;
  const twice = [...seenMessages].filter(([, n]) => n > 1);
  counts.messagesRecordedTwice = twice.length;
  if (twice.length > 0) differences.push(`${twice.length} messages recorded more than once, e.g. ${twice[0][0]}`);
  const deliveredMessages = viaOcpp ? manifest.counts.deliveredDatasetMessages : manifest.counts.messages;
  if (seenMessages.size !== deliveredMessages) {
    differences.push(`${seenMessages.size} messages accounted for, ${deliveredMessages} delivered${viaOcpp ? ' (datasets over OCPP)' : ''}`);
  }
  return { matches: differences.length === 0, differences, counts };
}

/** Missing counters per station and key, merged into inclusive ranges. */
function asRanges(missing: Triple[]): string[] {
  const byKey = new Map<string, bigint[]>();
  for (const t of missing) {
    const k = `${t.stationId}|${t.publicKey.toLowerCase()}`;
    byKey.set(k, [...(byKey.get(k) ?? []), BigInt(t.counter)]);
  }
  const out: string[] = [];
  for (const [k, counters] of byKey) {
    const sorted = [...new Set(counters)].sort((a, b) => (a < b ? -1 : 1));
    let from = sorted[0];
    for (let i = 1; i <= sorted.length; i++) {
      if (i < sorted.length && sorted[i] === sorted[i - 1] + 1n) continue;
      out.push(`${k}|${from}-${sorted[i - 1]}`);
      from = sorted[i];
    }
  }
  return out;
}

function compare(what: string, actual: string[], expected: string[], differences: string[]): void {
  const a = [...actual].sort();
  const e = [...expected].sort();
  if (a.length === e.length && a.every((x, i) => x === e[i])) return;
  const missing = e.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !e.includes(x));
  differences.push(`${what}: ledger has ${a.length}, manifest ${e.length}; missing ${missing.slice(0, 3).join(', ') || '-'}; unexpected ${extra.slice(0, 3).join(', ') || '-'}`);
}
