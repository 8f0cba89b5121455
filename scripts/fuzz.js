#!/usr/bin/env node
// `npm run --silent fuzz -- [--datasets N] [--frames N] [--seed S]`: the OCMF fuzzer
// (libs/ocmf/fuzz, default 1 000 000 datasets) then the OCPP frame fuzzer against the built edge
// (services/ocpp-edge/fuzz, default 100 000 frames; needs the broker of scripts/kafka.sh). `--datasets
// 0` or `--frames 0` skips one. `npm run --silent fuzz -- --soak 10m` runs the soak instead
// (tools/pipeline/bench/soak.ts: edge → Kafka → ingest → PostgreSQL under steady traffic with
// connections churning). Each runner prints one JSON line of counts; exit 1 if any failed.
// Runs from the sources with tsx, like the benchmarks; `npm run build` (prefuzz) makes the edge's dist/.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { parseArgs } = require('node:util');

const { values } = parseArgs({ options: { datasets: { type: 'string', default: '1000000' }, frames: { type: 'string', default: '100000' }, seed: { type: 'string' }, soak: { type: 'string' } }, strict: true });
const root = join(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const seed = values.seed ?? String(Date.now() % 2 ** 31);
const run = (file, args) => spawnSync(tsx, [join(root, file), ...args], { cwd: root, stdio: 'inherit' }).status;

if (values.soak !== undefined) process.exit(run('tools/pipeline/bench/soak.ts', ['--duration', values.soak, '--seed', seed]) === 0 ? 0 : 1);
let failed = false;
if (values.datasets !== '0') failed = run('libs/ocmf/fuzz/main.ts', ['--datasets', values.datasets, '--seed', seed]) !== 0 || failed;
if (values.frames !== '0') failed = run('services/ocpp-edge/fuzz/main.ts', ['--frames', values.frames, '--seed', seed]) !== 0 || failed;
process.exit(failed ? 1 : 0);
