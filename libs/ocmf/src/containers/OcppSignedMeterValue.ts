import { base64ToBytes, bytesToBase64, utf8Bytes, utf8Text } from '../crypto/ByteEncoding';
import type { ContainerRead } from './DatasetEnvelope';
import { quoteBounded } from '../model/quoteBounded';

/** OCPP 2.0.1 SignedMeterValueType. */
export interface OcppSignedMeterValue {
  /** Base64 of the complete OCMF string. */
  signedMeterData: string;
  /** SA, or empty when carried in the data. */
  signingMethod: string;
  /** "OCMF". */
  encodingMethod: string;
  /** Base64; empty when the key is not sent with the value (PublicKeyWithSignedMeterValue). */
  publicKey: string;
}

/** Reads a SignedMeterValueType, bare or wrapped as `{ "signedMeterValue": {…} }`. */
export function readOcppSignedMeterValue(json: unknown): ContainerRead {
  const smv = (json as any)?.signedMeterValue ?? json;
  if (!smv || typeof smv !== 'object' || typeof smv.signedMeterData !== 'string') {
    return { ok: false, reason: 'not an OCPP SignedMeterValueType: signedMeterData missing' };
  }
  if (typeof smv.encodingMethod === 'string' && smv.encodingMethod.toUpperCase() !== 'OCMF') {
    return { ok: false, reason: `OCPP encodingMethod ${quoteBounded(String(smv.encodingMethod))} is not OCMF` };
  }
  const raw = smv.signedMeterData.trim();
  let ocmf: string | undefined = raw.startsWith('OCMF|') ? raw : undefined;
  if (!ocmf) {
    const bytes = base64ToBytes(raw);
    ocmf = bytes ? utf8Text(bytes) : undefined;
  }
  if (!ocmf || !ocmf.trimStart().startsWith('OCMF|')) {
    return { ok: false, reason: 'OCPP signedMeterData is not base64 of an OCMF dataset' };
  }
  const env: { ocmf: string; publicKey?: string } = { ocmf: ocmf.trim() };
  if (typeof smv.publicKey === 'string' && smv.publicKey.trim() !== '') env.publicKey = smv.publicKey.trim();
  return { ok: true, kind: 'ocpp-signed-meter-value', datasets: [env] };
}

/** Writes a SignedMeterValueType; the key goes as base64 of its OCA form `oca:base16:asn1:<spki hex>`. */
export function writeOcppSignedMeterValue(ocmf: string, signingMethod: string, publicKeySpkiHex?: string): OcppSignedMeterValue {
  return {
    signedMeterData: bytesToBase64(utf8Bytes(ocmf)),
    signingMethod,
    encodingMethod: 'OCMF',
    publicKey: publicKeySpkiHex ? bytesToBase64(utf8Bytes(`oca:base16:asn1:${publicKeySpkiHex.toLowerCase()}`)) : '',
  };
}
