import type { Ledger } from '../Ledger';
import { bundleViews } from './bundleViews';
import { BUNDLE_FORMAT, bundleBytes, type BundleEvent, type BundleStream, type EvidenceBundle } from './EvidenceBundle';

export interface BundleRequest {
  stationId: string;
  /** Inclusive, ISO 8601. */
  from?: string;
  /** Exclusive, ISO 8601. */
  to?: string;
  /** The tree size of a checkpoint the auditor holds: the bundle then carries the consistency proof from it. */
  afterTreeSize?: number;
}

/**
 * Exports a station's evidence bundle: signs a checkpoint over the current heads (on demand), then
 * reads every stream of the station from its first event up to the signed head (events appended after
 * the checkpoint wait for the next bundle) and derives the views. The bundle is held in memory: its
 * size follows the station's history.
 */
export async function exportBundle(ledger: Ledger, request: BundleRequest, now: () => string = () => new Date().toISOString()): Promise<EvidenceBundle> {
  const streamIds = await ledger.stationStreams(request.stationId);
  const attestation = await ledger.checkpoints.attest(streamIds, request.afterTreeSize);
  const streams: BundleStream[] = [];
  for (const head of attestation.heads) {
    const events: BundleEvent[] = [];
    let from = 0;
    while (from <= head.revision) {
      const page = await ledger.read(head.stream, from);
      for (const e of page.events) {
        if (e.revision > head.revision) break;
        events.push({ revision: e.revision, type: e.event.type === 'UnreadableEvent' ? e.event.data.storedType : e.event.type, recordedAt: e.recordedAt, prevHash: e.prevHash, hash: e.hash, dataText: e.dataText });
      }
      if (page.next === null) break;
      from = page.next;
    }
    streams.push({ streamId: head.stream, head, events });
  }
  const period = { ...(request.from !== undefined ? { from: request.from } : {}), ...(request.to !== undefined ? { to: request.to } : {}) };
  const bundle: Omit<EvidenceBundle, 'signature'> = {
    format: BUNDLE_FORMAT,
    stationId: request.stationId,
    period,
    exportedAt: now(),
    ledgerKey: attestation.checkpoint.publicKey,
    checkpoint: attestation.checkpoint,
    ...(attestation.consistency ? { consistency: attestation.consistency } : {}),
    streams,
    ...bundleViews(streams, period),
  };
  return { ...bundle, signature: ledger.checkpoints.sign(bundleBytes(bundle)) };
}
