// Test-only bootstrap: runs the TypeScript source of the BLAS probe child (as jest does with
// @swc/jest), mapping `@lookalike/<pkg>` to packages/<pkg>/src like jest.preset.js. The built
// package runs dist/blas-probe-child.js instead.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const packagesDir = path.resolve(__dirname, '../..');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  const m = /^@lookalike\/([a-z0-9-]+)$/.exec(request);
  return originalResolve.call(this, m ? path.join(packagesDir, m[1], 'src/index.ts') : request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(path.join(__dirname, '../src/blas-probe-child.ts'));
