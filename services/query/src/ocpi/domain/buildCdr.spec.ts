import { readContainer } from '@metrology-ledger/ocmf';
import { projectDataset } from '../../domain/projectSession';
import type { SessionView } from '../../domain/SessionView';
import { SignedTestStation } from '../../testing/SignedTestStation';
import { buildCdr, cdrIdOf } from './buildCdr';
import type { StationLocation } from './StationLocation';

const station = new SignedTestStation('CP-1');
const location: StationLocation = { locationId: 'L1', address: 'a', city: 'c', country: 'DEU', latitude: '50.00000', longitude: '6.00000', evseIdPrefix: 'DE*CPO*E1', connectorStandard: 'IEC_62196_T2', connectorFormat: 'SOCKET', powerType: 'AC_3_PHASE' };
const parties = { cpo: { countryCode: 'DE', partyId: 'CPO', currency: 'EUR' }, emsp: { countryCode: 'DE', partyId: 'EMP' } };
const at = new Date('2026-03-01T00:00:00Z');
const session = (o: Parameters<SignedTestStation['dataset']>[1] = {}, counter = '1'): SessionView => {
  const d = station.dataset(counter, o);
  return projectDataset({ type: 'DatasetRecorded', data: d } as never, 'stream-1', '2025-06-01T11:00:02Z').view;
};

