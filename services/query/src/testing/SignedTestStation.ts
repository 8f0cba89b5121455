import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { VerifiedDataset } from '@metrology-ledger/ledger';
import { signOcmf } from '@metrology-ledger/ocmf';

export interface DatasetOptions {
  /** RV of the end reading, written as given (e.g. `1e400`). */
  endValue?: string;
  transactionId?: string;
  emspId?: string;
  /** Changes the signed bytes (another packet for the same counter: a conflict). */
  variant?: string;
  messageId?: string;
  receivedAt?: string;
}

/**
 * Tests only: a station with its own P-256 key that signs real OCMF datasets (libs/ocmf's `signOcmf`),
 * and the VerifiedDataset the ingest would hand to `Ledger.recordDataset` for each.
 */
export class SignedTestStation {
  readonly publicKey: string;
  private readonly privateKey: KeyObject;

  constructor(readonly stationId: string) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('hex');
  }

  ocmf(counter: string, o: DatasetOptions = {}): string {
    const rd = (tx: string, rv: string, tm: string) => `{"TM":"${tm},000+0000 S","TX":"${tx}","RV":${rv},"RI":"1-b:1.8.0","RU":"kWh","RT":"DC","ST":"G"}`;
    const payload = `{"FV":"1.0","GI":"TEST","GS":"G1","GV":"1.0","PG":"T${counter}","MV":"Test","MM":"M","MS":"${this.stationId}-M1","MF":"1.0","IS":true,"IL":"VERIFIED","IF":["RFID_PLAIN"],"IT":"ISO14443","ID":"${o.variant ?? 'A1B2C3D4'}","RD":[${rd('B', '1.5', '2025-06-01T10:00:00')},${rd('E', o.endValue ?? '2.75', '2025-06-01T11:00:00')}]}`;
    return signOcmf(payload, this.privateKey, { algorithm: 'ECDSA-secp256r1-SHA256' });
  }

  dataset(counter: string, o: DatasetOptions = {}): VerifiedDataset {
    const ocmf = this.ocmf(counter, o);
    const payloadSha256 = createHash('sha256').update(ocmf.split('|')[1]).digest('hex');
    const messageId = o.messageId ?? `${this.stationId}:${counter}:${o.variant ?? ''}`;
    return {
      stationId: this.stationId,
      publicKey: this.publicKey,
      paginationContext: 'T',
      counter,
      pagination: `T${counter}`,
      transactionId: o.transactionId ?? `${this.stationId}-tx-${counter.slice(0, 20)}${o.variant ? `-${o.variant}` : ''}`,
      connector: 1,
      emspId: o.emspId ?? 'DE-EMP-ALPHA',
      ocmf,
      payloadSha256,
      verification: { verdict: 'valid', reason: 'signature matches', keyId: this.publicKey, algorithm: 'ECDSA-secp256r1-SHA256', verifier: 'test', verifiedAt: '2025-06-01T11:00:01Z' },
      receipt: { messageId, receivedAt: o.receivedAt ?? '2025-06-01T11:00:01Z', source: 'test', messageSha256: createHash('sha256').update(`${messageId}|${ocmf}`).digest('hex') },
    };
  }
}
