// ONNX Runtime and TF.js wasm embed the demo sample's images into the same neighbourhoods: for every article the
// 20 nearest neighbours (cosine, self excluded) of the two runtimes' vectors overlap ≥ 0.99 on average.
import { readdir, readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bruteForceNeighbours } from '@lookalike/ann';
import { l2Normalise } from '@lookalike/linalg';
import { DEMO_SIZE, generateSample, IMAGES_DIR } from '@lookalike/sample-data';
import { Embedder } from '@lookalike/vision';

jest.setTimeout(600_000);

const K = 20;

async function embedAll(backend: 'onnx' | 'wasm', images: Buffer[]): Promise<{ vectors: Float32Array; dim: number }> {
  const embedder = await Embedder.create({ backend, batchSize: 32 });
  try {
    const result = await embedder.embed(images);
    expect(result.failures).toEqual([]);
    return { vectors: result.vectors, dim: result.dim };
  } finally {
    await embedder.dispose();
  }
}

function neighbourSets(vectors: Float32Array, dim: number): Int32Array {
  const rows = new Float32Array(vectors);
  l2Normalise(rows, dim);
  return bruteForceNeighbours(rows, dim, 0, rows.length / dim, K).ids;
}

describe('ONNX Runtime vs TF.js wasm on the demo sample', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runtime-equivalence-'));
    await generateSample({ outDir: dir, articles: DEMO_SIZE.articles, customers: 50, transactions: 500, seed: 1 });
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  test(`the ${K}-neighbour sets overlap ≥ 0.99 on average`, async () => {
    const root = join(dir, IMAGES_DIR);
    const files: string[] = [];
    for (const sub of (await readdir(root)).sort())
      for (const f of (await readdir(join(root, sub))).sort()) files.push(join(root, sub, f));
    expect(files.length).toBe(DEMO_SIZE.articles);
    const images = await Promise.all(files.map((f) => readFile(f)));

    const onnx = await embedAll('onnx', images);
    const wasm = await embedAll('wasm', images);
    const a = neighbourSets(onnx.vectors, onnx.dim);
    const b = neighbourSets(wasm.vectors, wasm.dim);
    let overlap = 0;
    let worst = 1;
    for (let row = 0; row < files.length; row++) {
      const mine = new Set(a.subarray(row * K, (row + 1) * K));
      const shared = Array.from(b.subarray(row * K, (row + 1) * K)).filter((id) => mine.has(id)).length / K;
      overlap += shared;
      worst = Math.min(worst, shared);
    }
    const mean = overlap / files.length;
    process.stdout.write(`neighbour overlap onnx vs wasm: mean ${mean.toFixed(4)}, worst row ${worst.toFixed(2)}\n`);
    expect(mean).toBeGreaterThanOrEqual(0.99);
  });
});
