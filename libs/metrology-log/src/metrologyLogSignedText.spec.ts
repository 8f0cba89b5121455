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
