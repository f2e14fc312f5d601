import { fitJobSchema, type FitResult } from '@lookalike/core';
import { encodePcaModel, fitPca, sampleRows, signedPower } from '@lookalike/linalg';
import { defineHandler, UnrecoverableError } from '@lookalike/queue';
import {
  embeddingsShardKey,
  pcaKey,
  readVectorShardHeaders,
  readVectorShardRows,
  type ObjectStore,
} from '@lookalike/storage';

/**
 * `fit` job: fits PCA on a bounded, deterministic sample of rows from every embedding shard (after the
 * rebuild's signed power normalisation, as `project` applies it) and writes `pca.bin`. It reads each shard's
 * header, then only the sampled rows (ranged reads), so its memory is the sample's, not the corpus's. Runs
 * cooperatively (it yields to the event loop every ~100 ms) so the job's lock keeps being renewed. The output
 * dimension is capped at what the sample supports (min(dims, input dim, sample − 1)); the result records the
 * dimension used.
 */
export function createFitPcaHandler(deps: { store: ObjectStore }) {
  return defineHandler({
    schema: fitJobSchema,
    async handle(data, job): Promise<FitResult> {
      const started = Date.now();
      const keys = Array.from({ length: data.shards }, (_, s) => embeddingsShardKey(data.rebuildId, s));
      const headers = await readVectorShardHeaders(deps.store, keys);
      const picked = sampleRows(
        headers.map((h) => h.count),
        data.sampleSize,
      );
      const n = picked.reduce((a, rows) => a + rows.length, 0);
      const { dim, vectors: x } = await readVectorShardRows(deps.store, keys, headers, picked);
      if (n < 2 || dim === 0) throw new UnrecoverableError(`PCA needs at least 2 embedded rows, found ${n}`);
      signedPower(x, data.powerNorm);
      const k = Math.min(data.dims, dim, n - 1);
      const { model } = await fitPca(x, n, dim, k, {
        onProgress: (p) => void job.updateProgress(p).catch(() => undefined),
      });
      await deps.store.put(pcaKey(data.rebuildId), encodePcaModel(model));
      const ratios = Array.from(model.explainedVarianceRatio);
      return {
        inputDim: dim,
        dims: k,
        sampled: n,
        explainedVarianceRatio: Math.min(
          1,
          ratios.reduce((a, b) => a + b, 0),
        ),
        leadingRatios: ratios.slice(0, 20).map((r) => Number(r.toFixed(6))),
        ms: Date.now() - started,
      };
    },
  });
}
