import { samplePayload, TestStation } from '../../test/support/TestStation';
import { verifyOcmf } from '../index';
import { readContainer } from './readContainer';
import { OCPI_PLAIN_DATA_MAX, writeOcpiSignedData } from './OcpiSignedData';
import { writeOcppSignedMeterValue } from './OcppSignedMeterValue';
import { writeSafeXml } from './SafeXml';

const station = new TestStation('secp384r1');
// A TT with characters XML must escape, and a pipe: the round trip must keep every byte.
const dataset = station.sign(samplePayload(9, 1, 2, 'Tarif <A> & "B" | night'), 'base 64');

function roundTrip(text: string) {
  const read = readContainer(text);
  if (!read.ok) throw new Error(read.reason);
  return read;
}

describe('containers', () => {
  it('reads a raw OCMF string', () => {
    const r = roundTrip(`  ${dataset}\n`);
    expect(r.kind).toBe('ocmf');
    expect(r.datasets[0].ocmf).toBe(dataset);
  });

  it('writes and reads SAFE transparency XML byte-exact, with key, transactionId and context', () => {
    const xml = writeSafeXml([{ ocmf: dataset, publicKey: station.publicKeyHex, transactionId: '4193206880799101095', context: 'Transaction.End' }]);
    expect(xml).toContain('<values>');
    expect(xml).toContain('transactionId="4193206880799101095"');
    const r = roundTrip(xml);
    expect(r.kind).toBe('safe-xml');
    expect(r.datasets).toEqual([{ ocmf: dataset, publicKey: station.publicKeyHex, transactionId: '4193206880799101095', context: 'Transaction.End' }]);
    expect(verifyOcmf(r.datasets[0].ocmf, { publicKey: r.datasets[0].publicKey }).verdict).toBe('valid');
  });

  it('writes and reads an OCPP 2.0.1 SignedMeterValueType, key in OCA form', () => {
    const smv = writeOcppSignedMeterValue(dataset, station.algorithm, station.publicKeyHex);
    expect(smv.encodingMethod).toBe('OCMF');
    expect(Buffer.from(smv.publicKey, 'base64').toString()).toBe(`oca:base16:asn1:${station.publicKeyHex}`);
    for (const json of [smv, { signedMeterValue: smv }]) {
      const r = roundTrip(JSON.stringify(json));
      expect(r.kind).toBe('ocpp-signed-meter-value');
      expect(r.datasets[0].ocmf).toBe(dataset);
      expect(verifyOcmf(r.datasets[0].ocmf, { publicKey: r.datasets[0].publicKey }).verdict).toBe('valid');
    }
  });

  it('writes and reads OCPI 2.2.1 SignedData without truncating a payload longer than plain_data allows', () => {
    const long = station.sign(samplePayload(10, 1, 2, 'x'.repeat(240)));
    const sd = writeOcpiSignedData([{ nature: 'End', ocmf: long }], station.publicKeyHex, 'https://example.invalid/verify');
    expect(sd.signed_values[0].plain_data.length).toBeLessThanOrEqual(OCPI_PLAIN_DATA_MAX);
    expect(sd.signed_values[0].plain_data).toContain('carried whole in signed_data');
    const r = roundTrip(JSON.stringify(sd));
    expect(r.kind).toBe('ocpi-signed-data');
    expect(r.datasets[0]).toMatchObject({ ocmf: long, context: 'End', publicKey: station.publicKeyHex });
    expect(verifyOcmf(r.datasets[0].ocmf, { publicKey: r.datasets[0].publicKey }).verdict).toBe('valid');
  });

  it('puts a short payload into plain_data as it is', () => {
    const sd = writeOcpiSignedData([{ nature: 'End', ocmf: 'OCMF|{"PG":"T1"}|{"SD":"00"}' }]);
    expect(sd.signed_values[0].plain_data).toBe('{"PG":"T1"}');
  });

  it.each([
    ['plain text', 'hello'],
    ['XML without values', '<root/>'],
    ['broken XML', '<values><value>'],
    ['XML holding another format', '<values><value><signedData format="EDL">AAAA</signedData></value></values>'],
    ['JSON of another kind', '{"a":1}'],
    ['broken JSON', '{"signedMeterData":'],
    ['OCPP data that is not OCMF', '{"signedMeterData":"aGVsbG8=","encodingMethod":"OCMF"}'],
    ['OCPI data that is not OCMF', '{"encoding_method":"OCMF","signed_values":[{"nature":"End","signed_data":"aGVsbG8="}]}'],
  ])('reports %s with a reason', (_what, text) => {
    const r = readContainer(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(10);
  });
});
