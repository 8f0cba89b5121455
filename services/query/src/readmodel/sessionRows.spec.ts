import type { SessionView } from '../domain/SessionView';
import { sessionFromRow, sessionLineFromRow, sessionLines, sessionValues, storedBody, type SessionRow } from './sessionRows';

const view: SessionView = {
  stationId: 'CP-1',
  publicKey: 'ab',
  streamId: 'datasets/CP-1/k/T',
  counter: '7',
  pagination: 'T7',
  // Unsigned CSMS text may hold anything, the stored keys' spelling included.
  transactionId: 'tx,"identification":{"data":"x"},"tokenMismatch":1\\"\n\u2028',
  connector: 1,
  emspId: 'DE-MSG',
  emspSource: 'message',
  token: { uid: '11223344', type: null, source: 'ocpp' },
  tokenMismatch: 'stale',
  status: 'recorded',
  ocmf: 'OCMF|{"PG":"T7","ID":"AABBCCDD","x":",\\"identification\\":"}|{}',
  conflictingOcmf: [],
  verdict: 'valid',
  verifier: 'libs/ocmf',
  recordedAt: '2025-01-01T00:00:00.000Z',
  startTime: null,
  endTime: '2025-01-01T01:00:00.000Z',
  energy: '1.5',
  unit: 'kWh',
  energyWithheld: null,
  identification: { status: true, type: 'ISO14443', data: 'AABBCCDD' },
  cumulatedLoss: null,
  timeStatus: ['S'],
};

/** The row a store keeps for a view (the columns of `upsertSession`). */
function rowOf(v: SessionView, token = v.token): SessionRow {
  const values = sessionValues({ ...v, token });
  return { body: values[12] as string, emsp_id: v.emspId, emsp_source: v.emspSource, token_uid: token?.uid ?? null, token_type: token?.type ?? null, token_source: token?.source ?? null };
}

describe('session rows', () => {
  it('stores a view without the fields its columns hold, identification last', () => {
    const stored = JSON.parse(storedBody(view));
    expect(Object.keys(stored)).not.toEqual(expect.arrayContaining(['emspId']));
    expect(Object.keys(stored).slice(-1)).toEqual(['identification']);
    expect(stored).not.toHaveProperty('tokenMismatch');
  });

  it.each([
    ['a view as projected', view],
    ['a view read back from a row (columns after the stored keys)', sessionFromRow(rowOf(view))],
    ['a view in conflict', { ...view, status: 'conflict' as const, conflictingOcmf: ['OCMF|{}|{}'] }],
    ['a view without identification (stored by an early version)', { ...view, identification: undefined as unknown as SessionView['identification'] }],
    ['a view with keys in another order', Object.fromEntries(Object.entries(view).reverse()) as SessionView],
  ])('stores the text the object rest pattern gave: %s', (_, v) => {
    const { emspId: _e, emspSource: _s, token: _t, tokenMismatch: _m, identification, ...rest } = v;
    expect(storedBody(v)).toBe(JSON.stringify({ ...rest, identification: identification ?? { status: null, type: null, data: null } }));
  });

  it.each([
    ['an OCPP token that differs from the signed identification', view.token],
    ['an OCPP token equal to it', { uid: 'aa-bb-cc-dd', type: null, source: 'ocpp' as const }],
    ['a token read from the signed data', { uid: 'AABBCCDD', type: 'ISO14443', source: 'ocmf' as const }],
    ['no token', null],
  ])('writes the NDJSON line of a row as sessionFromRow reads it: %s', (_, token) => {
    const row = rowOf(view, token);
    const line = sessionLineFromRow(row);
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual(sessionFromRow(row));
  });

  it('flags the mismatch from the columns, not from what the view held when stored', () => {
    expect(JSON.parse(sessionLineFromRow(rowOf(view))).tokenMismatch).toContain('differs from the signed identification ID "AABBCCDD"');
    expect(JSON.parse(sessionLineFromRow({ ...rowOf(view), token_uid: null, token_source: null })).tokenMismatch).toBeNull();
  });

  it('reads a row stored by an earlier version (the whole view as JSON) the same way, its columns winning', () => {
    const row: SessionRow = { ...rowOf(view), body: JSON.stringify({ ...view, emspId: 'OLD', tokenMismatch: 'old' }), emsp_id: 'DE-NEW', emsp_source: 'registry' };
    const parsed = JSON.parse(sessionLineFromRow(row));
    expect(parsed).toEqual(sessionFromRow(row));
    expect(parsed).toMatchObject({ emspId: 'DE-NEW', emspSource: 'registry' });
    expect(parsed.tokenMismatch).toContain('differs');
  });

  it('writes a chunk of rows as the same lines in one buffer, the earlier version\'s included', () => {
    const rows = [rowOf(view), rowOf(view, null), { ...rowOf(view), body: JSON.stringify({ ...view, emspId: 'OLD', tokenMismatch: 'old' }) }, rowOf({ ...view, transactionId: 'ü€😀' })];
    const text = sessionLines(rows);
    expect(Buffer.isBuffer(text)).toBe(true);
    expect(text.toString()).toBe(rows.map(sessionLineFromRow).join(''));
    expect(text.toString().split('\n').slice(0, -1).map((l) => JSON.parse(l))).toEqual(rows.map(sessionFromRow));
  });

  it.each([
    ['the first version (no token fields, identification before other keys)', () => {
      const { token: _t, tokenMismatch: _m, emspSource: _s, ...first } = view;
      return JSON.stringify(first);
    }],
    ['an identification whose data holds quotes, braces and a backslash', () => storedBody({ ...view, identification: { status: false, type: 'ISO14443', data: 'a"}}\\,"x":{' } })],
    ['an identification without status', () => storedBody({ ...view, identification: { status: null, type: null, data: null } })],
    ['an identification written in another shape (parsed whole, same line)', () => storedBody({ ...view, identification: { status: 'yes', type: 'ISO14443', data: 'AABBCCDD' } as unknown as SessionView['identification'] })],
  ])('writes the same line alone and in a chunk, as sessionFromRow reads the row: %s', (_, body) => {
    const row: SessionRow = { ...rowOf(view), body: body(), emsp_id: 'DE-COL', emsp_source: 'registry' };
    const line = sessionLineFromRow(row);
    expect(JSON.parse(line)).toEqual(sessionFromRow(row));
    expect(sessionLines([row]).toString()).toBe(line);
  });

  it('writes an empty chunk as no bytes', () => {
    expect(sessionLines([]).length).toBe(0);
  });
});