describe('buildCdr', () => {
  it('given a verified session with begin and end, when built, then every figure comes from the packet and signed_data holds it whole', () => {
    const s = session();
    const d = buildCdr(s, location, parties, at);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.cdr).toMatchObject({
      country_code: 'DE',
      party_id: 'CPO',
      id: cdrIdOf('stream-1', '1'),
      start_date_time: '2025-06-01T10:00:00.000Z',
      end_date_time: '2025-06-01T11:00:00.000Z',
      total_energy: 1.25,
      total_time: 1,
      charging_periods: [{ start_date_time: '2025-06-01T10:00:00.000Z', dimensions: [{ type: 'ENERGY', volume: 1.25 }] }],
      cdr_token: { uid: 'A1B2C3D4', type: 'RFID', contract_id: 'A1B2C3D4', country_code: 'DE', party_id: 'EMP' },
      cdr_location: { id: 'L1', evse_uid: 'CP-1-1', evse_id: 'DE*CPO*E1*1', connector_id: '1', coordinates: { latitude: '50.00000', longitude: '6.00000' } },
      last_updated: '2026-03-01T00:00:00.000Z',
    });
    expect(d.cdr.id).toHaveLength(32);
    expect(Buffer.from(d.cdr.signed_data.public_key!, 'base64').toString('hex')).toBe(station.publicKey);
    const read = readContainer(JSON.stringify(d.cdr.signed_data));
    expect(read.ok && read.datasets[0].ocmf).toBe(s.ocmf);
  });

  it('keeps a dataset longer than OCPI allows whole in signed_data', () => {
    const s = session();
    const long = { ...s, ocmf: s.ocmf.replace('"GI":"TEST"', `"GI":"${'X'.repeat(6000)}"`) };
    const d = buildCdr(long, location, parties, at);
    expect(d.ok && Buffer.from(d.cdr.signed_data.signed_values[0].signed_data, 'base64').toString('utf8')).toBe(long.ocmf);
  });

  it.each([
    ['a conflict', { status: 'conflict' as const }, 'conflict'],
    ['a packet that does not verify', { verdict: 'invalid' }, 'invalid'],
    ['no energy figure', { energy: null, energyWithheld: 'RV out of range' }, 'no-energy'],
    ['no end time', { endTime: null }, 'no-times'],
    ['no identification', { identification: { status: false, type: 'NONE', data: null } }, 'no-identification'],
    ['identification not given (IS false)', { identification: { status: false, type: null, data: 'A1B2' } }, 'no-identification'],
    ['identification denied', { identification: { status: true, type: 'DENIED', data: 'A1B2' } }, 'no-identification'],
    ['an identification longer than CdrToken.uid', { identification: { status: true, type: 'ISO14443', data: 'X'.repeat(37) } }, 'no-identification'],
    ['no connector', { connector: null }, 'no-connector'],
  ])('given %s, then no CDR, and the reason', (_, change, reason) => {
    const d = buildCdr({ ...session(), ...change } as SessionView, location, parties, at);
    expect(d).toMatchObject({ ok: false, reason });
  });

  it('given ID without IT (as the CP800 writes it), then the identification is ID, of type OTHER', () => {
    const d = buildCdr({ ...session(), identification: { status: true, type: null, data: '04A1B2C3' } }, location, parties, at);
    expect(d.ok && d.cdr.cdr_token).toEqual({ country_code: 'DE', party_id: 'EMP', uid: '04A1B2C3', type: 'OTHER', contract_id: '04A1B2C3' });
  });

  it('given a session started with an OCPP token, then the CDR names that token', () => {
    const d = buildCdr({ ...session(), identification: { status: true, type: 'ISO14443', data: 'A1B2C3D4' }, token: { uid: 'a1b2c3d4', type: 'ISO14443', source: 'ocpp' } }, location, parties, at);
    expect(d.ok && d.cdr.cdr_token).toEqual({ country_code: 'DE', party_id: 'EMP', uid: 'a1b2c3d4', type: 'RFID', contract_id: 'a1b2c3d4' });
  });

  it('given the registry entry of the session token, then cdr_token carries its uid, type and contract id; an entry of another token is not used', () => {
    const s = { ...session(), token: { uid: 'a1b2c3d4', type: 'ISO14443', source: 'ocpp' as const } };
    const entry = { uid: 'A1B2C3D4', tokenType: 'APP_USER', contractId: 'DE-EMP-C12345678-X' };
    expect(buildCdr(s, location, parties, at, undefined, entry)).toMatchObject({ ok: true, cdr: { cdr_token: { uid: 'A1B2C3D4', type: 'APP_USER', contract_id: 'DE-EMP-C12345678-X' } } });
    expect(buildCdr(s, location, parties, at, undefined, { ...entry, contractId: null })).toMatchObject({ ok: true, cdr: { cdr_token: { uid: 'A1B2C3D4', contract_id: 'A1B2C3D4' } } });
    expect(buildCdr(s, location, parties, at, undefined, { ...entry, uid: 'FFFF0000' })).toMatchObject({ ok: true, cdr: { cdr_token: { uid: 'a1b2c3d4', type: 'RFID', contract_id: 'a1b2c3d4' } } });
  });

  it('given an OCPP token other than the signed identification, then no CDR (duty 6 cannot be shown), and why', () => {
    const d = buildCdr({ ...session(), token: { uid: 'FFFF0000', type: null, source: 'ocpp' }, tokenMismatch: 'OCPP idTag FFFF0000, signed ID A1B2C3D4' }, location, parties, at);
    expect(d).toMatchObject({ ok: false, reason: 'token-mismatch', message: expect.stringContaining('OCPP idTag FFFF0000, signed ID A1B2C3D4') });
  });

  it('given no location for the station, then no CDR until the operator records one', () => {
    expect(buildCdr(session(), undefined, parties, at)).toMatchObject({ ok: false, reason: 'no-location', message: expect.stringContaining('/operator/ocpi/stations/CP-1/location') });
  });

  it('converts Wh to kWh and derives one CDR id per session', () => {
    const d = buildCdr({ ...session(), energy: '1250', unit: 'Wh' }, location, parties, at);
    expect(d.ok && d.cdr.total_energy).toBe(1.25);
    expect(cdrIdOf('s', '1')).not.toBe(cdrIdOf('s', '2'));
    expect(cdrIdOf('s', '1')).toBe(cdrIdOf('s', '1'));
  });
});
