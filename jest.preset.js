// Shared jest settings for every package of the workspace.
// @noble/* 2.x and @nestjs/terminus 12 ship ESM only: those files are compiled to CommonJS for jest,
// everything else under node_modules is left alone.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    // @nestjs/terminus 12 is ESM only: its files are rewritten to CommonJS for jest (jest.esm-transform.js).
    '/node_modules/@nestjs/terminus/.+\\.js$': path.join(__dirname, 'jest.esm-transform.js'),
    '^.+\\.(t|j)s$': [
      'ts-jest',
      { tsconfig: path.join(__dirname, 'tsconfig.spec.json'), diagnostics: { warnOnly: false } },
    ],
  },
  transformIgnorePatterns: ['node_modules/(?!(@noble|@nestjs/terminus)/)'],
  moduleNameMapper: {
    '^@metrology-ledger/metrology-log$': path.join(__dirname, 'libs/metrology-log/src/index.ts'),
    '^@metrology-ledger/service-runtime$': path.join(__dirname, 'libs/service-runtime/src/index.ts'),
    '^@metrology-ledger/ocmf$': path.join(__dirname, 'libs/ocmf/src/index.ts'),
    '^@metrology-ledger/cp800-model$': path.join(__dirname, 'libs/cp800-model/src/index.ts'),
    '^@metrology-ledger/ledger$': path.join(__dirname, 'services/ledger/src/index.ts'),
    '^@metrology-ledger/ingest$': path.join(__dirname, 'services/ingest/src/index.ts'),
    '^@metrology-ledger/query$': path.join(__dirname, 'services/query/src/index.ts'),
    '^@metrology-ledger/ocpp-edge$': path.join(__dirname, 'services/ocpp-edge/src/index.ts'),
    '^@metrology-ledger/pipeline$': path.join(__dirname, 'tools/pipeline/src/index.ts'),
  },
  testMatch: ['<rootDir>/**/*.spec.ts'],
};
