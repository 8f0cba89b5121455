import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { fuzzFrame } from './malformedFrame';
import { runFrameFuzz } from './runFrameFuzz';

// CI's share of the frame fuzzer (`npm run --silent fuzz -- --frames 100000` is the full run): the
// built edge (standalone, security profile 1, a topic of its own on the broker of scripts/kafka.sh)
// takes a few thousand malformed frames over real WebSockets and keeps serving.

const root = join(__dirname, '..', '..', '..');

beforeAll(() => {
  // jest's global setup builds the repository; this makes sure this package's dist/ is current.
  const b = spawnSync('npx', ['tsc', '-b', 'services/ocpp-edge/tsconfig.lib.json'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build of services/ocpp-edge failed:\n${b.stdout}${b.stderr}`);
});

it('generates every kind of fault for both versions, and frames that are what they claim', () => {
  for (const version of ['1.6', '2.0.1'] as const) {
    const frames = fc.sample(fuzzFrame(version), { seed: 7, numRuns: 3_000 });
    const labels = new Set(frames.map((f) => f.label));
    expect([...labels].sort()).toEqual(['action-not-a-string', 'answer-to-no-call', 'heartbeat', 'id-not-a-string', 'missing-required-field', 'not-an-array', 'not-json', 'payload-not-an-object', 'type-not-a-number', 'unhandled-action', 'unknown-message-type', 'unknown-property', 'value-out-of-range', 'wrong-type']);
    for (const f of frames.filter((x) => x.label === 'not-json')) expect(() => JSON.parse(f.text)).toThrow();
    for (const f of frames.filter((x) => x.label !== 'not-json')) expect(() => JSON.parse(f.text)).not.toThrow();
  }
});

it('3 000 malformed frames through the built edge: the right OCPP error for each, closed after EDGE_MAX_BAD_FRAMES in a row, nothing in Kafka, still serving', async () => {
  const counts = await runFrameFuzz({ frames: 3_000, seed: 20261127, maxBadFrames: 4, stations: 8 });
  expect(counts.failure).toBeUndefined();
  expect(counts.frames).toBe(3_000);
  expect(counts.closedAfterBadFrames).toBeGreaterThan(100);
  expect(counts.connections).toBeGreaterThan(counts.closedAfterBadFrames - 1);
  expect(counts.recordsAfterFuzzing).toBe(0);
  expect(counts.servingAfter).toBe(true);
  expect(counts.edgeExitCode).toBe(0);
  for (const code of ['RpcFrameworkError', 'MessageTypeNotSupported', 'TypeConstraintViolation', 'NotImplemented']) expect(counts.answers[code]).toBeGreaterThan(0);
  expect(counts.byVersion['1.6']).toBeGreaterThan(1_000);
  expect(counts.byVersion['2.0.1']).toBeGreaterThan(1_000);
}, 170_000);
