const preset = require('../../jest.preset.js');

// @nestjs/terminus is ESM only: its files go through jest.esm-transform.js, everything else as in the preset.
module.exports = {
  ...preset,
  displayName: 'ingest',
  rootDir: __dirname,
  transform: { '/node_modules/@nestjs/terminus/.+\\.js$': require.resolve('./jest.esm-transform.js'), ...preset.transform },
  transformIgnorePatterns: ['node_modules/(?!(@noble|@nestjs/terminus)/)'],
};
