import type { LedgerPublicKey } from './LedgerSigningKey';
import type { SignedCheckpoint } from './Checkpoint';
import type { HeadInTree } from './CheckpointLog';
import type { BundleViews } from './bundleViews';

export const BUNDLE_FORMAT = 'metrology-ledger evidence bundle v1';

/** One event of a stream as stored: every field the hash chain covers, the data text verbatim. */
export interface BundleEvent {
  revision: number;
  type: string;
  recordedAt: string;
  prevHash: string;
  hash: string;
  dataText: string;
}

/** One stream of the station: its whole hash chain up to the head the checkpoint signed, and the proof. */
export interface BundleStream {
  streamId: string;
  head: HeadInTree;
  events: BundleEvent[];
}

/**
 * What an authority receives for a station and period, as one JSON document: the signed checkpoint,
 * every stream of the station from its first event to the signed head, with the Merkle inclusion
 * proof of the head, and the views derived from those events (packets in pagination order as NDJSON
 * and SAFE XML, key history, metrology log, completeness statement). `verifyBundle` re-derives every
 * view from the chained events, so a view can say nothing the chains do not.
 */
export interface EvidenceBundle extends BundleViews {
  format: typeof BUNDLE_FORMAT;
  stationId: string;
  /** Inclusive from, exclusive to (ISO 8601); a packet belongs to the period by its last reading's signed time. */
  period: { from?: string; to?: string };
  exportedAt: string;
  ledgerKey: LedgerPublicKey;
  checkpoint: SignedCheckpoint;
  /** RFC 9162 consistency proof from an older tree size (asked for with `after`) to this checkpoint's. */
  consistency?: { fromTreeSize: number; proof: string[] };
  streams: BundleStream[];
  /**
   * The ledger key's signature (base64) over `bundleBytes`: the whole document but this field, so no
   * byte of it (period, export time included) can change unseen.
   */
  signature: string;
}

/** The bytes a bundle's signature covers: the bundle as JSON without its `signature` field. */
export function bundleBytes(bundle: Omit<EvidenceBundle, 'signature'> & { signature?: string }): Buffer {
  const { signature: _, ...rest } = bundle;
  void _;
  return Buffer.from(JSON.stringify(rest), 'utf8');
}
