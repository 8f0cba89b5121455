import { createPublicKey, verify } from 'node:crypto';
import { checkSession, parseOcmf, splitOcmf, verifyOcmf } from '@metrology-ledger/ocmf';
import { verifyMetrologyLogEntry } from '../log/MetrologyLogEntry';
import { SeededRandom } from '../SeededRandom';
import { Cp800Station, type SessionRequest } from './Cp800Station';
import { generateIdentity, type StationIdentity } from './StationIdentity';
import { RESUME_DELAY_MS, TRIP_DELAY_MS } from './OverloadProtection';
import { UNSYNC_AFTER_MS } from './StationClock';

const T0 = Date.UTC(2025, 5, 3, 7, 0, 0);
const MIN = 60_000;
const HOUR = 3_600_000;

function station(overrides: Partial<StationIdentity> = {}, seed = 7): Cp800Station {
  const rng = new SeededRandom(seed);
  const id = { ...generateIdentity(rng.fork('id'), 0), connectors: [1, 2] as (1 | 2)[], phases: 3 as const, maxCurrentA: 32, ...overrides };
  const st = new Cp800Station(id, rng.fork('station'));
  st.activate(T0);
  st.syncClock(T0 + MIN);
  return st;
}

const request = (over: Partial<SessionRequest> = {}): SessionRequest => ({
  connector: 1,
  idTag: '04A1B2C3D4E5F6',
  emspId: 'DE-EMP-A',
  vehicle: { maxCurrentA: 16, phases: 3, energyDemandWh: 100_000 },
  ...over,
});

function verifyNode(ocmf: string, spkiHex: string): boolean {
  const s = splitOcmf(ocmf);
  if (!s.ok) return false;
  const sd = JSON.parse(s.sections.signatureText).SD as string;
  const key = createPublicKey({ key: Buffer.from(spkiHex, 'hex'), format: 'der', type: 'spki' });
  return verify('sha256', Buffer.from(s.sections.payloadText), key, Buffer.from(sd, 'base64'));
}

