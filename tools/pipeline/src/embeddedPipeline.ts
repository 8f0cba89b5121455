// `npm start` (node tools/pipeline/dist/embeddedPipeline.js): the whole pipeline on one machine, no server to install. A simulated CP800 fleet
// publishes into an embedded transport; ingest verifies; the ledger records into SQLite; at the end the
// ledger is reconciled with the simulator's ground truth and its hash chains are checked; the ledger
// signs checkpoints, and an auditor's evidence bundle for one station is exported and verified offline.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_FAULTS, FleetSimulator, serializeMessage } from '@metrology-ledger/cp800-model';
import { Ledger, LedgerSigningKey, SqliteEventStore, verifyBundle } from '@metrology-ledger/ledger';
import { EmbeddedTransport, IngestController, IngestModule, topicFor, VerificationPool } from '@metrology-ledger/ingest';
import { composeOcpi, CredentialStore, createQueryApp, ReceiptCapability, rebuildReadModels, SessionReadModel, SqliteRunner, SqlOcpiStore, type OcpiSettings } from '@metrology-ledger/query';
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
  // The ledger's own signing key: LEDGER_SIGNING_KEY_FILE, or a new one for this throw-away ledger,
  // written beside it (private key readable by the owner only; the public key for auditors).
  const signingKey = process.env.LEDGER_SIGNING_KEY_FILE ? LedgerSigningKey.fromFile(process.env.LEDGER_SIGNING_KEY_FILE) : LedgerSigningKey.generate();
  if (!process.env.LEDGER_SIGNING_KEY_FILE) writeFileSync(`${file}.signing-key.pem`, signingKey.exportPrivatePem(), { mode: 0o600 });
  const ledgerKeyFile = `${file}.ledger-key.pub.pem`;
  writeFileSync(ledgerKeyFile, signingKey.publicPem());
  const checkpointErrors: string[] = [];
  const ledger = new Ledger(store, undefined, { signingKey, checkpointPolicy: { everyEvents: 5_000, everyMinutes: 60 }, onCheckpointError: (e) => checkpointErrors.push(e.message) });

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
  await ledger.checkpointSchedule?.stop();
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
  const keys = { emsp: randomBytes(16).toString('hex'), auditor: randomBytes(16).toString('hex'), operator: randomBytes(16).toString('hex') };
  const sessions = new SessionReadModel(':memory:');
  await rebuildReadModels(store, sessions);
  // OCPI 2.2.1 (CPO side) mounted as main.ts mounts it, its state in memory for this run.
  const ocpiSettings: OcpiSettings = { publicUrl: '', countryCode: 'DE', partyId: 'CPO', businessName: 'Demo CPO', currency: 'EUR' };
  const ocpiStore = new SqlOcpiStore(new SqliteRunner(':memory:'));
  const receipts = new ReceiptCapability();
  const ocpi = composeOcpi({ ledger, store: ocpiStore, sessions, settings: ocpiSettings, push: { intervalMs: 1000, retryMinMs: 1000, retryMaxMs: 60_000 }, receipts, log: { warn: () => undefined } });
  const query = await createQueryApp({
    ledger,
    sessions,
    credentials: CredentialStore.fromEnvironment(`${keys.emsp}=emsp:DE-EMP-ALPHA;${keys.auditor}=auditor;${keys.operator}=operator`),
    options: { modules: [ocpi.module], receipts },
  });
  await query.listen(Number(process.env.QUERY_PORT ?? 0), '127.0.0.1');
  const url = await query.getUrl();
  ocpiSettings.publicUrl = url;
  const get = async (path: string, key: string) => {
    const r = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${key}` } });
    return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
  };
  const list = await get('/emsp/sessions?limit=500', keys.emsp);
  const first = (list.body as { items: { transactionId: string }[] }).items[0];
  const bill = first ? await get(`/emsp/sessions/${first.transactionId}/billing`, keys.emsp) : undefined;
  const report = await get('/auditor/stations/CP-000001/report?format=json', keys.auditor);
  const unauth = await fetch(`${url}/emsp/sessions`);
  // The evidence bundle an authority would ask for, checked offline the way an auditor would.
  const bundleResponse = await fetch(`${url}/auditor/stations/CP-000001/bundle`, { headers: { Authorization: `Bearer ${keys.auditor}` } });
  const bundleText = await bundleResponse.text();
  const bundleFile = join(dir, `bundle-CP-000001-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(bundleFile, bundleText);
  const verdict = bundleResponse.ok ? verifyBundle(JSON.parse(bundleText), { ledgerKey: signingKey.publicKey }) : { ok: false as const, part: 'export', problem: `HTTP ${bundleResponse.status}` };
  const checkpoints = await ledger.checkpoints.all();
  process.stdout.write(
    `\nQuery API (${url}):\n` +
      `  eMSP DE-EMP-ALPHA sees ${(list.body as { items: unknown[] }).items.length} of its sessions\n` +
      (bill ? `  billing for ${first.transactionId}: ${bill.status} ${JSON.stringify({ energy: (bill.body as { energy?: string }).energy, unit: (bill.body as { unit?: string }).unit, verdict: (bill.body as { verdict?: string }).verdict })}\n` : '') +
      `  auditor report for CP-000001: ${(report.body as { energyPerDay: unknown[] }).energyPerDay.length} days, outcomes ${JSON.stringify((report.body as { outcomes: unknown }).outcomes)}\n` +
      `  without a key: ${unauth.status}\n` +
      `  evidence bundle for CP-000001: ${bundleFile}\n` +
      `    verified offline: ${verdict.ok ? `yes (${JSON.stringify(verdict.checked)})` : `NO: ${verdict.part}: ${verdict.problem}`}\n` +
      `  checkpoints signed: ${checkpoints.length} (key ${signingKey.publicKey.keyId.slice(0, 16)}…, public key ${ledgerKeyFile})${checkpointErrors.length ? `; FAILED: ${checkpointErrors[0]}` : ''}\n`,
  );
  process.stdout.write(await ocpiDemo(url, keys.operator, sim.manifest.registry.map((r) => r.stationId), () => ocpi.worker.runOnce()));
  await ocpiStore.close();
  if (process.env.KEEP_SERVING) {
    process.stdout.write(`\nServing until Ctrl-C: eMSP key ${keys.emsp}, auditor key ${keys.auditor}; driver page ${url}/verify; API docs ${url}/docs\n`);
    await new Promise(() => undefined);
  }
  await query.close();
  process.stdout.write(`\nTry: LEDGER_SQLITE_FILE=${file} npm run --silent ledger -- gaps --station CP-000001  (KEEP_SERVING=1 npm start keeps the API up)\n`);
  process.stdout.write(`     npm run --silent ledger -- verify-bundle ${bundleFile} --ledger-key ${ledgerKeyFile}\n`);
  await store.close();
  return r.matches && chains.broken.length === 0 && verdict.ok && checkpointErrors.length === 0 ? 0 : 1;
}

