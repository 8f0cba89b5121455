import { formatReadingTime, signOcmf } from '@metrology-ledger/ocmf';
import { SeededRandom } from '../SeededRandom';
import { cp800PayloadText, cp800ReadingTime, pyFloat, signCp800Dataset, type Cp800Reading, type Cp800Session } from './Cp800OcmfWriter';
import { CABLE_RESISTANCE_UOHM, encodedMeterSerial, generateIdentity, type StationIdentity } from './StationIdentity';
import { StationSigningKey } from './StationSigningKey';

describe('cp800ReadingTime', () => {
  it('writes TM as the OCMF library does in UTC, for both sync letters', () => {
    const rng = new SeededRandom(5);
    for (let i = 0; i < 3000; i++) {
      const ms = Math.round(rng.between(Date.UTC(2020, 0, 1), Date.UTC(2035, 0, 1)));
      const status = rng.chance(0.5) ? 'S' : 'U';
      expect(cp800ReadingTime(ms, status)).toBe(formatReadingTime(ms, status));
    }
  });
});

describe('signCp800Dataset', () => {
  it('writes the text signOcmf writes with the CP800 options (deterministic and unsigned keys)', () => {
    const payload = '{"FV":"1.0","GI":"CP0001","PG":"T1-42","RD":[{"TX":"B", "RV":1.0}]}';
    for (const mode of ['rfc6979', 'unsigned'] as const) {
      const key = StationSigningKey.generate(new SeededRandom(9), mode);
      const expected = signOcmf(payload, (data) => key.sign(data), { algorithm: 'ECDSA-secp384r1-SHA256', encoding: 'base 64', signatureSpacing: ' ' });
      expect(signCp800Dataset(payload, key)).toBe(expected);
    }
  });
});

/** The payload written plainly, one JSON.stringify per text field: what cp800PayloadText must equal. */
function referencePayload(id: StationIdentity, s: Cp800Session): string {
  const q = JSON.stringify;
  const mf = `scf ${Buffer.from(id.meterFirmwareDigest).toString('base64')}`;
  const readings = s.readings.map((r) => {
    const ef = r.errorFlags ? `, "EF":${q(r.errorFlags)}` : '';
    return `{"TX":${q(r.tx)}, "TM":${q(cp800ReadingTime(r.stationTimeMs, r.timeStatus))}, "RU":"kWh", "RI":"1-b:1.8.0", "RT":"AC", "RV":${pyFloat(r.valueKWh)}, "CL":${pyFloat(r.lossKWh)}${ef}, "ST":${q(r.status)}}`;
  });
  return (
    `{"FV":"1.0","GI":${q(id.serial)},"PG":${q(`T${s.counter}-${s.transactionId}`)},` +
    `"GV":${q(`lrs_ver: ${id.lrsVersion}, sw_rel: ${id.controllerVersion}-alpha`)},` +
    `"MV":${q(id.meterVendor)}, "MM":${q(id.meterModel)}, "MS":${q(encodedMeterSerial(id))}, "MF":${q(mf)}, ` +
    `"IS":true, "ID":${q(s.idTag)}, "CI":${s.connector}, ` +
    `"LC":{"LU":"uOhm", "LR":${pyFloat(CABLE_RESISTANCE_UOHM[id.cable])}}, "TT":"",` +
    `"RD":[${readings.join(', ')}]}`
  );
}

describe('cp800PayloadText', () => {
  it('writes the plain field-by-field text, also after the station identity changes', () => {
    const rng = new SeededRandom(21);
    const id = generateIdentity(rng.fork('id'), 3);
    const txs = ['B', 'C', 'S', 'E', 'A', 'P'] as const;
    for (let i = 0; i < 400; i++) {
      // The identity changes now and then, as on a firmware update, a meter or cable replacement.
      if (i % 37 === 5) id.lrsVersion = `1.0.${i}`;
      if (i % 41 === 7) id.meterSerial = `${rng.digits(6)}B${rng.digits(5)}`;
      if (i % 43 === 9) id.cable = id.cable === 'socket' ? 'tethered' : 'socket';
      if (i % 47 === 11) id.meterFirmwareDigest = rng.bytes(32);
      if (i === 200) id.serial = 'CP "quoted" \\ é';
      const readings: Cp800Reading[] = Array.from({ length: rng.int(1, 5) }, () => ({
        tx: rng.pick(txs),
        stationTimeMs: Math.round(rng.between(Date.UTC(2024, 0, 1), Date.UTC(2026, 0, 1))),
        timeStatus: rng.chance(0.5) ? 'S' : 'U',
        valueKWh: rng.chance(0.2) ? rng.int(0, 50) : Math.round(rng.between(0, 99_999) * 1e4) / 1e4,
        lossKWh: rng.chance(0.3) ? 0 : Math.round(rng.between(0, 3) * 1e4) / 1e4,
        status: rng.chance(0.9) ? 'G' : 'E"x',
        ...(rng.chance(0.1) ? { errorFlags: rng.chance(0.5) ? 'E' : 'Et' } : {}),
      }));
      const session: Cp800Session = {
        counter: rng.int(1, 1e6),
        transactionId: rng.digits(19),
        connector: rng.chance(0.5) ? 1 : 2,
        idTag: rng.chance(0.95) ? Buffer.from(rng.bytes(7)).toString('hex').toUpperCase() : 'tag "with" \\ quotes',
        readings,
      };
      expect(cp800PayloadText(id, session)).toBe(referencePayload(id, session));
    }
  });
});
