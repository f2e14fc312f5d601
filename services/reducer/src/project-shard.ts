import { projectJobSchema, RebuildMemo, type ProjectResult } from '@lookalike/core';
import { decodePcaModel, l2Normalise, projectRows, signedPower, type PcaModel } from '@lookalike/linalg';
import { defineHandler } from '@lookalike/queue';
import {
  decodeVectorShard,
  embeddingsShardKey,
  encodeVectorShard,
  pcaKey,
  reducedShardKey,
  type ObjectStore,
} from '@lookalike/storage';

/**
 * `project` job: applies the rebuild's signed power normalisation to one embedding shard, projects it with the
 * rebuild's PCA model (whitened to the rebuild's power; or, with no reduction, copies it) and L2-normalises every
 * row, so that inner product = cosine in the index.
 */
export function createProjectShardHandler(deps: { store: ObjectStore }) {
  // The model is small (256 × 1792 floats) and shared by all shards of a rebuild: keep the last one.
  const models = new RebuildMemo<PcaModel>({
    load: async (rebuildId) => decodePcaModel(await deps.store.get(pcaKey(rebuildId))),
  });
  return defineHandler({
    schema: projectJobSchema,
    async handle(data): Promise<ProjectResult> {
      const started = Date.now();
      const shard = decodeVectorShard(await deps.store.get(embeddingsShardKey(data.rebuildId, data.shard)));
      const n = shard.ids.length;
      let dim = shard.dim;
      const input = Float32Array.from(shard.vectors);
      signedPower(input, data.powerNorm);
      let vectors: Float32Array;
      if (data.reduce) {
        const model = await models.get(data.rebuildId);
        vectors =
          n > 0
            ? await projectRows(model, input, n, { normalise: true, whiten: data.whiten })
            : new Float32Array(0);
        dim = model.k;
      } else {
        vectors = input;
        if (n > 0) l2Normalise(vectors, dim);
      }
      await deps.store.put(
        reducedShardKey(data.rebuildId, data.shard),
        encodeVectorShard({ ids: shard.ids, dim, vectors }),
      );
      return { rows: n, dim, ms: Date.now() - started };
    },
  });
}
