module.exports = { ...require('../../jest.preset.js'), displayName: 'ocmf', rootDir: __dirname };
