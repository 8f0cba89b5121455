#!/usr/bin/env node
// Ledger CLI, JSON output. The store comes from the environment (LEDGER_STORE, LEDGER_SQLITE_FILE,
// DATABASE_URL / PG*, LEDGER_PG_SCHEMA, EVENTSTORE_URL), as for the services.
//   ledger verify-chain [--station <id>]             walks every stream (or a station's), reports the first break of each
//   ledger gaps [--station <id>]                     open gaps per dataset stream
//   ledger seqno-gaps [--station <id>]               OCPP 2.0.1 seqNos missing per transaction
//   ledger events --stream <id>                      every event of a stream, one JSON line each
//   ledger checkpoint                                signs a checkpoint over every stream's head (LEDGER_SIGNING_KEY_FILE), prints it
//   ledger export-bundle --station <id> [--from ISO] [--to ISO] [--after-tree-size N] --out <file>
//   ledger retention-report [--years N]              what has outlived the retention period (LEDGER_RETENTION_YEARS, never below the legal floor); removes nothing
//   ledger pg-roles --owner <role> --writer <role>   PostgreSQL: owner and writer roles, the writer limited to SELECT and INSERT (an administrator's connection)
//   ledger verify-bundle <file> [--ledger-key <pem>] [--after <older checkpoint or bundle>] [--safe-xml <out>]
//                                                    offline: no store; exit 0 and the verdict, or 1 and the first thing wrong
import { readFileSync, writeFileSync } from 'node:fs';
import { Ledger } from '../Ledger';
import { openEventStore } from '../openEventStore';
import { exportBundle } from '../evidence/exportBundle';
import { LedgerSigningKey, ledgerPublicKey } from '../evidence/LedgerSigningKey';
import { verifyBundle } from '../evidence/verifyBundle';
import { LEGAL_RETENTION_YEARS, retentionReport } from '../evidence/RetentionReport';
import { PostgresEventStore } from '../adapters/PostgresEventStore';

const USAGE =
  'usage: ledger verify-chain [--station ID] | gaps [--station ID] | seqno-gaps [--station ID] | events --stream ID | checkpoint | ' +
  'export-bundle --station ID [--from ISO] [--to ISO] [--after-tree-size N] --out FILE | ' +
  'retention-report [--years N] | pg-roles --owner ROLE --writer ROLE | verify-bundle FILE [--ledger-key PEM] [--after CHECKPOINT-OR-BUNDLE] [--safe-xml OUT]';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command || command === '--help') {
    process.stderr.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (command === 'verify-bundle') return verifyBundleCommand(args);
  const env = process.env; // read here only, at the entry point
  let store: Awaited<ReturnType<typeof openEventStore>>;
  try {
    store = await openEventStore(env, { mustExist: true }); // every command reads
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const ledger = new Ledger(store, undefined, { signingKey: env.LEDGER_SIGNING_KEY_FILE ? LedgerSigningKey.fromFile(env.LEDGER_SIGNING_KEY_FILE) : undefined });
  try {
    if (command === 'verify-chain') {
      const station = option(args, '--station');
      const r = station ? await ledger.verifyStationChains(station) : await ledger.verifyChains();
      process.stdout.write(`${JSON.stringify({ ok: r.broken.length === 0, store: store.name, ...r }, null, 2)}\n`);
      return r.broken.length === 0 ? 0 : 1;
    }
    if (command === 'gaps') {
      const station = option(args, '--station');
      const streams = await ledger.gaps(station);
      process.stdout.write(`${JSON.stringify({ station: station ?? null, streams }, null, 2)}\n`);
      return 0;
    }
    if (command === 'seqno-gaps') {
      const station = option(args, '--station');
      process.stdout.write(`${JSON.stringify({ station: station ?? null, stations: await ledger.seqNoGaps(station) }, null, 2)}\n`);
      return 0;
    }
    if (command === 'events') {
      const stream = option(args, '--stream');
      if (!stream) throw new Error('events needs --stream <id>');
      // One event per line, streamed: a stream of any length is never held whole.
      for await (const e of ledger.eventsOf(stream)) process.stdout.write(`${JSON.stringify({ revision: e.revision, hash: e.hash, ...e.event })}\n`);
      return 0;
    }
    if (command === 'retention-report') {
      const years = Number(option(args, '--years') ?? env.LEDGER_RETENTION_YEARS ?? LEGAL_RETENTION_YEARS);
      process.stdout.write(`${JSON.stringify(await retentionReport(ledger, years), null, 2)}\n`);
      return 0;
    }
    if (command === 'pg-roles') {
      const owner = option(args, '--owner');
      const writer = option(args, '--writer');
      if (!(store instanceof PostgresEventStore) || !owner || !writer) throw new Error('pg-roles needs LEDGER_STORE=postgres, --owner <role> and --writer <role>');
      await store.applyRoles({ owner, writer });
      process.stdout.write(`${JSON.stringify({ ok: true, owner, writer, note: 'grant the writer role to the services\' login roles: GRANT <writer> TO <login>' })}\n`);
      return 0;
    }
    if (command === 'checkpoint') {
      process.stdout.write(`${JSON.stringify(await ledger.checkpoints.checkpoint(), null, 2)}\n`);
      return 0;
    }
    if (command === 'export-bundle') {
      const stationId = option(args, '--station');
      const out = option(args, '--out');
      if (!stationId || !out) throw new Error('export-bundle needs --station <id> and --out <file>');
      const after = option(args, '--after-tree-size');
      const from = option(args, '--from');
      const to = option(args, '--to');
      const bundle = await exportBundle(ledger, { stationId, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(after !== undefined ? { afterTreeSize: Number(after) } : {}) });
      writeFileSync(out, `${JSON.stringify(bundle)}\n`);
      process.stdout.write(`${JSON.stringify({ out, station: stationId, streams: bundle.streams.length, checkpoint: bundle.checkpoint.statement, completeness: bundle.completeness.statement })}\n`);
      return 0;
    }
    process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
    return 2;
  } finally {
    await store.close();
  }
}

/** Offline: reads the bundle (and the keys and older checkpoint given), prints the verdict. */
function verifyBundleCommand(args: string[]): number {
  const file = args[0];
  if (!file || file.startsWith('--')) throw new Error('verify-bundle needs the bundle file');
  const keyFile = option(args, '--ledger-key');
  const afterFile = option(args, '--after');
  const safeXml = option(args, '--safe-xml');
  const bundle: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const verdict = verifyBundle(bundle, {
    ...(keyFile ? { ledgerKey: ledgerPublicKey(readFileSync(keyFile, 'utf8')) } : {}),
    ...(afterFile ? { after: JSON.parse(readFileSync(afterFile, 'utf8')) } : {}),
  });
  process.stdout.write(`${JSON.stringify({ file, ...verdict }, null, 2)}\n`);
  if (verdict.ok && safeXml) writeFileSync(safeXml, (bundle as { packets: { safeXml: string } }).packets.safeXml);
  return verdict.ok ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`ledger: ${(e as Error).message}\n`);
    process.exitCode = 2;
  },
);
