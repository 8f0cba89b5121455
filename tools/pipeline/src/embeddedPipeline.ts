// `npm start` (node tools/pipeline/dist/embeddedPipeline.js): the whole pipeline on one machine, no server to install. A simulated CP800 fleet
// publishes into an embedded transport; ingest verifies; the ledger records into SQLite; at the end the
// ledger is reconciled with the simulator's ground truth and its hash chains are checked.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_FAULTS, FleetSimulator, serializeMessage } from '@metrology-ledger/cp800-model';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { EmbeddedTransport, IngestController, IngestModule, topicFor, VerificationPool } from '@metrology-ledger/ingest';
import { CredentialStore, createQueryApp, rebuildReadModels, SessionReadModel } from '@metrology-ledger/query';
import { reconcileWithManifest } from './reconcileWithManifest';

const env = (k: string, d: number) => {
  const v = Number(process.env[k] ?? d);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be a positive integer`);
  return v;
};

async function main(): Promise<number> {
  const stations = env('SIM_STATIONS', 25);
  const days = env('SIM_DAYS', 3);
  const seed = env('SIM_SEED', 1);
  const dir = join(process.cwd(), '.data');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `ledger-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`);
  const store = new SqliteEventStore(file);
  const ledger = new Ledger(store);

  process.stdout.write(`Simulating ${stations} CP800 stations for ${days} days (seed ${seed}, default faults)…\n`);
  const sim = new FleetSimulator({ stations, days, seed, start: Date.UTC(2025, 0, 1), faults: DEFAULT_FAULTS });
  const transport = new EmbeddedTransport();
  // Signatures are checked on a worker thread per core; this thread parses, decides and appends.
  const verifiers = new VerificationPool(availableParallelism());
  const app = await NestFactory.createMicroservice(IngestModule.forLedger(ledger, { pipeline: { verifier: verifiers } }), { strategy: transport, logger: ['error', 'warn'] });
  await app.listen();
  const controller = app.get(IngestController);
  const t0 = Date.now();
  let published = 0;
  const delivered = new Map<string, string>();
  for (const [d, batch] of [...sim.days()].entries()) {
    if (d === 0) await ledger.registerKeys(sim.manifest.registry); // the operator registers the keys at commissioning
    for (const m of batch) {
      if (m.kind === 'ocmf-dataset') delivered.set(m.messageId, m.ocmf);
      await transport.publish(topicFor(m.kind), serializeMessage(m), m.stationId);
      published++;
    }
    await controller.drain();
    process.stdout.write(`  day ${d + 1}/${days}: ${published} messages verified and recorded\n`);
  }
  const secs = (Date.now() - t0) / 1000;
  const r = await reconcileWithManifest(ledger, sim.manifest, delivered);
  const chains = await ledger.verifyChains();
  const c = r.counts;
  process.stdout.write(
    `\nLedger ${file}\n` +
      `  ${published} messages in ${secs.toFixed(1)} s (${(published / secs).toFixed(0)}/s), every one accounted for: ${c.messagesAccounted === published ? 'yes' : 'NO'}\n` +
      `  datasets recorded ${c.datasetsRecorded}, duplicates ${c.duplicates}, conflicts ${c.conflicts}, rejections ${c.rejections}, open gaps ${c.openGaps}\n` +
      `  metrology-log entries ${c.logEntries}, station faults ${c.faults}\n` +
      `  hash chains: ${chains.streams} streams, ${chains.events} events, ${chains.broken.length === 0 ? 'intact' : `${chains.broken.length} BROKEN`}\n` +
      `  matches the simulator's ground truth: ${r.matches ? 'yes' : `NO\n    ${r.differences.join('\n    ')}`}\n`,
  );
  const withGaps = (await ledger.gaps()).filter((g) => g.gaps.length > 0).slice(0, 3);
  for (const g of withGaps) process.stdout.write(`  e.g. ${g.stationId}: missing ${g.gaps.map((x) => (x.from === x.to ? x.from : `${x.from}-${x.to}`)).join(', ')} (highest ${g.highestCounter})\n`);
  await app.close();
  await verifiers.close();

  // The query API over the same ledger, with one-time keys, asked what an eMSP and an auditor would ask.
  const keys = { emsp: randomBytes(16).toString('hex'), auditor: randomBytes(16).toString('hex') };
  const sessions = new SessionReadModel(':memory:');
  await rebuildReadModels(store, sessions);
  const query = await createQueryApp({ ledger, sessions, credentials: CredentialStore.fromEnvironment(`${keys.emsp}=emsp:DE-EMP-ALPHA;${keys.auditor}=auditor`) });
  await query.listen(Number(process.env.QUERY_PORT ?? 0), '127.0.0.1');
  const url = await query.getUrl();
  const get = async (path: string, key: string) => {
    const r = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${key}` } });
    return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
  };
  const list = await get('/emsp/sessions?limit=500', keys.emsp);
  const first = (list.body as { items: { transactionId: string }[] }).items[0];
  const bill = first ? await get(`/emsp/sessions/${first.transactionId}/billing`, keys.emsp) : undefined;
  const report = await get('/auditor/stations/CP-000001/report?format=json', keys.auditor);
  const unauth = await fetch(`${url}/emsp/sessions`);
  process.stdout.write(
    `\nQuery API (${url}):\n` +
      `  eMSP DE-EMP-ALPHA sees ${(list.body as { items: unknown[] }).items.length} of its sessions\n` +
      (bill ? `  billing for ${first.transactionId}: ${bill.status} ${JSON.stringify({ energy: (bill.body as { energy?: string }).energy, unit: (bill.body as { unit?: string }).unit, verdict: (bill.body as { verdict?: string }).verdict })}\n` : '') +
      `  auditor report for CP-000001: ${(report.body as { energyPerDay: unknown[] }).energyPerDay.length} days, outcomes ${JSON.stringify((report.body as { outcomes: unknown }).outcomes)}\n` +
      `  without a key: ${unauth.status}\n`,
  );
  if (process.env.KEEP_SERVING) {
    process.stdout.write(`\nServing until Ctrl-C: eMSP key ${keys.emsp}, auditor key ${keys.auditor}; driver page ${url}/verify; API docs ${url}/docs\n`);
    await new Promise(() => undefined);
  }
  await query.close();
  process.stdout.write(`\nTry: LEDGER_SQLITE_FILE=${file} npm run --silent ledger -- gaps --station CP-000001  (KEEP_SERVING=1 npm start keeps the API up)\n`);
  await store.close();
  return r.matches && chains.broken.length === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
