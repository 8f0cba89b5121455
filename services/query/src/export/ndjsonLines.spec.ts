import { chainHash, GENESIS_HASH, type RecordedEvent } from '@metrology-ledger/ledger';
import { ledgerEventLine } from './ndjsonLines';

const event = (dataText: string): RecordedEvent => ({
  streamId: 'keys/CP-1',
  revision: 0,
  recordedAt: '2025-01-01T00:00:00Z',
  prevHash: GENESIS_HASH,
  hash: chainHash(GENESIS_HASH, 'keys/CP-1', 0, 'StationKeyRegistered', dataText),
  dataText,
  event: { type: 'StationKeyRegistered', data: JSON.parse(dataText) },
});

describe('NDJSON lines', () => {
  it('embeds the stored data text verbatim, so the hash can be recomputed from the line', () => {
    const dataText = '{"stationId":"CP-1","publicKey":"ab",  "validFrom":"2025-01-01T00:00:00Z"}';
    const line = ledgerEventLine(event(dataText));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/\n/);
    const parsed = JSON.parse(line);
    expect(parsed.data).toEqual(JSON.parse(dataText));
    expect(line).toContain(dataText);
    expect(chainHash(parsed.prevHash, parsed.streamId, parsed.revision, parsed.type, dataText)).toBe(parsed.hash);
  });

  it('keeps one line per event when a stored data text holds a line break', () => {
    const dataText = '{"stationId":"CP-1",\n"publicKey":"ab","validFrom":"x"}';
    const line = ledgerEventLine(event(dataText));
    expect(line.slice(0, -1)).not.toMatch(/\n/);
    expect(JSON.parse(line).dataText).toBe(dataText);
  });
  it('writes a stored row that is not JSON as a valid line, with its stored type, the text quoted and the reason', () => {
    const dataText = 'not json';
    const line = ledgerEventLine({ ...event('{}'), dataText, event: { type: 'UnreadableEvent', data: { storedType: 'StationCommissioningRecorded', reason: 'stored data is not JSON' } } });
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject({ type: 'StationCommissioningRecorded', dataText: 'not json', unreadable: 'stored data is not JSON' });
  });
});
