import { chainHash, GENESIS_HASH, NO_STREAM } from '@metrology-ledger/ledger';
import { as, startTestApp, TEST_KEYS } from '../testing/testApp';

// Finding 1: an operator write names its station by the path only, is validated before anything is
// stored, and is answered 400 with the reason; readers of commissioning records never fail for everyone.
let t: Awaited<ReturnType<typeof startTestApp>>;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.app.close());

const put = (station: string, body: object) => t.http.put(`/operator/stations/${station}/commissioning`).set(as(TEST_KEYS.operator)).send(body);
const commissioningEvents = async (station: string) => (await t.ledger.read(t.ledger.stationStream(station, 'station'), 0, 100)).events;

describe('PUT /operator/stations/:stationId/commissioning', () => {
  it('refuses {"commissionedAt":"x","stationId":"CP-B1"} on CP-X9 with 400 and the reasons, storing nothing anywhere', async () => {
    const r = await put('CP-X9', { commissionedAt: 'x', stationId: 'CP-B1' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.message)).toMatch(/stationId should not exist/);
    expect(JSON.stringify(r.body.message)).toMatch(/commissionedAt must be a valid ISO 8601/);
    expect(await commissioningEvents('CP-X9')).toEqual([]);
    expect(await commissioningEvents('CP-B1')).toEqual([]);
  });

  it('refuses a body naming another station even when the record is otherwise valid', async () => {
    const r = await put('CP-X9', { commissionedAt: '2025-01-01T00:00:00Z', stationId: 'CP-B1' });
    expect(r.status).toBe(400);
    expect(await t.ledger.stationsWith('station')).toEqual([]);
  });

  it('answers a ledger rule violation 400 with the rule and its message, storing nothing', async () => {
    const r = await put('CP-X9', { commissionedAt: '2025-01-01T00:00:00Z', decommissionedAt: '2024-01-01T00:00:00Z' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ statusCode: 400, error: 'Bad Request', rule: 'commissioning-order', message: 'decommissionedAt lies before commissionedAt' });
    expect(await commissioningEvents('CP-X9')).toEqual([]);
  });

  it('records a valid record under the station of the path', async () => {
    const r = await put('CP-X9', { commissionedAt: '2025-01-01T00:00:00Z' });
    expect(r.status).toBe(200);
    expect(r.body.deadlines).toHaveLength(3);
    const events = await commissioningEvents('CP-X9');
    expect(events.map((e) => e.event.data)).toEqual([expect.objectContaining({ stationId: 'CP-X9', commissionedAt: '2025-01-01T00:00:00Z' })]);
  });

  it('refuses a station id in the path that breaks the station-id rule, naming the rule', async () => {
    const r = await put('CP%20X', { commissionedAt: '2025-01-01T00:00:00Z' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ rule: 'station-id', message: expect.stringMatching(/a station id is 1-100 characters/) });
  });
});

describe('GET /compliance/deadlines', () => {
  it('reports a station whose stored record cannot be read as a finding for that station, answering the others', async () => {
    // A bad record stored by an older version, appended directly to the store with a valid chain.
    for (const [station, data] of [
      ['CP-BAD', { stationId: 'CP-BAD', commissionedAt: 'x', recordedAt: '2025-01-01T00:00:00Z' }],
      ['CP-ELSE', { stationId: 'CP-B1', commissionedAt: '2025-01-01T00:00:00Z', recordedAt: '2025-01-01T00:00:00Z' }],
      ['CP-CORRUPT', '{"stationId":"CP-CORRUPT","commissionedAt":"2025-'],
    ] as const) {
      const streamId = t.ledger.stationStream(station, 'station');
      const dataText = typeof data === 'string' ? data : JSON.stringify(data);
      const appended = await t.store.append(streamId, NO_STREAM, [
        { type: 'StationCommissioningRecorded', dataText, recordedAt: '2025-01-01T00:00:00Z', prevHash: GENESIS_HASH, hash: chainHash(GENESIS_HASH, streamId, 0, 'StationCommissioningRecorded', dataText) },
      ]);
      expect(appended.ok).toBe(true);
    }
    const r = await t.http.get('/compliance/deadlines').set(as(TEST_KEYS.auditor));
    expect(r.status).toBe(200);
    expect(r.body.unreadable).toEqual([
      { stationId: 'CP-BAD', problem: expect.stringMatching(/commissionedAt/) },
      { stationId: 'CP-CORRUPT', problem: expect.stringMatching(/^the latest commissioning record is not readable \(stored data is not JSON/) },
      { stationId: 'CP-ELSE', problem: expect.stringMatching(/another or no valid station/) },
    ]);
    expect(r.body.deadlines.map((d: { stationId: string }) => d.stationId)).toEqual(['CP-X9', 'CP-X9', 'CP-X9']);
  });

  it('refuses unknown and invalid parameters with 400', async () => {
    expect((await t.http.get('/compliance/deadlines?foo=1').set(as(TEST_KEYS.auditor))).status).toBe(400);
    expect((await t.http.get('/compliance/deadlines?state=late').set(as(TEST_KEYS.auditor))).status).toBe(400);
    const due = await t.http.get('/compliance/deadlines?state=due').set(as(TEST_KEYS.operator));
    expect(due.status).toBe(200);
    expect(due.body.deadlines.every((d: { state: string }) => d.state === 'due')).toBe(true);
  });
});