/**
 * OCPI in one look: a test eMSP (a separate process with its own OCPI endpoints, the one the query
 * service's tests use) registers with the token A the operator issues, and one pass pushes it the CDRs
 * of its sessions, each checked and its signature verified by the eMSP.
 */
async function ocpiDemo(url: string, operatorKey: string, stationIds: string[], pass: () => Promise<{ added: number; withheld: number; delivered: number; failed: number }>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'demo-emsp-'));
  const emsp = spawn(process.execPath, [resolve(__dirname, '../../../services/query/src/ocpi/testing/emspServer.mjs'), '--port', '0', '--state', join(dir, 'state.json'), '--country', 'DE', '--party', 'EMP'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(createInterface({ input: emsp.stdout! }), 'line')) as [string];
    const emspUrl = `http://127.0.0.1:${JSON.parse(line).port}`;
    const call = async (method: string, path: string, body: unknown, base = url, headers: Record<string, string> = { Authorization: `Bearer ${operatorKey}` }) =>
      (await fetch(`${base}${path}`, { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json();
    const party = await call('POST', '/operator/ocpi/parties', { emspId: 'DE-EMP-ALPHA', countryCode: 'DE', partyId: 'EMP', name: 'Demo eMSP' });
    for (const stationId of stationIds) {
      await call('PUT', `/operator/ocpi/stations/${encodeURIComponent(stationId)}/location`, { locationId: stationId.slice(0, 36), address: 'Demo street 1', city: 'Koeln', country: 'DEU', latitude: '50.93770', longitude: '6.95742', evseIdPrefix: 'DE*CPO*E1', connectorStandard: 'IEC_62196_T2', connectorFormat: 'SOCKET', powerType: 'AC_3_PHASE' });
    }
    const registered = await call('POST', '/admin/register', { versionsUrl: party.versionsUrl, tokenA: party.tokenA }, emspUrl, {});
    const r = await pass();
    const state = await call('POST', '/admin/state', {}, emspUrl, {});
    const received = state.received as { cdr: { id: string; total_energy: number; signed_data: { url?: string } }; problems: string[]; verdict: string }[];
    const first = received[0];
    return (
      `\nOCPI 2.2.1 (${url}/ocpi/cpo/versions): test eMSP DE*EMP registered (${registered.body?.status_code === 1000 ? 'token C received' : `FAILED ${JSON.stringify(registered).slice(0, 200)}`})\n` +
      `  one pass: ${r.added} CDRs made, ${r.withheld} sessions withheld with their reason, ${r.delivered} delivered to the test eMSP, ${r.failed} to retry\n` +
      (first
        ? `  e.g. CDR ${first.cdr.id}: ${first.cdr.total_energy} kWh, checked by the eMSP: ${first.problems.length === 0 ? 'valid CDR' : first.problems.join('; ')}, signature ${first.verdict}\n` +
          `  the customer's receipt (signed_data.url, no key, expires): ${first.cdr.signed_data.url ? `${(await fetch(first.cdr.signed_data.url)).status} ${first.cdr.signed_data.url.slice(0, url.length + 30)}…` : 'none'}\n`
        : '')
    );
  } finally {
    emsp.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
