import { createHash } from 'node:crypto';

/**
 * Stream names. Datasets: one stream per station, signing key and pagination context, because the
 * counter lives in the signing module: a new meter starts a new counter in a new stream.
 */
export function keyFingerprint(publicKeySpkiHex: string): string {
  return createHash('sha256').update(publicKeySpkiHex.toLowerCase()).digest('hex').slice(0, 16);
}

export const StreamId = {
  datasets: (stationId: string, publicKey: string, context: string) => `datasets-${stationId}-${keyFingerprint(publicKey)}-${context}`,
  rejections: (stationId: string) => `rejections-${stationId}`,
  metrologyLog: (stationId: string) => `metrology-${stationId}`,
  keys: (stationId: string) => `keys-${stationId}`,
  faults: (stationId: string) => `faults-${stationId}`,
  station: (stationId: string) => `station-${stationId}`,
};

export const STREAM_PREFIX = { datasets: 'datasets-', rejections: 'rejections-', metrologyLog: 'metrology-', keys: 'keys-', faults: 'faults-', station: 'station-' } as const;
