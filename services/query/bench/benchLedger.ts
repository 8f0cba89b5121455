// Builds a ledger of dataset records for the query benchmarks, fast: prepared DatasetRecorded events
// appended straight into the store's table (SQLite: one transaction of prepared inserts; PostgreSQL:
// multi-row INSERTs, one transaction per 20,000 rows), each with its revision and its hash chained
// by the ledger's own `chainHash`, so the result is a ledger every reader (and `verifyChains`) accepts.
// Building it is not what the benchmarks measure.
//
// The records are CP800-shaped OCMF datasets (readings, times, identification), one pagination
// counter after the other per station, spread over one year. They carry the simulator's unsigned
// placeholder signature (`MAYCAQECAQE=`): signing a million P-384 packets would take longer than
// everything measured, and neither the rebuild nor the exports verify signatures. They are NOT
// verifiable datasets; never use such a ledger for anything but a benchmark.
import { createHash, generateKeyPairSync } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client, type ClientConfig } from 'pg';
import { chainHash, GENESIS_HASH, PostgresEventStore, SqliteEventStore, StreamId, type StoredEvent } from '@metrology-ledger/ledger';

export interface BenchLedgerShape {
  stations: number;
  /** Dataset records of each station, over one year from `start`. */
  perStation: number;
  /** Year the records' times fall in (UTC). */
  year: number;
}

const EMSPS = ['DE-EMP-ALPHA', 'AT-EMP-DELTA', 'NL-EMP-GAMMA'];
const STATION_KEYS: string[] = [];

/** A P-384 SPKI (hex) per station index, generated once per process. */
function stationKey(i: number): string {
  while (STATION_KEYS.length <= i) STATION_KEYS.push(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'der' }).toString('hex'));
  return STATION_KEYS[i];
}

export function benchStationId(i: number): string {
  return `CP-${String(i + 1).padStart(6, '0')}`;
}

const ocmfTime = (ms: number) => `${new Date(ms).toISOString().replace('.', ',').replace('Z', '+0000')} S`;

/** The events of every station's one dataset stream, stream after stream, revision after revision. */
export function* benchEvents(shape: BenchLedgerShape): Generator<StoredEvent> {
  const start = Date.UTC(shape.year, 0, 1);
  // Every session ends within the year (the last one begins at least two hours before its end).
  const step = (Date.UTC(shape.year + 1, 0, 1) - start - 7_200_000) / shape.perStation;
  for (let s = 0; s < shape.stations; s++) {
    const stationId = benchStationId(s);
    const publicKey = stationKey(s);
    const streamId = StreamId.datasets(stationId, publicKey, 'T');
    let prevHash = GENESIS_HASH;
    let meter = 1000 + s * 7.25;
    for (let c = 0; c < shape.perStation; c++) {
      const begin = start + Math.floor(c * step) + 60_000;
      const end = begin + 3_600_000 - (c % 7) * 300_000;
      const kwh = 5 + (c % 40) * 0.5137;
      const tx = `${stationId}-tx-${c + 1}`;
      const payload =
        `{"FV":"1.0","GI":"CP${String(s + 1).padStart(10, '0')}","PG":"T${c + 1}","GV":"lrs_ver: 1.0.0, sw_rel: 2024.05.00.423-alpha","MV":"Chargepoint Inc.", "MM":"CPKM3000", ` +
        `"MS":"NTcyNDM3Qjc2NTQzAAAAAHwzMS0wMDI3MDAtMDQtMDE=", "MF":"scf xXEVClxqRtmz//HhsoIUHveQOVIQLrkrMsiZm2XYNd8=", "IS":true, "ID":"${(0xa8576230 + (c % 997)).toString(16).toUpperCase()}", "CI":1, ` +
        `"LC":{"LU":"uOhm", "LR":23000.0}, "TT":"","RD":[{"TX":"B", "TM":"${ocmfTime(begin)}", "RU":"kWh", "RI":"1-b:1.8.0", "RT":"AC", "RV":${meter.toFixed(4)}, "CL":0.0, "ST":"G"}, ` +
        `{"TX":"E", "TM":"${ocmfTime(end)}", "RU":"kWh", "RI":"1-b:1.8.0", "RT":"AC", "RV":${(meter + kwh).toFixed(4)}, "CL":0.0667, "ST":"G"}]}`;
      meter += kwh;
      const ocmf = `OCMF|${payload}|{"SA":"ECDSA-secp384r1-SHA256", "SD":"MAYCAQECAQE=", "SE":"base 64"}`;
      const receivedAt = new Date(end + 4_000).toISOString();
      const messageId = `${stationId}:ocmf:${c + 1}`;
      const data = {
        stationId,
        publicKey,
        paginationContext: 'T',
        counter: String(c + 1),
        pagination: `T${c + 1}`,
        transactionId: tx,
        connector: 1,
        emspId: EMSPS[c % EMSPS.length],
        ocmf,
        payloadSha256: createHash('sha256').update(payload).digest('hex'),
        verification: { verdict: 'valid', reason: 'signature matches', keyId: publicKey.slice(-16), algorithm: 'ECDSA-secp384r1-SHA256', verifier: 'libs/ocmf', verifiedAt: receivedAt },
        receipt: { messageId, receivedAt, source: `bench-datasets/0@${s * shape.perStation + c}`, messageSha256: createHash('sha256').update(messageId).digest('hex') },
      };
      const dataText = JSON.stringify(data);
      const hash = chainHash(prevHash, streamId, c, 'DatasetRecorded', dataText);
      yield { streamId, revision: c, type: 'DatasetRecorded', dataText, recordedAt: receivedAt, prevHash, hash };
      prevHash = hash;
    }
  }
}

