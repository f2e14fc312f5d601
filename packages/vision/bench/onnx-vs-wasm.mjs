// ONNX conversion of the bundled MobileNetV2-1.4 and inference speed, ONNX Runtime CPU vs TF.js wasm, in one run.
//
//   pnpm --filter @lookalike/vision build
//   flock /tmp/lookalike-bench.lock node packages/vision/bench/onnx-vs-wasm.mjs [--images 64] [--threads 1]
//
// Both runtimes get the same float32 [n, 224, 224, 3] batches (speed does not depend on pixel values), batch
// sizes 1, 8 and 32, alternating runtime per batch size so that load changes hit both alike. Model-only
// timing: no decoding, no preprocessing.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-node';
import { Rng } from '@lookalike/core';
import { BundledModelSource } from '../dist/bundled-model-source.js';
import { loadModelArtifacts } from '../dist/model-artifacts.js';
import { FEATURE_VECTOR_NODE_SUFFIX } from '../dist/model-spec.js';
import { convertGraphModelToOnnx } from '../dist/onnx/index.js';

const { values: args } = parseArgs({
  options: { images: { type: 'string', default: '64' }, threads: { type: 'string', default: '1' } },
});
const IMAGES = Number(args.images);
const THREADS = Number(args.threads);
const BATCHES = [1, 8, 32];
const SIDE = 224;
const PIXELS = SIDE * SIDE * 3;

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const now = () => process.hrtime.bigint();

function randomBatch(n, seed) {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * PIXELS }, () => rng.float());
}

/** Images per second of `run(batch)` over at least IMAGES images, after one warm-up call. */
async function imagesPerSecond(batch, run) {
  await run();
  const rounds = Math.max(1, Math.ceil(IMAGES / batch));
  const t0 = now();
  for (let i = 0; i < rounds; i++) await run();
  return (rounds * batch * 1000) / ms(t0);
}

const loadBefore = loadavg();
const loaded = await loadModelArtifacts(new BundledModelSource('mobilenet_v2_140_224'));
const outputNode = loaded.artifacts.modelTopology.node
  .map((n) => n.name)
  .find((n) => n.endsWith(FEATURE_VECTOR_NODE_SUFFIX));

await tf.setBackend('wasm');
const conversions = [];
let converted;
for (let i = 0; i < 3; i++) {
  const t0 = now();
  converted = await convertGraphModelToOnnx(loaded.artifacts, { outputNode });
  conversions.push(ms(t0));
}

let t0 = now();
const session = await ort.InferenceSession.create(Buffer.from(converted.bytes), {
  intraOpNumThreads: THREADS,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
});
const ortLoadMs = ms(t0);
t0 = now();
const graph = await tf.loadGraphModel(tf.io.fromMemory(loaded.artifacts));
const wasmLoadMs = ms(t0);

const rows = [];
for (const batch of BATCHES) {
  const data = randomBatch(batch, batch);
  const feeds = { [converted.inputName]: new ort.Tensor('float32', data, [batch, SIDE, SIDE, 3]) };
  const onnx = await imagesPerSecond(batch, async () => {
    await session.run(feeds);
  });
  const x = tf.tensor(data, [batch, SIDE, SIDE, 3]);
  const wasm = await imagesPerSecond(batch, async () => {
    const y = graph.execute(x, outputNode);
    await y.data();
    y.dispose();
  });
  x.dispose();
  rows.push({ batch, onnxCpu: onnx, tfjsWasm: wasm, ratio: onnx / wasm });
}
await session.release();
graph.dispose();

const sorted = [...conversions].sort((a, b) => a - b);
const report = {
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  loadavgBefore: loadBefore.map((v) => +v.toFixed(2)),
  loadavgAfter: loadavg().map((v) => +v.toFixed(2)),
  node: process.version,
  onnxruntime: ort.env.versions?.common ?? 'onnxruntime-node',
  tfjsBackend: 'wasm (SIMD, 1 thread)',
  ortIntraOpThreads: THREADS,
  imagesPerBatchSize: IMAGES,
  conversionMs: {
    min: +sorted[0].toFixed(1),
    median: +sorted[1].toFixed(1),
    runs: conversions.map((v) => +v.toFixed(1)),
  },
  onnxBytes: converted.bytes.byteLength,
  ortSessionCreateMs: +ortLoadMs.toFixed(1),
  tfjsLoadGraphModelMs: +wasmLoadMs.toFixed(1),
  imagesPerSecond: rows.map((r) => ({
    batch: r.batch,
    onnxCpu: +r.onnxCpu.toFixed(1),
    tfjsWasm: +r.tfjsWasm.toFixed(1),
    ratio: +r.ratio.toFixed(2),
  })),
};
console.log(`| batch | ONNX Runtime CPU (${THREADS} thread) img/s | TF.js wasm img/s | ratio |`);
console.log('|---|---|---|---|');
for (const r of report.imagesPerSecond)
  console.log(`| ${r.batch} | ${r.onnxCpu} | ${r.tfjsWasm} | ${r.ratio}× |`);
console.log(JSON.stringify(report, null, 2));
