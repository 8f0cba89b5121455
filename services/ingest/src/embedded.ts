// `npm start`: the whole pipeline on one machine, no server to install. A simulated CP800 fleet
// publishes into an embedded transport; ingest verifies; the ledger records into SQLite; at the end the
// ledger is reconciled with the simulator's ground truth and its hash chains are checked.
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_FAULTS, FleetSimulator, serializeMessage } from '@metrology-ledger/cp800-model';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { reconcileWithManifest } from './application/reconcileWithManifest';
import { registerSimulatedKeys } from './application/registerSimulatedKeys';
import { EmbeddedTransport } from './infrastructure/EmbeddedTransport';
import { IngestController } from './infrastructure/IngestController';
import { IngestModule } from './infrastructure/IngestModule';
import { topicFor } from './infrastructure/Topics';

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
  const app = await NestFactory.createMicroservice(IngestModule.forLedger(ledger), { strategy: transport, logger: ['error', 'warn'] });
  await app.listen();
  const controller = app.get(IngestController);
  const t0 = Date.now();
  let published = 0;
  const delivered = new Map<string, string>();
  for (const [d, batch] of [...sim.days()].entries()) {
    if (d === 0) await registerSimulatedKeys(ledger, sim.manifest); // the operator registers the keys at commissioning
    for (const m of batch) {
      if (m.kind === 'ocmf-dataset') delivered.set(m.messageId, m.ocmf);
      await transport.publish(topicFor(m.kind), serializeMessage(m), m.stationId);
      published++;
    }
    await controller.drain();
    process.stdout.write(`  day ${d + 1}/${days}: ${published} messages verified and recorded\n`);
  }
  const secs = (Date.now() - t0) / 1000;
  const r = await reconcileWithManifest(store, sim.manifest, delivered);
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
  process.stdout.write(`\nTry: LEDGER_SQLITE_FILE=${file} npm run --silent ledger -- gaps --station CP-000001\n`);
  await app.close();
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
