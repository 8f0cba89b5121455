#!/usr/bin/env node
// Fleet simulator CLI: npm run --silent sim -- --stations N --days D --seed S [--faults <spec>] --out <file|-> [--manifest <file>]
import { accessSync, constants, createWriteStream, existsSync, openSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { quoteBounded } from '@metrology-ledger/ocmf';
import type { SigningMode } from '../station/StationSigningKey';
import { parseFaultSpec, DEFAULT_FAULTS, type FaultSpec } from './FaultSpec';
import { availableParallelism } from 'node:os';
import { FleetSimulator } from './FleetSimulator';
import { mergeManifests } from './ManifestMerge';
import { manifestDestination, outputKind } from './manifestDestination';
import { ParallelFleetSimulator } from './ParallelFleetSimulator';
import type { SimulationManifest } from './SimulationManifest';
import { ProgressBar } from './ProgressBar';
import type * as OcppStationLinkModule from '../ocpp/OcppStationLink';
import { MissingCredentials, OCPP_FLAGS, parseOcppFlags, type OcppSettings } from '../ocpp/parseOcppFlags';

/** The OCPP client (ocpp-rpc and its schemas) is loaded only in OCPP mode: a second of start-up otherwise. */
let ocppLink: typeof OcppStationLinkModule | undefined;

const USAGE = `usage: sim --stations N --days D --seed S [--faults none|default|k=rate,...] [--start YYYY-MM-DD]
           [--signing openssl|rfc6979|unsigned] [--workers N] --out <file|-> [--manifest <file>]
  --manifest defaults to <out>.manifest.json when --out is a regular file; with --out - or a device
  or pipe (/dev/null) no manifest is written unless --manifest is given.
OCPP mode: every station connects to the edge (or a CSMS) and sends its messages as OCPP-J frames;
  --out gets a JSON line per frame sent.
  --ocpp ws://…|wss://…  [--ocpp-version 1.6|2.0.1] [--security-profile 1|2|3] [--concurrency N]
  [--passwords <file: {"<stationId>":"<password>",…}>] (profiles 1, 2)
  [--client-cert <path with {stationId}> --client-key <path with {stationId}>] (profile 3)
  [--ca <file>] (wss://)`;

interface Args {
  stations: number;
  days: number;
  seed: number;
  faults: FaultSpec;
  start: number;
  signing: SigningMode;
  out: string;
  manifest?: string;
  workers: number;
  ocpp?: OcppSettings;
}

function parse(argv: string[]): Args | string {
  const ocppFlags: Partial<Record<(typeof OCPP_FLAGS)[number], string>> = {};
  const a: Partial<Args> = { faults: { ...DEFAULT_FAULTS }, start: Date.UTC(2025, 0, 1), signing: 'openssl', workers: availableParallelism() };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const v = argv[i + 1];
    if (flag === '-h' || flag === '--help') return USAGE;
    if (v === undefined) return `${flag} needs a value`;
    i++;
    const int = (name: string, min: number) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, not "${v}"`);
      return n;
    };
    try {
      if (flag === '--stations') a.stations = int('--stations', 1);
      else if (flag === '--days') a.days = int('--days', 1);
      else if (flag === '--seed') a.seed = int('--seed', 0);
      else if (flag === '--faults') {
        const f = parseFaultSpec(v);
        if (!f.ok) return f.reason;
        a.faults = f.spec;
      } else if (flag === '--start') {
        const t = Date.parse(`${v}T00:00:00Z`);
        if (Number.isNaN(t)) return `--start must be YYYY-MM-DD, not "${v}"`;
        a.start = t;
      } else if (flag === '--signing') {
        if (!['openssl', 'rfc6979', 'unsigned'].includes(v)) return `--signing must be openssl, rfc6979 or unsigned`;
        a.signing = v as SigningMode;
      } else if (flag === '--workers') a.workers = int('--workers', 1);
      else if (flag === '--out') a.out = v;
      else if (flag === '--manifest') a.manifest = v;
      else if ((OCPP_FLAGS as readonly string[]).includes(flag)) ocppFlags[flag as (typeof OCPP_FLAGS)[number]] = v;
      else return `unknown option ${flag}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  for (const k of ['stations', 'days', 'seed', 'out'] as const) if (a[k] === undefined) return `--${k} is required`;
  if (Object.keys(ocppFlags).length > 0) {
    const ocpp = parseOcppFlags(ocppFlags);
    if (typeof ocpp === 'string') return ocpp;
    a.ocpp = ocpp;
  }
  return a as Args;
}

async function write(stream: Writable, text: string | Uint8Array): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((r) => stream.once('drain', () => r()));
}

/** Writes bytes the caller will overwrite afterwards: resolves once the stream has written them. */
function writeAll(stream: Writable, bytes: Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => stream.write(bytes, (e) => (e ? reject(e) : resolve())));
}

