// `npm run --silent fuzz -- [--datasets N] [--seed S]` (root) or `npm run fuzz -w libs/ocmf -- …`:
// N generated OCMF datasets through the parser and both verifiers; prints the counts as one JSON
// line and exits 1 on the first failure (with fast-check's counterexample and how to replay it).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runOcmfFuzz } from './runOcmfFuzz';

const { values } = parseArgs({ options: { datasets: { type: 'string', default: '1000000' }, seed: { type: 'string' }, frames: { type: 'string' }, soak: { type: 'string' } }, strict: false });
const datasets = Number(values.datasets);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isSafeInteger(datasets) || datasets < 0 || !Number.isSafeInteger(seed)) {
  process.stderr.write('usage: --datasets <count> --seed <integer>\n');
  process.exit(2);
}
const corpusDir = [process.env.OCMF_CORPUS_DIR, resolve(__dirname, '..', '..', '..', '..', 'shared', 'ocmf-corpus', 'real')].find((d) => d !== undefined && existsSync(d));
let rejections = 0;
process.on('unhandledRejection', (e) => {
  rejections++;
  process.stderr.write(`unhandled rejection: ${String(e)}\n`);
});

const started = Date.now();
const counts = runOcmfFuzz({
  datasets,
  seed,
  ...(corpusDir ? { corpusDir } : {}),
  onProgress: (done) => process.stderr.write(`ocmf fuzz: ${done}/${datasets} datasets, ${Math.round((Date.now() - started) / 1000)} s\n`),
});
// One turn of the event loop, so a rejection left behind would be reported before the verdict.
setImmediate(() => {
  const failed = counts.failure !== undefined || rejections > 0;
  process.stdout.write(`${JSON.stringify({ fuzz: 'ocmf', seed, corpus: corpusDir ?? null, seconds: Math.round((Date.now() - started) / 1000), ...counts, unhandledRejections: rejections, ok: !failed })}\n`);
  process.exit(failed ? 1 : 0);
});
