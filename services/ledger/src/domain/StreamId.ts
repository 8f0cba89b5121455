import { createHash } from 'node:crypto';

/**
 * Stream names, built and read only by the ledger. Every part that comes from outside is
 * percent-encoded (`encodeURIComponent`), so it can never contain the `/` that separates the parts:
 * `datasets/CP-1/` is the prefix of CP-1's dataset streams and of no other station's (CP-1-2's are
 * under `datasets/CP-1-2/`), and `rejections/CP-1` is a whole name, never a prefix.
 *
 * Datasets: one stream per station, signing key and pagination context, because the counter lives in
 * the signing module: a new meter starts a new counter in a new stream.
 */
export function keyFingerprint(publicKeySpkiHex: string): string {
  return createHash('sha256').update(publicKeySpkiHex.toLowerCase()).digest('hex').slice(0, 16);
}

/** The kinds of per-station stream. */
export type StreamKind = 'datasets' | 'rejections' | 'metrology' | 'keys' | 'faults' | 'station' | 'history' | 'transactions';
export const STREAM_KINDS: readonly StreamKind[] = ['keys', 'datasets', 'rejections', 'metrology', 'faults', 'station', 'history', 'transactions'];

const enc = encodeURIComponent;

export const StreamId = {
  datasets: (stationId: string, publicKey: string, context: string) => `datasets/${enc(stationId)}/${keyFingerprint(publicKey)}/${enc(context)}`,
  rejections: (stationId: string) => `rejections/${enc(stationId)}`,
  metrologyLog: (stationId: string) => `metrology/${enc(stationId)}`,
  keys: (stationId: string) => `keys/${enc(stationId)}`,
  faults: (stationId: string) => `faults/${enc(stationId)}`,
  station: (stationId: string) => `station/${enc(stationId)}`,
  /** What the station reported of itself over OCPP: boots (firmware version), firmware status, security events, log uploads. */
  history: (stationId: string) => `history/${enc(stationId)}`,
  /** The OCPP transaction facts of a station (who started which transaction, 2.0.1 seqNos). */
  transactions: (stationId: string) => `transactions/${enc(stationId)}`,
  /** The token registry (who owns which token): one stream, outside every station's. */
  tokenRegistry: () => 'registry/tokens',
  /** Rejected messages that name no valid station id: one stream, outside every station's. */
  unattributedRejections: () => 'unattributed/rejections',
  /** The ledger's signed checkpoints (evidence/): one stream, outside every station's. */
  checkpoints: () => 'evidence/checkpoints',
};

/** The prefix under which every stream of a kind lies, or those of one station. */
export function streamPrefix(kind: StreamKind, stationId?: string): string {
  return stationId === undefined ? `${kind}/` : kind === 'datasets' ? `datasets/${enc(stationId)}/` : `${kind}/${enc(stationId)}`;
}

/** The kind and station of a stream name this module built; undefined for any other text. */
export function parseStreamId(streamId: string): { kind: StreamKind; stationId: string } | undefined {
  const [kind, station, ...rest] = streamId.split('/');
  if (!STREAM_KINDS.includes(kind as StreamKind) || station === undefined || station === '') return undefined;
  if ((kind === 'datasets') !== (rest.length === 2)) return undefined;
  try {
    return { kind: kind as StreamKind, stationId: decodeURIComponent(station) };
  } catch {
    return undefined;
  }
}
