#!/usr/bin/env node
// Ledger CLI, JSON output. The store comes from the environment (LEDGER_STORE, LEDGER_SQLITE_FILE,
// DATABASE_URL / PG*, LEDGER_PG_SCHEMA, EVENTSTORE_URL), as for the services.
//   ledger verify-chain [--station <id>]             walks every stream (or a station's), reports the first break of each
//   ledger gaps [--station <id>]                     open gaps per dataset stream
//   ledger seqno-gaps [--station <id>]               OCPP 2.0.1 seqNos missing per transaction
//   ledger events --stream <id>                      every event of a stream, one JSON line each
import { Ledger } from '../Ledger';
import { openEventStore } from '../openEventStore';

const USAGE = 'usage: ledger verify-chain [--station ID] | gaps [--station ID] | seqno-gaps [--station ID] | events --stream ID';

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
  const env = process.env; // read here only, at the entry point
  let store: Awaited<ReturnType<typeof openEventStore>>;
  try {
    store = await openEventStore(env, { mustExist: true }); // every command reads
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const ledger = new Ledger(store);
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
    process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
    return 2;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`ledger: ${(e as Error).message}\n`);
    process.exitCode = 2;
  },
);
