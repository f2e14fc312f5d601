// A PROTOTYPE of the suggested fix for services/embedder/src/embed-shard.ts, used only by the
// embedding:breakdown diagnostic to measure what it would gain. Same inputs, outputs and keys as the
// service's handler; the differences are scheduling only:
//   1. round r+1's image reads, hashing and cache lookups run while round r is in the model
//      (the service awaits them between rounds, so the model idles during storage round trips);
//   2. cache writes of round r are not awaited before round r+1 starts (all are awaited before the
//      shard's .vec is written, so "the .vec exists" still implies "the cache entries exist").
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { load, REPO_ROOT } from './resolve.mjs';

const { forEachLimit, planShardSchema } = load('@lookalike/core');
const {
  embeddingsFailuresKey,
  embeddingsShardKey,
  encodeVectorShard,
  getJson,
  ObjectNotFoundError,
  planShardKey,
  putJson,
} = load('@lookalike/storage');
const { contentHash, EmbeddingCache } = createRequire(import.meta.url)(
  join(REPO_ROOT, 'services', 'embedder', 'dist', 'embedding-cache.js'),
);

const ROUND = 64;

export function createOverlappedEmbedShardHandler(deps) {
  const io = deps.ioConcurrency ?? 8;
  return {
    async handle(data, job) {
      const started = Date.now();
      const plan = await getJson(deps.store, planShardKey(data.rebuildId, data.shard), (v) =>
        planShardSchema.parse(v),
      );
      const embedder = await deps.embedderFor(data.modelUrl, data.batchSize);
      const cache = new EmbeddingCache(deps.store, embedder.modelId, embedder.dim);
      const source = deps.openSource(plan.source);
      const items = plan.items;
      const vectors = new Array(items.length);
      const failures = [];
      let cached = 0;

      const fetchRound = async (start) => {
        const round = items.slice(start, start + ROUND);
        const misses = [];
        await forEachLimit(round, io, async (item, i) => {
          const index = start + i;
          let bytes;
          try {
            bytes = await source.get(item.key);
          } catch (err) {
            if (!(err instanceof ObjectNotFoundError)) throw err;
            failures.push({ ...item, reason: 'missing', message: `image ${item.key} no longer exists` });
            return;
          }
          const hash = contentHash(bytes);
          const hit = bytes.length > 0 ? await cache.get(hash) : undefined;
          if (hit) {
            vectors[index] = hit;
            cached += 1;
          } else misses.push({ index, bytes, hash });
        });
        return misses;
      };

      const puts = [];
      let next = fetchRound(0);
      try {
        for (let start = 0; start < items.length; start += ROUND) {
          const misses = await next;
          next = start + ROUND < items.length ? fetchRound(start + ROUND) : undefined;
          next?.catch(() => undefined); // surfaced when awaited
          if (misses.length > 0) {
            misses.sort((a, b) => a.index - b.index);
            const result = await embedder.embed(misses.map((m) => m.bytes));
            for (const failure of result.failures) {
              const item = items[misses[failure.index].index];
              failures.push({ ...item, reason: failure.reason, message: failure.message });
            }
            const fresh = result.ok.map((missIndex, row) => ({
              miss: misses[missIndex],
              vector: result.vectors.slice(row * result.dim, (row + 1) * result.dim),
            }));
            for (const { miss, vector } of fresh) vectors[miss.index] = vector;
            puts.push(forEachLimit(fresh, io, ({ miss, vector }) => cache.put(miss.hash, vector)));
          }
          await job.updateProgress({ done: Math.min(start + ROUND, items.length), total: items.length });
        }
      } finally {
        await Promise.allSettled(puts);
      }
      await Promise.all(puts);

      const ids = [];
      const rows = new Float32Array(items.filter((_, i) => vectors[i]).length * embedder.dim);
      items.forEach((item, i) => {
        const vector = vectors[i];
        if (!vector) return;
        rows.set(vector, ids.length * embedder.dim);
        ids.push(item.articleId);
      });
      failures.sort((a, b) => (a.articleId < b.articleId ? -1 : a.articleId > b.articleId ? 1 : 0));
      await putJson(deps.store, embeddingsFailuresKey(data.rebuildId, data.shard), {
        shard: data.shard,
        failures,
      });
      await deps.store.put(
        embeddingsShardKey(data.rebuildId, data.shard),
        encodeVectorShard({ ids, dim: embedder.dim, vectors: rows }),
      );
      return {
        planned: items.length,
        embedded: ids.length,
        failed: failures.length,
        cached,
        modelId: embedder.modelId,
        dim: embedder.dim,
        ms: Date.now() - started,
      };
    },
  };
}
