import { FlatInnerProductIndex } from '@lookalike/ann';
import { buildIndexJobSchema, type BuildIndexResult } from '@lookalike/core';
import { defineHandler } from '@lookalike/queue';
import {
  indexIdsKey,
  indexKey,
  putJson,
  readVectorShards,
  reducedShardKey,
  type ObjectStore,
} from '@lookalike/storage';

/**
 * `build-index` job: concatenates the reduced shards, in shard order (= article-id order), into
 * one exact inner-product FAISS index (cosine on L2-normalised rows) and writes it with the
 * article id of every row.
 */
export function createBuildIndexHandler(deps: { store: ObjectStore }) {
  return defineHandler({
    schema: buildIndexJobSchema,
    async handle(data, job): Promise<BuildIndexResult> {
      const started = Date.now();
      const ids: string[] = [];
      let index: FlatInnerProductIndex | undefined;
      try {
        // Fetch shards in parallel (S3 latency dominates), add them to the index in shard order.
        const keys = Array.from({ length: data.shards }, (_, i) => reducedShardKey(data.rebuildId, i));
        const shards = await readVectorShards(deps.store, keys, {
          onProgress: (done, total) => (done % 10 === 0 ? job.updateProgress({ done, total }) : undefined),
        });
        for (const [shard, decoded] of shards.entries()) {
          index ??= FlatInnerProductIndex.create(decoded.dim);
          if (decoded.dim !== index.dim) {
            throw new Error(`reduced shard ${shard} has dimension ${decoded.dim}, expected ${index.dim}`);
          }
          if (decoded.ids.length > 0) index.add(decoded.vectors);
          ids.push(...decoded.ids);
        }
        if (!index) throw new Error('no reduced shards');
        await putJson(deps.store, indexIdsKey(data.rebuildId), ids);
        await deps.store.put(indexKey(data.rebuildId), index.toBuffer());
        return { rows: index.ntotal, dim: index.dim, ms: Date.now() - started };
      } finally {
        index?.dispose();
      }
    },
  });
}
