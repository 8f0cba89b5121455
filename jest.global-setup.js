// Builds every package once before the tests: the end-to-end tests start the services from their
// build output (dist/), exactly as `npm start`, `npm run ingest` and the container image do.
// A failed build does not stop the unit tests (the type errors are printed, and .ci/run counts the
// build as a failed step of its own); the tests that start a service then fail saying what is missing.
const { spawnSync } = require('node:child_process');

module.exports = async () => {
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: __dirname, stdio: 'inherit' });
  if (r.status !== 0) process.stderr.write('\njest global setup: `npm run build` failed (see above); tests that start a built service will fail\n');
};
