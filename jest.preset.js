// Shared jest settings: every package's jest.config.js spreads this.
// Tests run TypeScript sources directly (swc), and workspace imports resolve to src/ so no build is needed.
const path = require('node:path');
const preset = {
  // Node's environment with the main realm's typed arrays (onnxruntime-node checks them with instanceof).
  testEnvironment: path.join(__dirname, 'jest.environment.js'),
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleNameMapper: { '^@lookalike/([a-z0-9-]+)$': path.join(__dirname, 'packages/$1/src/index.ts') },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testTimeout: 60_000,
};

module.exports = preset;

/**
 * Spread into a jest config whose tests need the real Redis + S3 servers started for the run:
 * `{ ...preset, ...preset.withServers }`. Non-enumerable so that spreading the preset leaves it out.
 */
Object.defineProperty(module.exports, 'withServers', {
  enumerable: false,
  value: {
    globalSetup: path.join(__dirname, 'packages/local-servers/src/jest-global-setup.ts'),
    globalTeardown: path.join(__dirname, 'packages/local-servers/src/jest-global-teardown.ts'),
  },
});
