import { readOcpiSignedData } from './OcpiSignedData';
import { readOcppSignedMeterValue } from './OcppSignedMeterValue';
import { readSafeXml } from './SafeXml';
import type { ContainerRead } from './DatasetEnvelope';

/**
 * Recognises what a file holds: a raw OCMF string, SAFE XML, an OCPP 2.0.1 SignedMeterValueType
 * or an OCPI 2.2.1 SignedData (JSON), and returns its datasets.
 */
export function readContainer(text: string): ContainerRead {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (t.startsWith('OCMF|')) return { ok: true, kind: 'ocmf', datasets: [{ ocmf: t }] };
  if (t.startsWith('<')) return readSafeXml(t);
  if (t.startsWith('{')) {
    let json: any;
    try {
      json = JSON.parse(t);
    } catch (e) {
      return { ok: false, reason: `input looks like JSON but does not parse: ${(e as Error).message}` };
    }
    if (json?.signedMeterData !== undefined || json?.signedMeterValue !== undefined) return readOcppSignedMeterValue(json);
    if (json?.signed_values !== undefined || json?.signed_data?.signed_values !== undefined) return readOcpiSignedData(json);
    return { ok: false, reason: 'JSON is neither an OCPP SignedMeterValueType nor an OCPI SignedData' };
  }
  return { ok: false, reason: 'input is not OCMF ("OCMF|…"), SAFE XML, OCPP or OCPI JSON' };
}
