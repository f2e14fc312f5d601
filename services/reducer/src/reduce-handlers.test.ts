import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type FitResult, type ProjectResult } from '@lookalike/core';
import {
  decodePcaModel,
  fitPcaSync,
  l2Normalise,
  projectRowsSync,
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
