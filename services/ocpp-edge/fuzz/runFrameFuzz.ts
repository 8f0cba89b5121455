import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { KafkaTestTopic, TEST_BROKERS } from '../src/testing/KafkaTestTopic';
import { writeStationsFile } from '../src/testing/testEdgeConfig';
import { fuzzFrame, type FuzzFrame, type FuzzVersion } from './malformedFrame';
import { RawStation } from './RawStation';

export interface FrameFuzzOptions {
  frames: number;
  seed: number;
  brokers?: string[];
  /** EDGE_MAX_BAD_FRAMES given to the edge (its default, 5, unless set). */
  maxBadFrames?: number;
  /** Stations sending at the same time, half OCPP 1.6, half 2.0.1. */
  stations?: number;
  onProgress?: (sent: number) => void;
}

export interface FrameFuzzCounts {
  frames: number;
  byLabel: Record<string, number>;
  byVersion: Record<FuzzVersion, number>;
  /** CALLERROR codes received, by code. */
  answers: Record<string, number>;
  /** Frames the edge rightly left unanswered (answers to calls it never made). */
  silent: number;
  connections: number;
  /** Connections the edge closed with 1002 exactly when the bad frames in a row reached the limit. */
  closedAfterBadFrames: number;
  /** What the edge's /metrics says at the end. */
  metrics: { badFrames: number; badFrameDisconnects: number };
  /** Records in the topic after the fuzzing (must be 0: no bad frame, heartbeat or unhandled action is stored). */
  recordsAfterFuzzing: number;
  /** A fresh station afterwards: BootNotification accepted and a MeterValues stored in Kafka. */
  servingAfter: boolean;
  edgeRssStartBytes: number;
  edgeRssEndBytes: number;
  /** Log lines at level error or fatal (must be 0). */
  edgeErrorLines: number;
  edgeExitCode: number | null;
  seconds: number;
  failure?: string;
}

const repo = resolve(__dirname, '..', '..', '..');
const ANSWER_TIMEOUT_MS = 15_000;

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** The built edge (`services/ocpp-edge/dist/main.js`), standalone, security profile 1 on 127.0.0.1. */
class EdgeProcess {
  private tail = '';
  errorLines = 0;
  private partial = '';

  constructor(readonly child: ChildProcess) {
    for (const s of [child.stdout!, child.stderr!]) {
      s.setEncoding('utf8').on('data', (d: string) => {
        this.tail = (this.tail + d).slice(-200_000);
        const lines = (this.partial + d).split('\n');
        this.partial = lines.pop() ?? '';
        for (const l of lines) if (/"level":"(error|fatal)"/.test(l)) this.errorLines++;
      });
    }
  }

