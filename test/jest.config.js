const path = require('node:path');
const preset = require('../jest.preset.js');
module.exports = {
  ...preset,
  ...preset.withServers,
  moduleNameMapper: {
    '^@lookalike/cli$': path.join(__dirname, '../services/cli/src/index.ts'),
    ...preset.moduleNameMapper,
  },
  // End-to-end runs start real processes and embed real images.
  testTimeout: 300_000,
};
