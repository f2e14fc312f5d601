import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type FitResult, type ProjectResult } from '@lookalike/core';
import {
  decodePcaModel,
  encodePcaModel,
  fitPca,
  fitPcaSync,
  l2Normalise,
  projectRowsSync,
  sampleRows,
  SeededRandom,
  signedPower,
} from '@lookalike/linalg';
import {
  decodeVectorShard,
  embeddingsShardKey,
  encodeVectorShard,
  FsObjectStore,
  pcaKey,
  reducedShardKey,
  type ObjectStore,
} from '@lookalike/storage';
import { createFitPcaHandler } from './fit-pca';
import { createProjectShardHandler } from './project-shard';

const DIM = 24;
const ROWS = 60;
type Job = Parameters<ReturnType<typeof createFitPcaHandler>['handle']>[1];
const job = { updateProgress: async () => undefined } as unknown as Job;

/** Non-negative, unevenly scaled rows (as CNN features are). */
function rows(seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  const x = new Float32Array(ROWS * DIM);
  for (let i = 0; i < x.length; i++) x[i] = Math.abs(rng.nextGaussian()) * (1 + (i % DIM));
  return x;
}

describe('fit and project with power normalisation and whitening', () => {
  let dir: string;
  let store: FsObjectStore;
  const shards = [rows(1), rows(2)];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reducer-'));
    store = new FsObjectStore({ root: dir });
    for (const [s, vectors] of shards.entries()) {
      const ids = Array.from({ length: ROWS }, (_, i) => `0${s}0000${String(i).padStart(4, '0')}`);
      await store.put(embeddingsShardKey('r', s), encodeVectorShard({ ids, dim: DIM, vectors }));
    }
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('fit sees the power-normalised rows; project applies the same power, then whitens and normalises', async () => {
    const fit = (await createFitPcaHandler({ store }).handle(
      { rebuildId: 'r', shards: 2, dims: 8, sampleSize: 1000, powerNorm: 0.5 },
      job,
      undefined,
      silentLogger,
    )) as FitResult;
    expect(fit).toMatchObject({ inputDim: DIM, dims: 8, sampled: 2 * ROWS });
    const model = decodePcaModel(await store.get(pcaKey('r')));
    // The same fit done here on the signed square roots of every row.
    const all = new Float32Array([...shards[0]!, ...shards[1]!]);
    signedPower(all, 0.5);
    const expected = fitPcaSync(all, 2 * ROWS, DIM, 8).model;
    expect(Array.from(model.explainedVariance).map((v) => v.toFixed(3))).toEqual(
      Array.from(expected.explainedVariance).map((v) => v.toFixed(3)),
    );

    for (const whiten of [0, 1]) {
      const result = (await createProjectShardHandler({ store }).handle(
        { rebuildId: 'r', shard: 1, reduce: true, powerNorm: 0.5, whiten },
        job,
        undefined,
        silentLogger,
      )) as ProjectResult;
      expect(result).toMatchObject({ rows: ROWS, dim: 8 });
      const reduced = decodeVectorShard(await store.get(reducedShardKey('r', 1)));
      const input = Float32Array.from(shards[1]!);
      signedPower(input, 0.5);
      const want = projectRowsSync(model, input, ROWS, { whiten });
      l2Normalise(want, 8);
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i]! - reduced.vectors[i]!));
      expect(worst).toBeLessThan(1e-5);
    }
  });
});

describe('fit on a sample', () => {
  let dir: string;
  let store: FsObjectStore;
  const sizes = [60, 0, 37, 60, 13];
  const shards = sizes.map((n, s) => rows(10 + s).subarray(0, n * DIM));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reducer-sample-'));
    store = new FsObjectStore({ root: dir });
    for (const [s, vectors] of shards.entries()) {
      const ids = Array.from({ length: sizes[s]! }, (_, i) => `1${s}0000${String(i).padStart(4, '0')}`);
      await store.put(embeddingsShardKey('s', s), encodeVectorShard({ ids, dim: DIM, vectors }));
    }
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('writes the pca.bin of the sampled rows, reading only their bytes (no whole shard)', async () => {
    const gets: string[] = [];
    const counting: ObjectStore = Object.create(store) as ObjectStore;
    counting.get = (key) => {
      gets.push(key);
      return store.get(key);
    };
    let ranged = 0;
    counting.getRange = (key, start, end) => {
      ranged += end - start + 1;
      return store.getRange(key, start, end);
    };
    const fit = (await createFitPcaHandler({ store: counting }).handle(
      { rebuildId: 's', shards: sizes.length, dims: 6, sampleSize: 50, powerNorm: 0.5 },
      job,
      undefined,
      silentLogger,
    )) as FitResult;
    expect(fit).toMatchObject({ inputDim: DIM, dims: 6, sampled: 50 });
    expect(gets).toEqual([]);
    expect(ranged).toBeLessThanOrEqual(sizes.length * 32 + 50 * DIM * 4 + 256 * 1024 * 4);

    // The fit as it was done before ranged reads: every shard read whole, the sampled rows copied out.
    const picked = sampleRows(sizes, 50);
    const x = new Float32Array(50 * DIM);
    let row = 0;
    picked.forEach((wanted, s) => {
      for (const r of wanted) x.set(shards[s]!.subarray(r * DIM, (r + 1) * DIM), row++ * DIM);
    });
    signedPower(x, 0.5);
    const { model } = await fitPca(x, 50, DIM, 6);
    expect((await store.get(pcaKey('s'))).equals(encodePcaModel(model))).toBe(true);
  });

  test('refuses shards of different dims', async () => {
    await store.put(
      embeddingsShardKey('d', 0),
      encodeVectorShard({ ids: ['a', 'b'], dim: DIM, vectors: new Float32Array(2 * DIM) }),
    );
    await store.put(
      embeddingsShardKey('d', 1),
      encodeVectorShard({ ids: ['c', 'd'], dim: DIM + 1, vectors: new Float32Array(2 * DIM + 2) }),
    );
    await expect(
      createFitPcaHandler({ store }).handle(
        { rebuildId: 'd', shards: 2, dims: 1, sampleSize: 10, powerNorm: 1 },
        job,
        undefined,
        silentLogger,
      ),
    ).rejects.toThrow(/dim 25, expected 24/);
  });
});
