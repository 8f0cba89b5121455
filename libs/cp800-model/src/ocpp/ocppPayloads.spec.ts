import { NO_FAULTS } from '../sim/FaultSpec';
import { FleetSimulator } from '../sim/FleetSimulator';
import type { MetrologyLogMessage, OcmfDatasetMessage } from '../sim/SimulationMessage';
import { faultCallOf, ocmfTimeToIso, securityEventOf, sessionFactsOf, TECH_INFO_LIMIT } from './ocppPayloads';

const messages = [...new FleetSimulator({ stations: 2, days: 1, seed: 4, start: Date.UTC(2025, 4, 1), faults: NO_FAULTS, signing: 'unsigned' }).days()].flat();

describe('OCPP payloads of a CP800', () => {
  it('reads the session facts from the dataset the station signed', () => {
    const d = messages.find((m): m is OcmfDatasetMessage => m.kind === 'ocmf-dataset')!;
    const payload = JSON.parse(d.ocmf.slice(5, d.ocmf.lastIndexOf('|{'))) as { ID: string; RD: { TM: string; RV: number }[] };
    const facts = sessionFactsOf(d.ocmf, d.sentAt);
    expect(facts).toEqual({
      idTag: payload.ID,
      beganAt: ocmfTimeToIso(payload.RD[0].TM),
      endedAt: ocmfTimeToIso(payload.RD[payload.RD.length - 1].TM),
      meterStartWh: Math.round(payload.RD[0].RV * 1000),
      meterStopWh: Math.round(payload.RD[payload.RD.length - 1].RV * 1000),
    });
    expect(facts.meterStopWh).toBeGreaterThanOrEqual(facts.meterStartWh);
    expect(sessionFactsOf('OCMF|not json|{}', '2025-05-01T00:00:00.000Z')).toEqual({ idTag: 'UNKNOWN', beganAt: '2025-05-01T00:00:00.000Z', endedAt: '2025-05-01T00:00:00.000Z', meterStartWh: 0, meterStopWh: 0 });
  });

  it('converts OCMF times with their offset to UTC', () => {
    expect(ocmfTimeToIso('2025-06-03T07:48:45,120+0200 S')).toBe('2025-06-03T05:48:45.120Z');
    expect(ocmfTimeToIso('2025-06-03 07:48')).toBeUndefined();
  });

  it('puts a log entry in SecurityEventNotification within OCPP limits, the signed text when it fits', () => {
    const logs = messages.filter((m): m is MetrologyLogMessage => m.kind === 'metrology-log-entry');
    expect(logs.length).toBeGreaterThan(0);
    for (const l of logs) {
      const e = securityEventOf(l);
      const fields = JSON.parse(l.entry.signedText) as { seq: number; event: string };
      expect(e.type).toBe(fields.event);
      expect(e.techInfo.length).toBeLessThanOrEqual(TECH_INFO_LIMIT);
      expect(e.techInfo).toBe(`metrology-log seq ${fields.seq}: ${l.entry.signedText}`);
    }
    const long = { ...logs[0], entry: { ...logs[0].entry, signedText: JSON.stringify({ seq: 9, event: 'X', metadata: 'm'.repeat(300) }) } };
    expect(securityEventOf(long).techInfo).toBe('metrology-log seq 9');
  });

  it('cuts fault texts to OCPP 1.6 StatusNotification lengths', () => {
    const fault = { kind: 'station-fault' as const, messageId: 'm', stationId: 'CP-000001', faultId: `urn:fault:${'x'.repeat(60)}`, severity: 'Major' as const, hostMessage: 'h'.repeat(80), state: 'raised' as const, at: '2025-05-01T00:00:00.000Z', sentAt: '2025-05-01T00:00:01.000Z' };
    const { action, params } = faultCallOf('1.6', fault, 1);
    expect(action).toBe('StatusNotification');
    expect(params).toMatchObject({ status: 'Faulted', errorCode: 'OtherError' });
    expect([(params.vendorErrorCode as string).length, (params.info as string).length]).toEqual([50, 50]);
    expect(faultCallOf('1.6', { ...fault, state: 'cleared' }, 2).params).toMatchObject({ status: 'Available', errorCode: 'NoError' });
  });
});
