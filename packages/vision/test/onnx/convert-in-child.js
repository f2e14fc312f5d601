// Child process of onnx-model-cache.test.ts: runs getOrConvertOnnxModel on a model written by the test, at a
// given moment, so that two processes convert into one cache folder at once. The TypeScript sources are
// compiled on the fly with swc (as jest does); @lookalike/* resolves to the packages' src/.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../../../..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@lookalike\/([a-z0-9-]+)$/.exec(request);
  if (m) return path.join(root, 'packages', m[1], 'src', 'index.ts');
  return resolve.call(this, request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

const [modelFile, cacheDir, startAt] = process.argv.slice(2);
const { getOrConvertOnnxModel } = require('../../src/onnx/onnx-model-cache.ts');

(async () => {
  const saved = JSON.parse(fs.readFileSync(modelFile, 'utf8'));
  const weights = Buffer.from(saved.weights, 'base64');
  const loaded = {
    artifacts: {
      modelTopology: saved.modelTopology,
      weightSpecs: saved.weightSpecs,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    },
    weightBytes: new Uint8Array(weights),
    sha256: saved.sha256,
    name: saved.name,
    location: 'file:test',
  };
  await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
  const model = await getOrConvertOnnxModel(loaded, { outputNode: saved.outputNode, cacheDir });
  process.stdout.write(
    JSON.stringify({ fromCache: model.fromCache, bytes: model.bytes.byteLength, path: model.path }),
  );
})().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err));
  process.exit(1);
});
