// Jest's node environment, with the typed-array constructors of Node's main realm (every package's tests use it).
//
// onnxruntime-node builds its output tensors in native code, from typed arrays of the main realm, and
// onnxruntime-common then checks `data instanceof Float32Array` against the constructor of the realm that
// loaded it: jest's sandbox, whose Float32Array is another function, so every `session.run` fails with
// "A float32 tensor's data must be type of function Float32Array()". Sharing the main realm's
// constructors removes the mismatch.
const path = require('node:path');

// jest-environment-node is a dependency of jest itself; resolve it from there (pnpm does not hoist it).
const { TestEnvironment } = require(
  require.resolve('jest-environment-node', { paths: [path.dirname(require.resolve('jest'))] }),
);

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class MainRealmTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = MainRealmTypedArraysEnvironment;