describe('Cp800Station sessions and OCMF', () => {
  it('ends each session with one dataset in the CP800 form, signed P-384, verifiable by libs/ocmf and node:crypto', () => {
    const st = station({ cable: 'socket' });
    const started = st.startSession(T0 + 10 * MIN, request());
    expect('transactionId' in started).toBe(true);
    st.suspend(T0 + 40 * MIN, 1);
    st.resume(T0 + 50 * MIN, 1);
    const done = st.stopSession(T0 + 70 * MIN, 1)!;
    expect(done.counter).toBe(1);
    expect(done.ocmf).toMatch(/^OCMF\|\{"FV":"1\.0","GI":"[^"]+","PG":"T1-\d{19}","GV":"lrs_ver: 1\.0\.0, sw_rel: [^"]+","MV":"Chargepoint Inc\.", "MM":"CPKM3000", "MS":"/);
    expect(done.ocmf).toContain('"LC":{"LU":"uOhm", "LR":0.0}, "TT":"","RD":[{"TX":"B", "TM":"');
    expect(done.ocmf).toMatch(/\|\{"SA":"ECDSA-secp384r1-SHA256", "SD":"[A-Za-z0-9+/=]+", "SE":"base 64"\}$/);
    expect(verifyOcmf(done.ocmf, { publicKey: done.publicKey }).verdict).toBe('valid');
    expect(verifyNode(done.ocmf, done.publicKey)).toBe(true);

    const parsed = parseOcmf(done.ocmf);
    if (!parsed.ok) throw new Error(parsed.error.reason);
    const p = parsed.dataset.payload;
    expect(p.readings.map((r) => r.type)).toEqual(['B', 'S', 'C', 'E']);
    expect(p.readings.every((r) => r.time?.status === 'S')).toBe(true);
    expect(p.chargePointId).toBe('1');
    // 16 A x 3 x 230 V for 30 + 20 minutes: 11.04 kW x 50/60 h = 9.2 kWh.
    expect(checkSession(p).energy?.delivered.text).toBe('9.2');
    expect(parsed.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('counts pagination up by one per session on the station, across connectors', () => {
    const st = station();
    const counters: number[] = [];
    for (let i = 0; i < 4; i++) {
      const c = (i % 2 === 0 ? 1 : 2) as 1 | 2;
      st.startSession(T0 + i * HOUR, request({ connector: c }));
      counters.push(st.stopSession(T0 + i * HOUR + 30 * MIN, c)!.counter);
    }
    expect(counters).toEqual([1, 2, 3, 4]);
  });

  it('limits power by station limit, vehicle demand and schedule', () => {
    const st = station({ maxCurrentA: 20 });
    st.startSession(T0, request({ vehicle: { maxCurrentA: 32, phases: 1, energyDemandWh: 2_000 } }));
    expect(st.currentA(1)).toBe(20);
    st.setScheduleLimit(T0 + MIN, 1, 10);
    expect(st.currentA(1)).toBe(10);
    st.setScheduleLimit(T0 + 2 * MIN, 1, 4); // below 6 A: the vehicle waits
    expect(st.currentA(1)).toBe(0);
    expect(st.led().colour).toBe('light-blue');
    st.setScheduleLimit(T0 + 3 * MIN, 1, undefined);
    const done = st.stopSession(T0 + 10 * HOUR, 1)!;
    // The vehicle stops drawing at its 2 kWh demand.
    expect(done.deliveredKWh).toBeCloseTo(2, 3);
  });
});

describe('cable loss compensation (CL)', () => {
  function oneHourAt32A(cable: 'socket' | 'tethered', phases: 1 | 3) {
    const st = station({ cable, phases });
    st.startSession(T0, request({ vehicle: { maxCurrentA: 32, phases, energyDemandWh: 1e6 } }));
    const done = st.stopSession(T0 + HOUR, 1)!;
    const parsed = parseOcmf(done.ocmf);
    if (!parsed.ok) throw new Error('parse');
    return parsed.dataset.payload;
  }

  it('is 0.0 on every reading with the socket (0 µΩ)', () => {
    const p = oneHourAt32A('socket', 3);
    expect(p.lossCompensation?.resistance?.value).toBe(0);
    expect(p.readings.map((r) => r.cumulatedLoss?.value)).toEqual([0, 0]);
  });

  it('follows R·I²·t with 23 000 µΩ: 3 × 0.023 Ω × 32² A² × 1 h = 70.7 Wh, withdrawn from RV', () => {
    const p = oneHourAt32A('tethered', 3);
    expect(p.lossCompensation?.resistance?.value).toBe(23000);
    const [b, e] = p.readings;
    expect(b.cumulatedLoss?.value).toBe(0);
    expect(e.cumulatedLoss?.value).toBe(0.0707);
    // Meter energy 230 V × 32 A × 3 = 22.08 kWh; the vehicle gets that minus the loss.
    expect(checkSession(p).energy?.delivered.text).toBe(String(Math.round((22.08 - 0.070656) * 1e4) / 1e4));
  });

  it('loads two conductors on a single-phase charge: 2 × 0.023 × 32² × 1 h = 47.1 Wh', () => {
    const p = oneHourAt32A('tethered', 1);
    expect(p.readings[1].cumulatedLoss?.value).toBe(0.0471);
  });
});

describe('clock', () => {
  it('loses synchronisation about 12 h after the last NTP sync, and the TM letter changes to U', () => {
    const st = station();
    expect(st.clock.timeStatus).toBe('S');
    st.checkClock(T0 + MIN + UNSYNC_AFTER_MS - 1);
    expect(st.clock.timeStatus).toBe('S');
    st.startSession(T0 + MIN + UNSYNC_AFTER_MS + HOUR, request());
    const done = st.stopSession(T0 + MIN + UNSYNC_AFTER_MS + 2 * HOUR, 1)!;
    const events = st.log.events();
    expect(events.filter((e) => e === 'ClockUnsync')).toHaveLength(2); // at boot and after 12 h
    const unsync = st.log.all().filter((e) => e.event === 'ClockUnsync')[1];
    expect(unsync.time).toBe(new Date(T0 + MIN + UNSYNC_AFTER_MS).toISOString().replace('.000Z', 'Z'));
    expect(done.ocmf).toMatch(/"TM":"[^"]+ U"/);
    st.syncClock(T0 + 20 * HOUR);
    expect(st.log.events().slice(-2)).toEqual(['ClockChanged', 'ClockSync']);
  });
});

describe('metrology log', () => {
  it('logs every event of the manual with its own sequence, UTC time and metadata, each entry signed', () => {
    const st = station();
    st.startSession(T0 + HOUR, request());
    st.suspend(T0 + 2 * HOUR, 1);
    st.resume(T0 + 3 * HOUR, 1);
    st.stopSession(T0 + 4 * HOUR, 1);
    st.updateFirmware(T0 + 5 * HOUR, '1.1.0');
    st.updateFirmware(T0 + 6 * HOUR, '1.2.0', 'download-failed');
    st.updateFirmware(T0 + 7 * HOUR, '1.2.0', 'install-failed');
    st.replaceCable(T0 + 8 * HOUR, 'tethered');
    st.raiseFault(T0 + 9 * HOUR, 'signature-verification-failed');
    st.raiseFault(T0 + 9 * HOUR, 'eichrecht-meter-mismatch');
    st.invalidateSigningKey(T0 + 9 * HOUR);
    st.powerOff(T0 + 10 * HOUR);
    const seen = new Set(st.log.events());
    for (const e of [
      'EichrechtServiceStarted', 'EichrechtServiceStopped', 'MeterTestPassed', 'MeterTestFailed', 'MeterDataCorrupt',
      'ClockSync', 'ClockUnsync', 'ClockChanged', 'FirmwareUpdateRequested', 'FirmwareDownloaded', 'FirmwareDownloadFailed',
      'FirmwareInstalled', 'FirmwareInstallFailed', 'ChargingStarted', 'ChargingSuspended', 'ChargingResumed',
      'ChargingStopped', 'SigningKeyInvalid', 'MeterReplaced', 'StationActivated',
    ]) {
      expect(seen).toContain(e);
    }
    const entries = st.log.all();
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    for (const e of entries) {
      expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(verifyMetrologyLogEntry(e, st.publicKey).ok).toBe(true);
    }
    const installed = entries.find((e) => e.event === 'FirmwareInstalled')!;
    expect(installed.metadata).toMatch(/^LRSHash: [0-9a-f]{10}, LRSVersion: 1\.0\.0$/);
    expect(entries.find((e) => e.event === 'ChargingStarted')!.metadata).toMatchObject({ connector: 1 });
    const tampered = { ...entries[0], event: 'ClockSync' as const };
    expect(verifyMetrologyLogEntry(tampered, st.publicKey).ok).toBe(false);
  });

  it('changes GV after a firmware update', () => {
    const st = station();
    st.updateFirmware(T0 + HOUR, '1.1.0');
    st.startSession(T0 + 2 * HOUR, request());
    expect(st.stopSession(T0 + 3 * HOUR, 1)!.ocmf).toContain('"GV":"lrs_ver: 1.1.0, ');
  });
});

describe('overload protection', () => {
  it('tolerates up to 125 % of the limit, and an overload corrected within 10 s', () => {
    const st = station();
    st.startSession(T0, request()); // limit: vehicle 16 A
    expect(st.overcurrent(T0 + MIN, 1, 20, 60_000).kind).toBe('tolerated'); // exactly 125 %
    expect(st.overcurrent(T0 + MIN, 1, 20.5, 9_000).kind).toBe('tolerated');
    expect(st.hasSession(1)).toBe(true);
  });

  it('stops within 10 s, resumes up to three times, then allows no session until a power cycle with one minute off', () => {
    const st = station();
    st.startSession(T0, request());
    const t = T0 + 10 * MIN;
    const outcomes = [0, 1, 2].map((k) => st.overcurrent(t + k * MIN, 1, 21, 30_000));
    for (const [k, o] of outcomes.entries()) {
      expect(o).toMatchObject({ kind: 'tripped', tripAt: t + k * MIN + TRIP_DELAY_MS, resumeAt: t + k * MIN + TRIP_DELAY_MS + RESUME_DELAY_MS });
      expect((o as { tripAt: number }).tripAt - (t + k * MIN)).toBeLessThan(10_000);
    }
    expect(outcomes.map((o) => (o as { resumesLeft: number }).resumesLeft)).toEqual([2, 1, 0]);
    expect(st.hasSession(1)).toBe(true);
    const fourth = st.overcurrent(t + 3 * MIN, 1, 21, 30_000);
    expect(fourth.kind).toBe('locked-out');
    expect(st.hasSession(1)).toBe(false);
    const aborted = st.takeAbortedSessions();
    expect(aborted).toHaveLength(1);
    expect(aborted[0].ocmf).toMatch(/"TX":"A"/);
    expect(st.led().colour).toBe('red');
    expect(st.startSession(t + HOUR, request())).toMatchObject({ refused: true });
    st.powerOff(t + 2 * HOUR);
    st.powerOn(t + 2 * HOUR + 30_000); // 30 s off: not enough
    expect(st.refusalReason(1)).toMatch(/overload/);
    st.powerOff(t + 3 * HOUR);
    st.powerOn(t + 3 * HOUR + 60_000);
    expect(st.refusalReason(1)).toBeUndefined();
    expect(st.activeFaults().map((f) => f.fault.id)).not.toContain('urn:fault:koala:ac-over-current');
  });
});

describe('welded contact detection', () => {
  it('is detected after a session, puts the station in error and survives a reboot', () => {
    const st = station();
    st.startSession(T0, request());
    st.weldContactsOnNextStop();
    expect(st.hasWeldedContact).toBe(false); // cannot be seen during the session
    st.stopSession(T0 + HOUR, 1);
    expect(st.hasWeldedContact).toBe(true);
    expect(st.led().colour).toBe('red');
    st.powerOff(T0 + 2 * HOUR);
    st.powerOn(T0 + 3 * HOUR);
    expect(st.refusalReason(1)).toMatch(/welded/);
    st.repairWeldedContact(T0 + 4 * HOUR);
    expect(st.refusalReason(1)).toBeUndefined();
  });
});

describe('6 mA DC leakage, ventilation, catalogue faults', () => {
  it('does not trip when the leakage stops within 10 s; trips and clears 10 s later otherwise', () => {
    const st = station();
    st.startSession(T0, request());
    expect(st.dcLeakage(T0 + MIN, 1, 9_999).kind).toBe('tolerated');
    expect(st.hasSession(1)).toBe(true);
    const o = st.dcLeakage(T0 + 2 * MIN, 1, 12_000);
    expect(o).toEqual({ kind: 'tripped', tripAt: T0 + 2 * MIN + 10_000, clearsAt: T0 + 2 * MIN + 20_000 });
    expect(st.hasSession(1)).toBe(false);
    expect(st.activeFaults()).toEqual([]);
  });

  it('refuses ventilation (state D) and interrupts the session', () => {
    const st = station();
    st.startSession(T0, request());
    const ended = st.requestVentilation(T0 + MIN, 1)!;
    expect(ended.ocmf).toMatch(/"TX":"A"/);
    expect(st.activeFaults().map((f) => f.fault.id)).toContain('urn:fault:koala:unable-provide-ventilation');
  });

  it('takes the station out of service on a critical fault; a minor one only reports', () => {
    const st = station();
    st.raiseFault(T0, 'can-bus-error');
    expect(st.refusalReason(1)).toBeUndefined();
    st.startSession(T0 + MIN, request());
    st.raiseFault(T0 + 2 * MIN, 'eichrecht-meter-mismatch');
    expect(st.hasSession(1)).toBe(false);
    expect(st.refusalReason(1)).toMatch(/critical fault/);
    expect(st.led()).toMatchObject({ colour: 'red', blinking: false });
  });

  it('suspends charging on an EnWG grid suspension', () => {
    const st = station();
    st.startSession(T0, request());
    st.raiseFault(T0 + MIN, 'enwg-grid-suspend');
    expect(st.hasSession(1)).toBe(true);
    expect(st.currentA(1)).toBe(0);
    expect(st.led().colour).toBe('blue');
  });
});

describe('LED', () => {
  it('shows available, charging and finished', () => {
    const st = station();
    expect(st.led()).toMatchObject({ colour: 'green', blinking: false });
    st.startSession(T0, request());
    expect(st.led()).toMatchObject({ colour: 'blue', blinking: true });
    st.suspend(T0 + MIN, 1);
    expect(st.led()).toMatchObject({ colour: 'blue', blinking: false });
  });
});

describe('determinism and key replacement', () => {
  it('gives the same payloads and keys for the same seed', () => {
    const run = () => {
      const st = station({}, 99);
      st.startSession(T0, request());
      const d = st.stopSession(T0 + HOUR, 1)!;
      return { key: d.publicKey, payload: (splitOcmf(d.ocmf) as { sections: { payloadText: string } }).sections.payloadText };
    };
    expect(run()).toEqual(run());
  });

  it('starts a new key and a new counter when the meter is replaced', () => {
    const st = station();
    st.startSession(T0, request());
    const first = st.stopSession(T0 + HOUR, 1)!;
    const { oldKey, newKey } = st.replaceMeter(T0 + 2 * HOUR);
    expect(oldKey).toBe(first.publicKey);
    expect(newKey).not.toBe(oldKey);
    st.startSession(T0 + 3 * HOUR, request());
    const second = st.stopSession(T0 + 4 * HOUR, 1)!;
    expect(second.counter).toBe(1);
    expect(verifyOcmf(second.ocmf, { publicKey: newKey }).verdict).toBe('valid');
    expect(verifyOcmf(second.ocmf, { publicKey: oldKey }).verdict).toBe('invalid');
  });
});