const COLUMNS = 'stream_id, revision, type, data, recorded_at, prev_hash, hash';
const values = (e: StoredEvent) => [e.streamId, e.revision, e.type, e.dataText, e.recordedAt, e.prevHash, e.hash];

/** A new SQLite ledger in `file` (the store's own schema and triggers), filled in one transaction. */
export async function fillSqliteLedger(file: string, shape: BenchLedgerShape): Promise<number> {
  await new SqliteEventStore(file).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(`INSERT INTO ledger_events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  let n = 0;
  db.transaction(() => {
    for (const e of benchEvents(shape)) {
      insert.run(...values(e));
      n++;
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return n;
}

const PG_ROWS_PER_INSERT = 1000;
const PG_ROWS_PER_TRANSACTION = 20_000;

/** A new PostgreSQL ledger in `schema` (dropped first; the store creates table and trigger), filled by multi-row INSERTs. */
export async function fillPostgresLedger(pg: ClientConfig, schema: string, shape: BenchLedgerShape): Promise<number> {
  const client = new Client(pg);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    const store = new PostgresEventStore({ ...pg, schema } as ConstructorParameters<typeof PostgresEventStore>[0]);
    await store.init();
    await store.close();
    await client.query('SET synchronous_commit = off');
    const table = `"${schema}".ledger_events`;
    const placeholders = (rows: number) => Array.from({ length: rows }, (_, r) => `(${Array.from({ length: 7 }, (_, c) => `$${r * 7 + c + 1}`).join(', ')})`).join(', ');
    const full = { name: `bench-fill-${schema}`, text: `INSERT INTO ${table} (${COLUMNS}) VALUES ${placeholders(PG_ROWS_PER_INSERT)}` };
    let batch: unknown[] = [];
    let n = 0;
    const flush = async () => {
      const rows = batch.length / 7;
      if (rows === 0) return;
      await client.query(rows === PG_ROWS_PER_INSERT ? { ...full, values: batch } : { text: `INSERT INTO ${table} (${COLUMNS}) VALUES ${placeholders(rows)}`, values: batch });
      batch = [];
    };
    await client.query('BEGIN');
    for (const e of benchEvents(shape)) {
      batch.push(...values(e));
      n++;
      if (batch.length / 7 === PG_ROWS_PER_INSERT) await flush();
      if (n % PG_ROWS_PER_TRANSACTION === 0) await client.query('COMMIT; BEGIN');
    }
    await flush();
    await client.query('COMMIT');
    await client.query(`ANALYZE ${table}`);
    return n;
  } finally {
    await client.end();
  }
}
