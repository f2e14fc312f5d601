// The embedding half of scripts/gpu-check.sh (run that): GPU vs CPU vectors and GPU images/s.
import { createRequire } from 'node:module';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { Embedder, decodeToRgb, rgbToFloat } = require('../packages/vision/dist/index.js');
const { generateSample } = require('../packages/sample-data/dist/index.js');

const IMAGES = Number(process.env.GPU_CHECK_IMAGES ?? 256);
const BACKEND = process.env.GPU_CHECK_BACKEND ?? 'onnx';
const BATCHES = [64, 256];
const MIN_COSINE = 0.999;
// Exercises the GPU half on a CPU runtime (to test this script on a machine without a GPU); the figures
// are then CPU figures and the check does not pass.
const DRY_RUN_ON_CPU = process.env.GPU_CHECK_DRY_RUN_ON_CPU === '1';

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (path.endsWith('.jpg')) yield path;
  }
}

function cosines(a, b, dim) {
  const out = [];
  for (let r = 0; r < a.length / dim; r++) {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = r * dim; i < (r + 1) * dim; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    out.push(dot / Math.sqrt(na * nb));
  }
  return out;
}

/** images/s of `fn(n)` over `n` images, after one warm-up call. */
async function rate(n, fn) {
  await fn(Math.min(n, 8));
  const started = process.hrtime.bigint();
  await fn(n);
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

const work = await mkdtemp(join(tmpdir(), 'lookalike-gpu-check-'));
const report = { backend: BACKEND, images: IMAGES, minCosine: MIN_COSINE };
let code = 0;
try {
  await generateSample({ outDir: work, articles: IMAGES, customers: 20, transactions: 200, seed: 7 });
  const files = [];
  for await (const path of walk(join(work, 'images'))) files.push(await readFile(path));
  files.sort((a, b) => a.length - b.length);
  console.log(`== fixtures: ${files.length} sample garment photos (JPEG)`);

  const cpu = await Embedder.create({ backend: 'onnx', cudaProviderInstalled: false, batchSize: 64 });
  report.cpu = { backend: cpu.backend, provider: cpu.provider };
  console.log(`cpu      ${cpu.backend}: ${cpu.provider}`);
  const reference = await cpu.embed(files);
  report.cpu.endToEndImagesPerSecond64 = await rate(Math.min(64, files.length), (n) =>
    cpu.embed(files.slice(0, n)),
  );

  let gpu;
  try {
    gpu = await Embedder.create({ backend: BACKEND, batchSize: 64 });
  } catch (err) {
    report.gpuError = err.message;
  }
  if (!gpu?.gpu && !(DRY_RUN_ON_CPU && gpu)) {
    report.gpuError ??= `backend ${BACKEND} opened ${gpu?.provider} (not a GPU)`;
    console.log(`gpu      could not run: ${report.gpuError}`);
    await gpu?.dispose();
    code = 2;
  } else {
    report.gpu = { backend: gpu.backend, provider: gpu.provider, gpu: gpu.gpu };
    console.log(`gpu      ${gpu.backend}: ${gpu.provider}`);
    const result = await gpu.embed(files);
    const cos = cosines(reference.vectors, result.vectors, result.dim);
    report.cosine = { min: Math.min(...cos), mean: cos.reduce((s, c) => s + c, 0) / cos.length };
    console.log(
      `cosine   GPU vs CPU over ${cos.length} images: min ${report.cosine.min.toFixed(6)}, mean ${report.cosine.mean.toFixed(6)}`,
    );
    if (report.cosine.min < MIN_COSINE || result.ok.length !== reference.ok.length) code = 1;
    await gpu.dispose();

    // Model only: decoded and resized once, outside the timing.
    const size = 224 * 224 * 3;
    const batch = new Float32Array(files.length * size);
    for (let i = 0; i < files.length; i++)
      rgbToFloat((await decodeToRgb(files[i], { width: 224, height: 224 })).data, batch, i * size);
    report.gpuImagesPerSecond = {};
    for (const batchSize of BATCHES) {
      const embedder = await Embedder.create({ backend: BACKEND, batchSize });
      // Repeat the fixtures so that every batch size runs full batches several times.
      const n = Math.max(files.length, batchSize * 4);
      const repeated = new Float32Array(n * size);
      for (let i = 0; i < n; i++)
        repeated.set(batch.subarray((i % files.length) * size, ((i % files.length) + 1) * size), i * size);
      const images = Array.from({ length: n }, (_, i) => files[i % files.length]);
      const modelOnly = await rate(n, (k) => embedder.embedPreprocessed(repeated.subarray(0, k * size), k));
      const endToEnd = await rate(n, (k) => embedder.embed(images.slice(0, k)));
      report.gpuImagesPerSecond[batchSize] = { modelOnly, endToEnd };
      console.log(
        `speed    batch ${String(batchSize).padStart(3)}: model only ${modelOnly.toFixed(1)} images/s, end to end with decoding ${endToEnd.toFixed(1)} images/s`,
      );
      await embedder.dispose();
    }
  }
  console.log(
    `cpu      end to end, batch 64: ${report.cpu.endToEndImagesPerSecond64.toFixed(1)} images/s (one intra-op thread)`,
  );
  await cpu.dispose();
} catch (err) {
  report.error = err.stack ?? String(err);
  console.error(report.error);
  code = 2;
} finally {
  await rm(work, { recursive: true, force: true });
}
if (DRY_RUN_ON_CPU && !report.gpu?.gpu && code === 0) code = 2;
if (process.env.GPU_CHECK_OUT)
  await writeFile(process.env.GPU_CHECK_OUT, `${JSON.stringify(report, null, 2)}\n`);
console.log(
  code === 0
    ? 'GPU check passed'
    : code === 1
      ? `GPU check FAILED: GPU vectors differ from CPU (cosine < ${MIN_COSINE})`
      : 'GPU check could not run the GPU path',
);
process.exit(code);
