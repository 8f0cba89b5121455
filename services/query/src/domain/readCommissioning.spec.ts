import { readCommissioning } from './readCommissioning';

describe('readCommissioning', () => {
  it('gives a valid record with its times normalised (decimal comma)', () => {
    expect(readCommissioning('CP-1', { stationId: 'CP-1', commissionedAt: '2025-01-01T00:00:00,5Z', bnetzaNotifiedAt: '2025-01-02T00:00:00Z', recordedAt: 'x' })).toEqual({
      ok: true,
      record: { stationId: 'CP-1', commissionedAt: '2025-01-01T00:00:00.5Z', bnetzaNotifiedAt: '2025-01-02T00:00:00Z' },
    });
  });

  it.each([
    [null, /no data/],
    [{ stationId: 'CP-2', commissionedAt: '2025-01-01T00:00:00Z' }, /another or no valid station/],
    [{ stationId: 'CP-1', commissionedAt: 'x' }, /no valid commissionedAt/],
    [{ stationId: 'CP-1', commissionedAt: '2025-01-01T00:00:00Z', decommissionedAt: 7 }, /invalid decommissionedAt/],
  ])('reports the problem of %j in words', (data, problem) => {
    const r = readCommissioning('CP-1', data);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(problem);
  });
});
