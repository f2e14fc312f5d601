import { FlatInnerProductIndex } from '@lookalike/ann';
import { buildIndexJobSchema, forEachLimit, type BuildIndexResult } from '@lookalike/core';
import { defineHandler } from '@lookalike/queue';
import {
  decodeVectorShard,
  indexIdsKey,
  indexKey,
  putJson,
  reducedShardKey,
  type ObjectStore,
  type VectorShard,
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
        const shards = new Array<VectorShard>(data.shards);
        let fetched = 0;
        await forEachLimit(
          Array.from({ length: data.shards }, (_, i) => i),
          8,
          async (shard) => {
            shards[shard] = decodeVectorShard(await deps.store.get(reducedShardKey(data.rebuildId, shard)));
            fetched += 1;
            if (fetched % 10 === 0) await job.updateProgress({ done: fetched, total: data.shards });
          },
        );
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
