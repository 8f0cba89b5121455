// Simulator benchmark. First the goal run: the built CLI simulates 10,000 stations x 30 days unsigned
// to /dev/null (BENCH_FLEET_STATIONS / BENCH_FLEET_DAYS reduce it; a reduced run prints no BENCH_ROW),
// with its wall time, the CPU seconds of all its threads and the machine's load. Then generation rates
// with and without signing on a small fleet, and the cost of one P-384 signature.
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '../src/SeededRandom';
import { DEFAULT_FAULTS } from '../src/sim/FaultSpec';
import { FleetSimulator } from '../src/sim/FleetSimulator';
import { ParallelFleetSimulator } from '../src/sim/ParallelFleetSimulator';
import { serializeMessage } from '../src/sim/serializeMessage';
import { StationSigningKey, type SigningMode } from '../src/station/StationSigningKey';

const STATIONS = Number(process.env.BENCH_STATIONS ?? 300);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);

function single(signing: SigningMode) {
  const sim = new FleetSimulator({ stations: STATIONS, days: DAYS, seed: 1, start: Date.UTC(2025, 0, 1), faults: DEFAULT_FAULTS, signing });
  const t = process.hrtime.bigint();
  let bytes = 0;
  for (let d = 0; d < DAYS; d++) for (const m of sim.day(d)) bytes += serializeMessage(m.message).length + 1;
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  return { s, datasets: sim.manifest.counts.datasets, messages: sim.manifest.counts.messages, bytes };
}

async function parallel(signing: SigningMode) {
  const sim = new ParallelFleetSimulator({ stations: STATIONS, days: DAYS, seed: 1, start: Date.UTC(2025, 0, 1), faults: DEFAULT_FAULTS, signing });
  const t = process.hrtime.bigint();
  let messages = 0;
  for await (const day of sim.days()) messages += day.messages;
  const manifest = await sim.finish();
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  return { s, datasets: manifest.counts.datasets, messages };
}

function signRate(): number {
  const key = StationSigningKey.generate(new SeededRandom(3));
  const data = Buffer.from('{"FV":"1.0","GI":"CP0001","PG":"T15-4193206880799101095","RD":[]}'.repeat(10));
  for (let i = 0; i < 50; i++) key.sign(data);
  const n = 2000;
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) key.sign(data);
  return n / (Number(process.hrtime.bigint() - t) / 1e9);
}

const FLEET_STATIONS = Number(process.env.BENCH_FLEET_STATIONS ?? 10_000);
const FLEET_DAYS = Number(process.env.BENCH_FLEET_DAYS ?? 30);

/** The CLI as a user runs it; its last stderr line tells wall and CPU seconds (main thread and workers). */
function fleetRun(): Promise<{ wall: number; cpu: number; summary: string }> {
  const args = [join(__dirname, '..', 'dist', 'sim', 'main.js'), '--stations', String(FLEET_STATIONS), '--days', String(FLEET_DAYS), '--seed', '1', '--signing', 'unsigned', '--out', '/dev/null'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.once('error', reject);
    child.once('exit', (code) => {
      const summary = stderr.trim().split('\n').pop() ?? '';
      const m = / in ([\d.]+) s \(CPU ([\d.]+) s/.exec(summary);
      if (code !== 0 || !m) reject(new Error(`sim exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ wall: Number(m[1]), cpu: Number(m[2]), summary });
    });
  });
}

async function fleet(): Promise<void> {
  const full = FLEET_STATIONS === 10_000 && FLEET_DAYS === 30;
  const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
  process.stdout.write(`fleet simulation: ${FLEET_STATIONS} stations x ${FLEET_DAYS} days, --signing unsigned --out /dev/null, ${availableParallelism()} workers${full ? '' : ' (REDUCED by BENCH_FLEET_STATIONS / BENCH_FLEET_DAYS: no BENCH_ROW)'}\n`);
  const before = load();
  const r = await fleetRun();
  process.stdout.write(`  ${r.summary}\n`);
  process.stdout.write(`  load average before ${before}, after ${load()} (${availableParallelism()} cores; the machine may be shared)\n`);
  process.stdout.write(`  wall ${r.wall.toFixed(1)} s; CPU ${r.cpu.toFixed(1)} s (user+sys, all threads); time on 2 free cores = CPU / 2 = ${(r.cpu / 2).toFixed(1)} s\n\n`);
  if (full) process.stdout.write(`BENCH_ROW ${JSON.stringify({ id: 'fleet-simulation', figure: Number(r.wall.toFixed(1)), unit: 's', goal: 30, atMost: true })}\n\n`);
}

async function main() {
  await fleet();
  process.stdout.write(`cp800-model simulator benchmark: ${STATIONS} stations x ${DAYS} days, default faults\n`);
  const u = single('unsigned');
  const o = single('openssl');
  const sigs = signRate();
  const f = (x: number) => x.toFixed(0).padStart(9);
  process.stdout.write('\none thread                      seconds   datasets/s   messages/s\n');
  process.stdout.write(`generation, signing excluded  ${u.s.toFixed(2).padStart(8)}  ${f(u.datasets / u.s)}    ${f(u.messages / u.s)}\n`);
  process.stdout.write(`generation, signing included  ${o.s.toFixed(2).padStart(8)}  ${f(o.datasets / o.s)}    ${f(o.messages / o.s)}\n`);
  process.stdout.write(`ratio included / excluded: ${(o.datasets / o.s / (u.datasets / u.s)).toFixed(3)}\n`);
  process.stdout.write(`P-384 signature (OpenSSL): ${f(sigs)} /s, ${(1e6 / sigs).toFixed(0)} µs each; a session costs 1 dataset + ~${((u.messages - u.datasets) / u.datasets).toFixed(1)} signed log entries\n`);
  const workers = availableParallelism();
  if (workers > 1) {
    const pu = await parallel('unsigned');
    const po = await parallel('openssl');
    process.stdout.write(`\n${workers} worker threads               seconds   datasets/s   messages/s\n`);
    process.stdout.write(`generation, signing excluded  ${pu.s.toFixed(2).padStart(8)}  ${f(pu.datasets / pu.s)}    ${f(pu.messages / pu.s)}\n`);
    process.stdout.write(`generation, signing included  ${po.s.toFixed(2).padStart(8)}  ${f(po.datasets / po.s)}    ${f(po.messages / po.s)}\n`);
    process.stdout.write(`speed-up over one thread: ${(u.s / pu.s).toFixed(2)} (excluded), ${(o.s / po.s).toFixed(2)} (included)\n`);
  }
  const stationDaysPerS = (STATIONS * DAYS) / u.s;
  process.stdout.write(`\nextrapolated 10 000 stations x 30 days, signing excluded, one thread: ${(300_000 / stationDaysPerS).toFixed(0)} s\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
});
