// Root jest: runs every package's tests (each directory's own jest.config.js), so `npm test`
// gives one summary and .ci/run can count results from one JSON report.
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const projects = ['libs', 'services', 'tools']
  .filter((d) => existsSync(join(__dirname, d)))
  .flatMap((d) => readdirSync(join(__dirname, d)).map((p) => join(__dirname, d, p)))
  .filter((p) => existsSync(join(p, 'jest.config.js')));

// Guards against a hung test (a broker or child process that never answers); not a speed target.
module.exports = { projects, testTimeout: 180_000, globalSetup: '<rootDir>/jest.global-setup.js' };
