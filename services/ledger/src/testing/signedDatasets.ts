import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { signOcmf } from '@metrology-ledger/ocmf';
import type { VerifiedDataset } from '../domain/datasetStream';

/**
 * Tests only: a meter with its own P-256 key signing real OCMF datasets (libs/ocmf's `signOcmf`), and
 * the VerifiedDataset ingest would hand the ledger for each. `time` is the end reading's signed time.
 */
export class SignedMeter {
  readonly publicKey: string;
  private readonly privateKey: KeyObject;

  constructor(readonly stationId: string) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('hex');
  }

  dataset(counter: number, time: string, variant = 'A1B2C3D4'): VerifiedDataset {
    const rd = (tx: string, rv: string, tm: string) => `{"TM":"${tm},000+0000 S","TX":"${tx}","RV":${rv},"RI":"1-b:1.8.0","RU":"kWh","RT":"DC","ST":"G"}`;
    const payload = `{"FV":"1.0","GI":"TEST","GS":"G1","GV":"1.0","PG":"T${counter}","MV":"Test","MM":"M","MS":"${this.stationId}-M1","MF":"1.0","IS":true,"IL":"VERIFIED","IF":["RFID_PLAIN"],"IT":"ISO14443","ID":"${variant}","RD":[${rd('B', '1.5', time)},${rd('E', '2.75', time)}]}`;
    const ocmf = signOcmf(payload, this.privateKey, { algorithm: 'ECDSA-secp256r1-SHA256' });
    const messageId = `${this.stationId}:${counter}:${variant}`;
    return {
      stationId: this.stationId,
      publicKey: this.publicKey,
      paginationContext: 'T',
      counter: String(counter),
      pagination: `T${counter}`,
      transactionId: `${this.stationId}-tx-${counter}`,
      ocmf,
      payloadSha256: createHash('sha256').update(ocmf.split('|')[1]).digest('hex'),
      verification: { verdict: 'valid', reason: 'signature matches', keyId: this.publicKey, algorithm: 'ECDSA-secp256r1-SHA256', verifier: 'test', verifiedAt: `${time}Z` },
      receipt: { messageId, receivedAt: `${time}Z`, source: 'test', messageSha256: createHash('sha256').update(`${messageId}|${ocmf}`).digest('hex') },
    };
  }
}
