import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { chainHash, Ledger, PostgresEventStore } from '@metrology-ledger/ledger';
import { fillPostgresLedger } from '../../bench/benchLedger';
import { PostgresSessionStore } from './PostgresSessionStore';
import { SessionReadModel } from './SessionReadModel';
import type { SessionStore } from './SessionStore';

// `query:rebuild` as operators run it: the built command (dist/readmodel/rebuildMain.js, as the root
// script `npm run query:rebuild` starts it), from a PostgreSQL ledger into a PostgreSQL schema (its
// pages copied, `bulkLoad`) and into a SQLite file (its pages upserted on a thread). Both read models
// must hold the same sessions, with the same stored text, owners and tokens.
// Needs the PostgreSQL server of this machine (127.0.0.1:5432, database test) and the build.
const pg = { host: process.env.PGHOST ?? '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test', port: Number(process.env.PGPORT ?? 5432) };
const url = `postgres://${pg.user}@${pg.host}:${pg.port}/${pg.database}`;
const entry = resolve(__dirname, '../../dist/readmodel/rebuildMain.js');
const id = randomBytes(4).toString('hex');
const ledgerSchema = `rebuild_cli_${id}`;
const modelSchema = `rebuild_cli_${id}_query`;
const dir = mkdtempSync(join(tmpdir(), 'rebuild-cli-'));
// 2 stations of 1,100 datasets: each stream is read in two pages (the projector's page is 1,000).
const STATIONS = 2;
const PER_STATION = 1100;

function rebuild(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--max-semi-space-size=64', entry], {
      env: { ...process.env, LEDGER_STORE: 'postgres', LEDGER_PG_SCHEMA: ledgerSchema, DATABASE_URL: url, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.once('exit', (code) => done({ code, stderr }));
  });
}

/** A station's sessions in export order, each as JSON (what the model holds: stored text, owner, token). */
async function all(store: SessionStore, stationId: string): Promise<string[]> {
  const views: string[] = [];
  for await (const v of store.station(stationId)) views.push(JSON.stringify(v));
  return views;
}

let conflictStream = '';
let conflictStation = '';

beforeAll(async () => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (jest's global setup does)`);
  await fillPostgresLedger(pg, ledgerSchema, { stations: STATIONS, perStation: PER_STATION, year: 2025 });
  // Beside the datasets: a conflict on a recorded counter, and a transaction's OCPP token.
  const ledger = new Ledger(new PostgresEventStore({ ...pg, schema: ledgerSchema }));
  const [stream] = await ledger.datasetStreams();
  conflictStream = stream;
  const first = (await ledger.read(stream, 0, 5)).events[4].event.data as Record<string, unknown>;
  const ocmf = String(first.ocmf).replace('"CL":0.0667', '"CL":0.0668');
  const events = await ledger.recordDataset({ ...(first as unknown as Parameters<Ledger['recordDataset']>[0]), ocmf, payloadSha256: 'f'.repeat(64), receipt: { messageId: 'conflicting', receivedAt: 't', source: 'test' } });
  expect(events.map((e) => e.type)).toEqual(['ConflictReceived']);
  const stationId = String(first.stationId);
  conflictStation = stationId;
  await ledger.recordTransactionFact({
    type: 'OcppTransactionEventRecorded',
    data: { stationId, transactionId: `${stationId}-tx-7`, eventType: 'Started', seqNo: '0', triggerReason: 'Authorized', timestamp: 't', idToken: { idToken: 'RFID-0007', type: 'ISO14443' }, receipt: { messageId: 'tx7', receivedAt: 't', source: 'test', messageSha256: '0' } },
  } as never);
  await ledger.store.close();
  // A ledger recording one counter twice (as no version of the ledger writes it, but a rebuild must
  // take whatever is stored): a second DatasetRecorded for counter 1050 at the end of the stream,
  // chained, in a page of its own. Its copy meets the stored session and is upserted instead.
  const c = new Client(pg);
  await c.connect();
  try {
    const table = `"${ledgerSchema}".ledger_events`;
    const last = (await c.query(`SELECT revision, hash FROM ${table} WHERE stream_id = $1 ORDER BY revision DESC LIMIT 1`, [stream])).rows[0];
    const again = (await c.query(`SELECT data FROM ${table} WHERE stream_id = $1 AND type = 'DatasetRecorded' AND data::json->>'counter' = '1050'`, [stream])).rows[0].data as string;
    // The OCMF text inside the event's JSON: its quotes escaped.
    const dataText = again.replace('\\"CL\\":0.0667', '\\"CL\\":0.0669');
    expect(dataText).not.toBe(again);
    const revision = Number(last.revision) + 1;
    const hash = chainHash(last.hash, stream, revision, 'DatasetRecorded', dataText);
    await c.query(`INSERT INTO ${table} (stream_id, revision, type, data, recorded_at, prev_hash, hash) VALUES ($1, $2, 'DatasetRecorded', $3, $4, $5, $6)`, [stream, revision, dataText, '2026-01-01T00:00:00.000Z', last.hash, hash]);
  } finally {
    await c.end();
  }
}, 120_000);

