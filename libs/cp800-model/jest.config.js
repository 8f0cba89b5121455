module.exports = { ...require('../../jest.preset.js'), displayName: 'cp800-model', rootDir: __dirname };
