// Bytes of heap a cached decision state holds per recorded message, for the deciders whose states
// ingest's StreamAppender caches: datasets (one stream per key), rejections/metrology/faults
// (messageStream), OCPP transaction frames (transactionStream). Builds the states the way the cache
// does (evolve over DatasetRecorded… events with realistic receipts: UUID message ids, SHA-256 hex
// hashes), measures heapUsed + external (Buffers) after a full GC, divides by the messages folded. Run with
//   NODE_OPTIONS=--expose-gc npx tsx tools/pipeline/bench/decisionStateBytes.ts [streams] [perStream]
// Prints one line per decider; no goal, a figure for the ledger README.
import { createHash, randomUUID } from 'node:crypto';
import { datasetStream, messageStream, transactionStream, type Decider, type DatasetStreamEvent, type MessageEvent, type OcppTransactionFact } from '@metrology-ledger/ledger';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run node with --expose-gc');
const streams = Number(process.argv[2] ?? 200);
const perStream = Number(process.argv[3] ?? 500);
const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const receipt = () => ({ messageId: randomUUID(), receivedAt: '2026-11-27T12:00:00.000Z', source: 'kafka:ocmf.datasets/0@1', messageSha256: hex(randomUUID()) });

const kept: unknown[] = [];

/** V8 heap plus memory outside it (Buffers' backing stores). */
function held(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Folds `perStream` events (the i-th from `eventAt(i)`) into a fresh state, for each of `streams` streams, and prints the bytes held per event. */
function measure<E, S>(name: string, decider: Decider<unknown, E, S>, eventAt: (i: number) => E): void {
  gc!();
  const before = held();
  const states = Array.from({ length: streams }, () => {
    let s = decider.initialState();
    for (let i = 1; i <= perStream; i++) s = decider.evolve(s, eventAt(i));
    return s;
  });
  gc!();
  const after = held();
  const n = streams * perStream;
  console.log(`${name.padEnd(18)} ${streams} streams x ${perStream} messages: ${((after - before) / n).toFixed(1)} bytes per message (${((after - before) / 2 ** 20).toFixed(1)} MiB)`);
  kept.push(states); // nothing measured is freed while the next is measured
}

measure('datasetStream', datasetStream, (c): DatasetStreamEvent => {
  // one gap in a hundred: a counter skipped and delivered late, as the fleet's faults do
  const counter = c % 100 === 50 ? c + 1 : c % 100 === 51 ? c - 1 : c;
  return { type: 'DatasetRecorded', data: { stationId: 'CP-000001', publicKey: 'k', paginationContext: 'T', counter: String(counter), pagination: `T${counter}`, ocmf: '', payloadSha256: hex(`p${counter}`), verification: { verdict: 'valid', reason: 'ok', verifier: 'v', verifiedAt: 't' }, receipt: receipt() } };
});

measure('messageStream', messageStream, (): MessageEvent => ({ type: 'DatasetRejected', data: { stationId: 'CP-000001', reason: 'signature does not verify', code: 'signature-invalid', raw: '', receipt: receipt() } }));

measure(
  'transactionStream',
  transactionStream,
  (i) => ({ type: 'OcppTransactionEventRecorded', data: { stationId: 'CP-000001', ocppVersion: '2.0.1', transactionId: `tx-${Math.floor(i / 20)}`, seqNo: String(i % 20), eventType: 'Updated', timestamp: 't', triggerReason: 'MeterValuePeriodic', receipt: receipt() } }) as unknown as OcppTransactionFact,
);
