// Root jest: runs every package's tests in one process tree, so `npm test`
// gives one summary and .ci/run can count results from one JSON report.
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/services/*/jest.config.js'],
};
