module.exports = { ...require('../../jest.preset.js'), displayName: 'metrology-log', rootDir: __dirname };