  static start(env: Record<string, string>): EdgeProcess {
    const main = join(repo, 'services', 'ocpp-edge', 'dist', 'main.js');
    return new EdgeProcess(spawn(process.execPath, [main], { cwd: repo, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get output(): string {
    return this.tail;
  }

  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const m = this.tail.match(pattern);
      if (m) return m;
      if (this.child.exitCode !== null) throw new Error(`the edge exited with ${this.child.exitCode}:\n${this.tail.slice(-3000)}`);
      if (Date.now() > until) throw new Error(`no ${pattern} in the edge's output:\n${this.tail.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}

/** Checks one answer against what the frame calls for; returns why it is wrong, or undefined. */
function wrongAnswer(frame: FuzzFrame, answer: string | undefined, counts: FrameFuzzCounts): string | undefined {
  const e = frame.expect;
  if (e.answer === 'silent') return undefined;
  if (answer === undefined) return 'the connection closed before the answer';
  let msg: unknown;
  try {
    msg = JSON.parse(answer);
  } catch {
    return `the answer is not JSON: ${answer.slice(0, 200)}`;
  }
  if (!Array.isArray(msg)) return `the answer is not an OCPP-J message: ${answer.slice(0, 200)}`;
  if (e.answer === 'result') return msg[0] === 3 && msg[1] === e.id && typeof msg[2] === 'object' ? undefined : `expected a CALLRESULT for ${e.id}, got ${answer.slice(0, 200)}`;
  if (msg[0] !== 4 || msg[1] !== e.id) return `expected a CALLERROR for message id ${JSON.stringify(e.id)}, got ${answer.slice(0, 200)}`;
  counts.answers[String(msg[2])] = (counts.answers[String(msg[2])] ?? 0) + 1;
  return e.codes.includes(msg[2] as string) ? undefined : `expected ${e.codes.join(' or ')}, got ${String(msg[2])} (${String(msg[3]).slice(0, 200)})`;
}

/**
 * Starts the built edge (standalone, profile 1, its own Kafka topic), and sends `frames` malformed
 * frames (with a few good heartbeats and unhandled actions between them) from `stations` stations
 * over real WebSockets, one frame at a time per station. Each must get the OCPP error for its fault
 * (or, for an answer to a call never made, none); the edge must close a connection with 1002 exactly
 * when EDGE_MAX_BAD_FRAMES bad frames came in a row, and the station reconnects. Afterwards the
 * edge must still be running, have logged no error, have counted every bad frame and disconnect in
 * its metrics, have stored nothing in Kafka, serve a fresh station (BootNotification, MeterValues
 * stored), and stop cleanly on SIGTERM.
 */
export async function runFrameFuzz(options: FrameFuzzOptions): Promise<FrameFuzzCounts> {
  const started = Date.now();
  const limit = options.maxBadFrames ?? 5;
  const nStations = options.stations ?? 16;
  const dir = mkdtempSync(join(tmpdir(), 'edge-fuzz-'));
  const counts: FrameFuzzCounts = {
    frames: 0,
    byLabel: {},
    byVersion: { '1.6': 0, '2.0.1': 0 },
    answers: {},
    silent: 0,
    connections: 0,
    closedAfterBadFrames: 0,
    metrics: { badFrames: 0, badFrameDisconnects: 0 },
    recordsAfterFuzzing: -1,
    servingAfter: false,
    edgeRssStartBytes: 0,
    edgeRssEndBytes: 0,
    edgeErrorLines: 0,
    edgeExitCode: null,
    seconds: 0,
  };
  let badSent = 0;
  const passwords = Object.fromEntries(Array.from({ length: nStations + 1 }, (_, i) => [`FUZZ-${i}`, `fuzz-${randomBytes(12).toString('hex')}`]));
  const topic = await KafkaTestTopic.create('ocpp-frames-fuzz', options.brokers ?? TEST_BROKERS);
  let edge: EdgeProcess | undefined;
  try {
    const stationsFile = await writeStationsFile(dir, passwords);
    edge = EdgeProcess.start({
      EDGE_MODE: 'standalone',
      EDGE_HOST: '127.0.0.1',
      EDGE_PORT: '0',
      EDGE_SECURITY_PROFILES: '1',
      EDGE_ALLOW_SP1: 'true',
      EDGE_STATIONS_FILE: stationsFile,
      EDGE_MAX_BAD_FRAMES: String(limit),
      KAFKA_BROKERS: (options.brokers ?? TEST_BROKERS).join(','),
      KAFKA_TOPIC_OCPP_FRAMES: topic.name,
      EDGE_INSTANCE_ID: 'edge-fuzz',
      EDGE_HEALTH_HOST: '127.0.0.1',
      EDGE_HEALTH_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    });
    const [, metricsPort] = await edge.waitFor(/"metricsPort":(\d+)/);
    const [, port] = await edge.waitFor(/listening on ws:\/\/127\.0\.0\.1:(\d+)\//);
    const url = `ws://127.0.0.1:${port}/ocpp`;
    counts.edgeRssStartBytes = rssOf(edge.child.pid!);

    let failure: string | undefined;
    let sent = 0;
    const station = async (index: number, quota: number): Promise<void> => {
      const identity = `FUZZ-${index}`;
      const version: FuzzVersion = index % 2 === 0 ? '1.6' : '2.0.1';
      const frames = quota === 0 ? [] : fc.sample(fuzzFrame(version), { seed: options.seed + index, numRuns: quota });
      let link: RawStation | undefined;
      let inARow = 0;
      for (const frame of frames) {
        if (failure) break;
        if (!link) {
          link = await RawStation.connect(url, identity, passwords[identity], `ocpp${version}`);
          counts.connections++;
          inARow = 0;
        }
        await link.send(frame.text);
        counts.frames++;
        counts.byVersion[version]++;
        counts.byLabel[frame.label] = (counts.byLabel[frame.label] ?? 0) + 1;
        if (frame.expect.counts === 'bad') {
          inARow++;
          badSent++;
        } else if (frame.expect.counts === 'good') inARow = 0;
        if (frame.expect.answer === 'silent') counts.silent++;
        const wrong = frame.expect.answer === 'silent' ? undefined : wrongAnswer(frame, await link.next(ANSWER_TIMEOUT_MS), counts);
        if (wrong) {
          failure = `OCPP ${version}, ${frame.label}: ${wrong}\nframe: ${frame.text.slice(0, 500)}`;
          break;
        }
        if (inARow >= limit) {
          const closed = await link.whenClosed(ANSWER_TIMEOUT_MS);
          if (closed.code !== 1002 || closed.unread.length > 0) {
            failure = `OCPP ${version}: after ${limit} bad frames in a row the connection ended with ${closed.code} ${closed.reason} and ${closed.unread.length} more frames (expected 1002, nothing more)`;
            break;
          }
          counts.closedAfterBadFrames++;
          link = undefined;
        } else if (link.closed) {
          failure = `OCPP ${version}: the edge closed the connection (${link.closed.code} ${link.closed.reason}) after ${inARow} bad frames in a row, limit ${limit}`;
          break;
        }
        if (++sent % 10_000 === 0) options.onProgress?.(sent);
      }
      link?.end();
    };
    const per = Math.floor(options.frames / nStations);
    await Promise.all(Array.from({ length: nStations }, (_, i) => station(i, per + (i < options.frames % nStations ? 1 : 0))));
    if (failure) throw new Error(failure);

    // Still serving, and nothing of the above reached Kafka.
    counts.recordsAfterFuzzing = await topic.highWatermark();
    const fresh = await RawStation.connect(url, `FUZZ-${nStations}`, passwords[`FUZZ-${nStations}`], 'ocpp1.6');
    await fresh.send(JSON.stringify([2, 'boot-1', 'BootNotification', { chargePointVendor: 'Fuzz', chargePointModel: 'CP800' }]));
    const boot = JSON.parse((await fresh.next(ANSWER_TIMEOUT_MS)) ?? 'null') as [number, string, { status?: string }] | null;
    await fresh.send(JSON.stringify([2, 'mv-1', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-06-03T07:48:45Z', sampledValue: [{ value: 'OCMF|{}|{}', format: 'SignedData' }] }] }]));
    const mv = JSON.parse((await fresh.next(ANSWER_TIMEOUT_MS)) ?? 'null') as [number, string] | null;
    fresh.end();
    const stored = await topic.waitFor((r) => r.record.ocppMessageId === 'mv-1', ANSWER_TIMEOUT_MS).then(() => true, () => false);
    counts.servingAfter = boot?.[0] === 3 && boot[2].status === 'Accepted' && mv?.[0] === 3 && mv[1] === 'mv-1' && stored;

    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const value = (name: string) => Number(/^(\S+) (\S+)$/m.exec(text.split('\n').find((l) => l.startsWith(`${name} `)) ?? '')?.[2] ?? NaN);
    counts.metrics = { badFrames: value('edge_bad_frames_total'), badFrameDisconnects: value('edge_bad_frame_disconnects_total') };
    counts.edgeRssEndBytes = rssOf(edge.child.pid!);

    const problems: string[] = [];
    if (counts.recordsAfterFuzzing !== 0) problems.push(`${counts.recordsAfterFuzzing} records reached Kafka during the fuzzing`);
    if (!counts.servingAfter) problems.push(`a fresh station was not served afterwards (boot ${JSON.stringify(boot)}, MeterValues ${JSON.stringify(mv)}, stored ${stored})`);
    if (counts.metrics.badFrames !== badSent) problems.push(`edge_bad_frames_total is ${counts.metrics.badFrames}, ${badSent} bad frames were sent`);
    if (counts.metrics.badFrameDisconnects !== counts.closedAfterBadFrames) problems.push(`edge_bad_frame_disconnects_total is ${counts.metrics.badFrameDisconnects}, ${counts.closedAfterBadFrames} connections were closed for bad frames`);
    counts.edgeExitCode = await edge.stop();
    counts.edgeErrorLines = edge.errorLines;
    if (counts.edgeExitCode !== 0) problems.push(`the edge exited with ${counts.edgeExitCode} on SIGTERM`);
    if (counts.edgeErrorLines > 0) problems.push(`the edge logged ${counts.edgeErrorLines} lines at error or fatal`);
    if (problems.length > 0) counts.failure = problems.join('; ');
  } catch (e) {
    counts.failure = `${(e as Error).message}${edge ? `\nedge output (end):\n${edge.output.slice(-2000)}` : ''}`;
    if (edge) counts.edgeExitCode = await edge.stop();
  } finally {
    await topic.dispose();
    rmSync(dir, { recursive: true, force: true });
    counts.seconds = Math.round((Date.now() - started) / 1000);
  }
  return counts;
}
