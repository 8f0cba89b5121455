module.exports = { ...require('../../jest.preset.js'), displayName: 'ocpp-edge', rootDir: __dirname };
