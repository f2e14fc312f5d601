// Shared jest settings: every package's jest.config.js spreads this.
// Tests run TypeScript sources directly (swc), and workspace imports resolve to src/ so no build is needed.
const path = require('node:path');
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleNameMapper: { '^@lookalike/([a-z0-9-]+)$': path.join(__dirname, 'packages/$1/src/index.ts') },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testTimeout: 60_000,
};
