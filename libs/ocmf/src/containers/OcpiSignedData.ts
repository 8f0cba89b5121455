import { base64ToBytes, bytesToBase64, utf8Bytes, utf8Text } from '../crypto/ByteEncoding';
import { splitOcmf } from '../OcmfSections';
import type { ContainerRead, DatasetEnvelope } from './DatasetEnvelope';
import { quoteBounded } from '../model/quoteBounded';

/** OCPI 2.2.1 CDR `SignedData` (module CDRs, class SignedData / SignedValue). */
export interface OcpiSignedData {
  encoding_method: string;
  encoding_method_version?: number;
  public_key?: string;
  signed_values: OcpiSignedValue[];
  url?: string;
}

export interface OcpiSignedValue {
  /** "Start", "End", "Intermediate"… */
  nature: string;
  /** string(512): human-readable data. */
  plain_data: string;
  /** string(5000): the signed data, base64. */
  signed_data: string;
}

/** OCPI 2.2.1 limits plain_data to 512 characters and signed_data to 5000. */
export const OCPI_PLAIN_DATA_MAX = 512;
export const OCPI_SIGNED_DATA_MAX = 5000;

export function readOcpiSignedData(json: unknown): ContainerRead {
  const sd = (json as any)?.signed_data && !Array.isArray((json as any).signed_values) ? (json as any).signed_data : json;
  if (!sd || typeof sd !== 'object' || !Array.isArray(sd.signed_values)) {
    return { ok: false, reason: 'not an OCPI SignedData: signed_values missing' };
  }
  if (typeof sd.encoding_method === 'string' && sd.encoding_method.toUpperCase() !== 'OCMF') {
    return { ok: false, reason: `OCPI encoding_method ${quoteBounded(String(sd.encoding_method))} is not OCMF` };
  }
  const datasets: DatasetEnvelope[] = [];
  for (const [i, v] of sd.signed_values.entries()) {
    const raw = typeof v?.signed_data === 'string' ? v.signed_data.trim() : '';
    let ocmf: string | undefined = raw.startsWith('OCMF|') ? raw : undefined;
    if (!ocmf) {
      const bytes = base64ToBytes(raw);
      ocmf = bytes ? utf8Text(bytes) : undefined;
    }
    if (!ocmf || !ocmf.trimStart().startsWith('OCMF|')) {
      return { ok: false, reason: `OCPI signed_values[${i}].signed_data is neither OCMF nor base64 of OCMF` };
    }
    const env: DatasetEnvelope = { ocmf: ocmf.trim() };
    if (typeof sd.public_key === 'string' && sd.public_key.trim() !== '') env.publicKey = sd.public_key.trim();
    if (typeof v?.nature === 'string') env.context = v.nature;
    datasets.push(env);
  }
  if (datasets.length === 0) return { ok: false, reason: 'OCPI signed_values is empty' };
  return { ok: true, kind: 'ocpi-signed-data', datasets };
}

/**
 * Writes OCPI SignedData. `signed_data` carries the complete OCMF dataset in base64, so nothing is
 * ever cut. `plain_data` is the OCMF payload section when it fits OCPI's 512 characters; a longer
 * payload is not truncated into plain_data (a cut JSON text would mislead a reader): plain_data then
 * says where the data is, and the full payload remains in signed_data.
 */
export function writeOcpiSignedData(
  values: readonly { nature: string; ocmf: string }[],
  publicKeySpkiHex?: string,
  url?: string,
): OcpiSignedData {
  const signed_values = values.map(({ nature, ocmf }) => {
    const split = splitOcmf(ocmf);
    const payload = split.ok ? split.sections.payloadText : '';
    const plain_data =
      payload.length <= OCPI_PLAIN_DATA_MAX
        ? payload
        : `OCMF payload of ${payload.length} characters exceeds OCPI's 512; it is carried whole in signed_data (base64 of the OCMF dataset)`;
    return { nature, plain_data, signed_data: bytesToBase64(utf8Bytes(ocmf)) };
  });
  const out: OcpiSignedData = { encoding_method: 'OCMF', encoding_method_version: 1, signed_values };
  if (publicKeySpkiHex) out.public_key = publicKeySpkiHex.toLowerCase();
  if (url) out.url = url;
  return out;
}