afterAll(async () => {
  const c = new Client(pg);
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${ledgerSchema}" CASCADE; DROP SCHEMA IF EXISTS "${modelSchema}" CASCADE`);
  await c.end();
  rmSync(dir, { recursive: true, force: true });
});

it('rebuilds the same read model into PostgreSQL (copied) and into SQLite, with its progress on stderr', async () => {
  const file = join(dir, 'query.sqlite');
  const [intoPg, intoSqlite] = [await rebuild({ QUERY_READ_MODEL: 'postgres', QUERY_PG_SCHEMA: modelSchema }), await rebuild({ QUERY_READ_MODEL: 'sqlite', QUERY_READ_MODEL_FILE: file })];
  for (const r of [intoPg, intoSqlite]) {
    expect(r).toMatchObject({ code: 0 });
    expect(r.stderr).toContain(`rebuilding read models (streams): ${STATIONS}/${STATIONS} (100%)`);
    // Sessions written: every dataset's, then the one the conflict changes, the one the token does, and the counter recorded twice.
    expect(r.stderr).toContain(`${STATIONS * PER_STATION + 3} sessions from`);
  }
  // Into PostgreSQL every page is copied but the one holding the counter recorded twice. Pages: the
  // first stream's 1,000 + 100 datasets, then (after the conflict, written on its own) the second
  // counter 1050; the second stream's 1,000 + 100.
  expect(intoPg.stderr).toContain('(pages: 4 copied, 1 upserted because a session of theirs was already stored)');
  const postgres = new PostgresSessionStore({ connectionString: url, schema: modelSchema });
  const sqlite = new SessionReadModel(file);
  try {
    expect(await postgres.count()).toBe(STATIONS * PER_STATION);
    for (let s = 1; s <= STATIONS; s++) {
      const station = `CP-${String(s).padStart(6, '0')}`;
      const rows = await all(postgres, station);
      expect(rows).toHaveLength(PER_STATION);
      const same = await all(sqlite, station);
      // The first session that differs, if any (not the two whole lists).
      const at = rows.findIndex((r, i) => r !== same[i]);
      expect({ at, postgres: rows[at], sqlite: same[at] }).toEqual({ at: -1, postgres: undefined, sqlite: undefined });
      expect(same).toHaveLength(PER_STATION);
    }
    // The later of the two records of counter 1050 is the session, in both models.
    expect((await postgres.get(conflictStream, '1050'))?.ocmf).toContain('"CL":0.0669');
    const conflict = await postgres.get(conflictStream, '5');
    expect(conflict).toMatchObject({ status: 'conflict', conflictingOcmf: [expect.stringContaining('"CL":0.0668')] });
    expect(await sqlite.get(conflictStream, '5')).toEqual(conflict);
    const [owned] = await postgres.byTransaction(`${conflictStation}-tx-7`);
    expect(owned).toMatchObject({ counter: '7', token: { uid: 'RFID-0007', type: 'ISO14443', source: 'ocpp' } });
  } finally {
    await postgres.close();
    await sqlite.close();
  }
}, 180_000);

it('says why it will not start when the ledger is not there, and changes nothing', async () => {
  const r = await rebuild({ LEDGER_PG_SCHEMA: `${ledgerSchema}_missing`, QUERY_READ_MODEL: 'postgres', QUERY_PG_SCHEMA: `${modelSchema}_untouched` });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^rebuild: .+/m);
  const c = new Client(pg);
  await c.connect();
  try {
    expect((await c.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [`${modelSchema}_untouched`])).rowCount).toBe(0);
  } finally {
    await c.end();
  }
});
