import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RPCClient } from 'ocpp-rpc';
import { Ledger } from '@metrology-ledger/ledger';
import { PostgresSessionStore } from '@metrology-ledger/query';
import { ensureKafka, KafkaPipelineHarness } from './KafkaPipelineHarness';
import { Meter, startStandaloneEdge, station } from './testing/ocppStations';

// Who owns a session from a real station, end to end on the built services: an ocpp-rpc station
// (OCPP 1.6, security profile 2) → the edge (standalone) → Kafka → ingest → ledger in PostgreSQL →
// query (read model in PostgreSQL). The token is unknown: the session is kept, the operator sees it,
// the eMSP does not; the eMSP registers its token through the query API and then sees it.

beforeAll(() => ensureKafka());

describe('OCPP station → edge → Kafka → ingest → ledger → query: a session owned through its token', () => {
  const h = new KafkaPipelineHarness();
  const dir = mkdtempSync(join(tmpdir(), 'ocpp-owner-'));
  const identity = `CP-OWNER-${h.suffix}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const meter = new Meter();
  const keys = { emsp: `emsp-${randomBytes(16).toString('hex')}`, operator: `operator-${randomBytes(16).toString('hex')}` };
  const readModelSchema = `${h.schema}_query`;
  const clients: RPCClient[] = [];

  afterAll(async () => {
    for (const c of clients) await c.close({ force: true }).catch(() => undefined);
    await h.cleanup();
    const readModel = new PostgresSessionStore({ host: process.env.PGHOST ?? '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test', schema: readModelSchema });
    await readModel.dropSchema();
    await readModel.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the session of an unknown token from the eMSP until the eMSP registers the token, then shows it', async () => {
    await h.prepareEmpty();
    await new Ledger(h.store).registerKey({ stationId: identity, publicKey: meter.publicKey, validFrom: '2025-01-01T00:00:00Z' });
    const { url, ca } = await startStandaloneEdge(h, dir, { [identity]: password });
    const ingest = h.startIngest();
    const query = await h.startQuery(`${keys.emsp}=emsp:DE-EMP;${keys.operator}=operator`, { env: { QUERY_READ_MODEL: 'postgres', QUERY_PG_SCHEMA: readModelSchema, QUERY_REFRESH_MS: '200' } });
    const call = async (method: string, path: string, key: string, body?: unknown) => {
      const r = await fetch(`${query.url}${path}`, { method, headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.status, body: await r.json() };
    };
    const until = async (what: string, cond: () => Promise<boolean>) => {
      const deadline = Date.now() + 60_000;
      await h.waitFor(async () => {
        if (Date.now() > deadline) throw new Error(`${what} did not happen in time; ingest said:\n${h.outputOf(ingest).slice(-2000)}\nquery said:\n${h.outputOf(query.child).slice(-2000)}`);
        return cond();
      }, ingest);
    };

    // The station: StartTransaction with an RFID card nobody registered, then MeterValues with its signed dataset.
    const s = station(url, identity, 'ocpp1.6', password, ca);
    clients.push(s.client);
    await s.client.connect();
    const started = (await s.client.call('StartTransaction', { connectorId: 1, idTag: '04A1B2C3', meterStart: 1500, timestamp: '2025-06-03T07:48:45Z' })) as { transactionId: number };
    const signed = JSON.stringify({ signedMeterValue: Buffer.from(meter.dataset(1, 2.5)).toString('base64'), encodingMethod: 'OCMF' });
    await s.client.call('MeterValues', { connectorId: 1, transactionId: started.transactionId, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [{ value: signed, format: 'SignedData', context: 'Transaction.End' }] }] });
    const tx = String(started.transactionId);

    // Kept, with its OCPP token, for the operator; invisible to the eMSP.
    const unowned = async () => (await call('GET', `/sessions?owner=none&stationId=${identity}`, keys.operator)).body.items as { transactionId: string; token: unknown }[];
    await until('the session reaching the read model', async () => (await unowned()).some((x) => x.transactionId === tx));
    expect((await unowned())[0]).toMatchObject({ transactionId: tx, emspId: null, token: { uid: '04A1B2C3', source: 'ocpp' }, tokenMismatch: null, verdict: 'valid' });
    expect(await call('GET', '/emsp/sessions', keys.emsp)).toEqual({ status: 200, body: { items: [], nextCursor: null } });
    expect((await call('GET', `/emsp/sessions/${tx}`, keys.emsp)).status).toBe(404);

    // The eMSP registers its card: the session becomes its own.
    expect(await call('PUT', '/emsp/tokens/04A1B2C3', keys.emsp, { type: 'RFID' })).toEqual({ status: 200, body: { uid: '04A1B2C3', emspId: 'DE-EMP', type: 'RFID', contractId: null, registered: true } });
    await until('the session reaching its eMSP', async () => (await call('GET', '/emsp/sessions', keys.emsp)).body.items.length > 0);
    const [own] = (await call('GET', '/emsp/sessions', keys.emsp)).body.items;
    expect(own).toMatchObject({ transactionId: tx, stationId: identity, emspId: 'DE-EMP', emspSource: 'registry', token: { uid: '04A1B2C3' } });
    expect(await call('GET', `/emsp/sessions/${tx}/billing`, keys.emsp)).toMatchObject({ status: 200, body: { energy: '1', stationId: identity } });
    expect(await unowned()).toEqual([]);
  }, 120_000);
});
