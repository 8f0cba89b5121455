import type { MetrologyLogFields } from './MetrologyLogEntry';
import { metrologyLogSignedText } from './metrologyLogSignedText';

describe('metrologyLogSignedText', () => {
  it('writes the fields in the signed order, without spaces, whatever order they are given in', () => {
    const text = metrologyLogSignedText({ metadata: { udid: 'u-1' }, event: 'MeterTestPassed', time: '2025-01-01T07:00:05Z', seq: 3, stationId: 'CP-000001' });
    expect(text).toBe('{"stationId":"CP-000001","seq":3,"time":"2025-01-01T07:00:05Z","event":"MeterTestPassed","metadata":{"udid":"u-1"}}');
  });

  it('keeps metadata that is a text or nothing', () => {
    expect(metrologyLogSignedText({ stationId: 'CP-1', seq: 1, time: '2025-01-01T00:00:00Z', event: 'FirmwareInstalled', metadata: 'LRSHash: ab' })).toContain('"metadata":"LRSHash: ab"');
    expect(metrologyLogSignedText({ stationId: 'CP-1', seq: 1, time: '2025-01-01T00:00:00Z', event: 'ClockSync', metadata: null })).toContain('"metadata":null');
  });
});

describe('metrologyLogSignedText, written field by field', () => {
  const base = { stationId: 'CP-000001', seq: 3, time: '2025-01-01T07:00:05Z', event: 'MeterTestPassed' as const, metadata: { udid: 'u-1' } as MetrologyLogFields['metadata'] };
  const reference = (e: MetrologyLogFields) => JSON.stringify({ stationId: e.stationId, seq: e.seq, time: e.time, event: e.event, metadata: e.metadata });

  it('is exactly what JSON.stringify writes, for every kind of field value', () => {
    const variants: MetrologyLogFields[] = [
      base,
      { ...base, metadata: null },
      { ...base, metadata: 'LRSHash: ab, LRSVersion: 1.0.1' },
      { ...base, metadata: { update: 'meter', old: '123456B12345', new: 23000, nested: { list: [1, 'two', null] } } },
      { ...base, stationId: 'CP-"quoted"\\ \u0001 é 漏电 \ud83d\ude00', time: 'not a time\n' },
      { ...base, metadata: 'lone surrogate \ud800 and "quotes"' },
      { ...base, seq: 0 },
      { ...base, seq: -0 },
      { ...base, seq: 1e21 },
      { ...base, seq: 0.5 },
      { ...base, seq: Number.MAX_SAFE_INTEGER },
      { ...base, seq: NaN },
      { ...base, seq: Infinity },
      { ...base, metadata: undefined as unknown as null },
      { ...base, stationId: undefined as unknown as string },
      { ...base, seq: '7' as unknown as number },
      { ...base, metadata: { toJSON: () => 'custom' } as unknown as Record<string, unknown> },
    ];
    for (const v of variants) expect(metrologyLogSignedText(v)).toBe(reference(v));
  });
});
