// Raw model baseline for the embedding benchmark, in its own process (like one embedder worker):
//   node src/embedding-raw.mjs <list.json> <batchSize> <out.f32>
// Reads every image of the list into memory, creates one Embedder (backend as LOOKALIKE_BACKEND, default auto;
// ONNX intra-op threads as LOOKALIKE_THREADS, default 1) and embeds all the bytes in one call. Prints one JSON line.
import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { load } from './lib/resolve.mjs';

const { Embedder } = load('@lookalike/vision');

const [listFile, batchArg, out] = process.argv.slice(2);
const paths = JSON.parse(await readFile(listFile, 'utf8'));
const batchSize = Number(batchArg);

let t = performance.now();
const images = [];
for (const p of paths) images.push(await readFile(p));
const readMs = performance.now() - t;

t = performance.now();
const embedder = await Embedder.create({
  batchSize,
  backend: process.env.LOOKALIKE_BACKEND || 'auto',
  threads: Number(process.env.LOOKALIKE_THREADS || 1),
});
const createMs = performance.now() - t;

const cpu0 = process.cpuUsage();
t = performance.now();
const result = await embedder.embed(images);
const embedMs = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
await writeFile(
  out,
  Buffer.from(result.vectors.buffer, result.vectors.byteOffset, result.vectors.byteLength),
);
process.stdout.write(
  `${JSON.stringify({
    images: images.length,
    bytes: images.reduce((a, b) => a + b.length, 0),
    embedded: result.ok.length,
    failed: result.failures.length,
    dim: result.dim,
    modelId: embedder.modelId,
    backend: embedder.backend,
    provider: embedder.provider,
    batchSize,
    readMs,
    createMs,
    embedMs,
    imagesPerS: result.ok.length / (embedMs / 1000),
    cpuS: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
await embedder.dispose();
