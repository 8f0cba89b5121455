module.exports = { ...require('../../jest.preset.js'), displayName: 'query', rootDir: __dirname };