/** Whether two paths name one file (also through links, when it exists). */
function sameFile(a: string, b: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));
  return real(a) === real(b);
}

/** Throws (with `path` and `code`) when the file cannot be written: checked before a long run, not after it. */
function assertWritable(path: string): void {
  accessSync(existsSync(path) ? path : dirname(resolve(path)), constants.W_OK);
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  const kind = outputKind(args.out);
  if (kind === 'directory') {
    process.stderr.write(`--out ${quoteBounded(args.out, 200)} is a directory; name a file, a device or - for standard output\n${USAGE}\n`);
    return 2;
  }
  const toStdout = kind === 'stdout';
  const destination = manifestDestination(args.out, args.manifest, kind);
  const manifestPath = destination.path;
  if (destination.note) process.stderr.write(`sim: ${destination.note}\n`);
  if (manifestPath !== undefined && !toStdout && sameFile(manifestPath, args.out)) {
    process.stderr.write(`--manifest ${quoteBounded(manifestPath, 200)} names the same file as --out: the manifest would overwrite the messages; name another file\n`);
    return 2;
  }
  let outFd: number | undefined;
  try {
    if (manifestPath !== undefined) assertWritable(manifestPath);
    if (!toStdout) outFd = openSync(args.out, 'w');
  } catch (e) {
    process.stderr.write(`sim: cannot write ${quoteBounded((e as NodeJS.ErrnoException).path ?? args.out, 200)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): choose a file you can write\n`);
    return 2;
  }
  const out: Writable = outFd === undefined ? process.stdout : createWriteStream(args.out, { fd: outFd });
  const options = { stations: args.stations, days: args.days, seed: args.seed, start: args.start, faults: args.faults, signing: args.signing };
  const progress = new ProgressBar('simulating', args.days);
  const started = Date.now();
  const writeLines = async (lines: string[]) => {
    for (let i = 0; i < lines.length; i += 2000) await write(out, `${lines.slice(i, i + 2000).join('\n')}\n`);
  };
  let manifest: SimulationManifest;
  if (args.ocpp) {
    const ocpp = args.ocpp;
    ocppLink = await import('../ocpp/OcppStationLink.js');
    const { runFleetOverOcpp } = await import('../ocpp/runFleetOverOcpp.js');
    const frames: string[] = [];
    let connected = 0;
    manifest = await runFleetOverOcpp({
      simulation: options,
      url: ocpp.url,
      version: ocpp.version,
      credentialsOf: ocpp.credentialsOf,
      ca: ocpp.ca,
      concurrency: ocpp.concurrency,
      onFrame: (f) => {
        if (f.sends === 1 && f.action === 'BootNotification') connected++;
        frames.push(JSON.stringify(f));
      },
      onDay: async (d, sent) => {
        await writeLines(frames.splice(0));
        progress.update(d + 1, `${sent} frames sent, ${connected} stations connected`);
      },
    }).finally(async () => writeLines(frames.splice(0)));
  } else if (args.workers > 1) {
    const sim = new ParallelFleetSimulator(options, args.workers);
    for await (const day of sim.days()) {
      await writeAll(out, day.bytes); // the buffer is used again for the next day
      progress.update(day.day + 1, `${day.datasets} datasets`);
    }
    manifest = await sim.finish();
  } else {
    const sim = new FleetSimulator(options);
    for (let d = 0; d < args.days; d++) {
      const day = sim.dayEncoded(d);
      await writeAll(out, day.bytes);
      sim.recycle(day.bytes.buffer);
      progress.update(d + 1, `${sim.manifest.counts.datasets} datasets`);
    }
    manifest = mergeManifests([sim.manifest]);
  }
  progress.finish(`${manifest.counts.datasets} datasets`);
  if (!toStdout) await new Promise<void>((r) => (out as NodeJS.WritableStream).end(r));
  if (manifestPath) writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  const secs = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(); // the whole process: main thread and workers
  const c = manifest.counts;
  process.stderr.write(
    `${c.messages} messages (${c.datasets} datasets, ${c.logEntries} log entries, ${c.faultMessages} fault messages) in ${secs.toFixed(1)} s` +
      ` (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, all threads)` +
      `${manifestPath ? `; manifest ${manifestPath}` : '; no manifest'}\n`,
  );
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    // The edge refusing a station (status) or a call (OCPP error code and text) is said plainly.
    const fromOcpp = ocppLink !== undefined && (e instanceof ocppLink.OcppConnectionFailed || e instanceof ocppLink.OcppCallFailed);
    if (fromOcpp || e instanceof MissingCredentials) process.stderr.write(`sim: ${(e as Error).message}\n`);
    else process.stderr.write(`sim: ${(e as Error).stack}\n`);
    process.exitCode = 1;
  },
);
