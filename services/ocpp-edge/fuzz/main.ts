// `npm run --silent fuzz -- [--frames N] [--seed S]` (root) or `npm run fuzz -w services/ocpp-edge -- …`:
// N malformed OCPP frames through the built edge (`npm run build` first) over real WebSockets, on
// the broker of scripts/kafka.sh; prints the counts as one JSON line, exits 1 on a failure.
import { parseArgs } from 'node:util';
import { runFrameFuzz } from './runFrameFuzz';

const { values } = parseArgs({ options: { frames: { type: 'string', default: '100000' }, seed: { type: 'string' }, 'max-bad-frames': { type: 'string', default: '5' }, stations: { type: 'string', default: '16' } }, strict: false });
const frames = Number(values.frames);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const maxBadFrames = Number(values['max-bad-frames']);
const stations = Number(values.stations);
if (![frames, seed, maxBadFrames, stations].every(Number.isSafeInteger) || frames < 0 || maxBadFrames < 1 || stations < 1) {
  process.stderr.write('usage: --frames <count> --seed <integer> [--max-bad-frames <n>] [--stations <n>]\n');
  process.exit(2);
}
let rejections = 0;
process.on('unhandledRejection', (e) => {
  rejections++;
  process.stderr.write(`unhandled rejection: ${String(e)}\n`);
});
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
void runFrameFuzz({ frames, seed, brokers, maxBadFrames, stations, onProgress: (n) => process.stderr.write(`edge fuzz: ${n}/${frames} frames\n`) }).then((counts) => {
  const failed = counts.failure !== undefined || rejections > 0;
  process.stdout.write(`${JSON.stringify({ fuzz: 'ocpp-edge', seed, maxBadFrames, ...counts, unhandledRejections: rejections, ok: !failed })}\n`);
  process.exit(failed ? 1 : 0);
});
