import type { Job } from 'bullmq';
import {
  embedJobSchema,
  forEachLimit,
  planShardSchema,
  type EmbedResult,
  type ItemFailure,
  type Logger,
} from '@lookalike/core';
import { defineHandler } from '@lookalike/queue';
import {
  embeddingsFailuresKey,
  embeddingsShardKey,
  encodeVectorShard,
  getJson,
  ObjectNotFoundError,
  planShardKey,
  putJson,
  type ObjectStore,
} from '@lookalike/storage';
import type { Embedder } from '@lookalike/vision';
import { contentHash, EmbeddingCache } from './embedding-cache';

export interface EmbedShardDeps {
  store: ObjectStore;
  openSource: (url: string) => ObjectStore;
  /** The embedder for a model URL and batch size (loaded once per process). */
  embedderFor: (modelUrl: string | undefined, batchSize: number) => Promise<Embedder>;
  /** Parallel image/caching reads per job. */
  ioConcurrency?: number;
}

/** Images read, hashed and looked up per round; a round's cache misses go through the model together. */
const ROUND = 64;

/**
 * `embed` job: embeds every image of one plan shard and writes `embeddings/<shard>.vec` (rows in
 * plan order, failed images left out) and `embeddings/<shard>.failures.json`. A permanent
 * per-image problem (missing, empty, corrupt, unsupported, too large) is recorded and the shard
 * still completes; transient errors (storage unreachable) fail the job so BullMQ retries it.
 */
export function createEmbedShardHandler(deps: EmbedShardDeps) {
  const io = deps.ioConcurrency ?? 8;
  return defineHandler({
    schema: embedJobSchema,
    async handle(data, job: Job, _token, log: Logger): Promise<EmbedResult> {
      const started = Date.now();
      const plan = await getJson(deps.store, planShardKey(data.rebuildId, data.shard), (v) => planShardSchema.parse(v));
      const embedder = await deps.embedderFor(data.modelUrl, data.batchSize);
      const cache = new EmbeddingCache(deps.store, embedder.modelId, embedder.dim);
      const source = deps.openSource(plan.source);
      const items = plan.items;
      const vectors: (Float32Array | undefined)[] = new Array(items.length);
      const failures: ItemFailure[] = [];
      let cached = 0;

      for (let start = 0; start < items.length; start += ROUND) {
        const round = items.slice(start, start + ROUND);
        const misses: { index: number; bytes: Buffer; hash: string }[] = [];
        await forEachLimit(round, io, async (item, i) => {
          const index = start + i;
          let bytes: Buffer;
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
        if (misses.length > 0) {
          misses.sort((a, b) => a.index - b.index);
          const result = await embedder.embed(misses.map((m) => m.bytes));
          for (const failure of result.failures) {
            const item = items[misses[failure.index]!.index]!;
            failures.push({ ...item, reason: failure.reason, message: failure.message });
          }
          const fresh = result.ok.map((missIndex, row) => ({
            miss: misses[missIndex]!,
            vector: result.vectors.slice(row * result.dim, (row + 1) * result.dim),
          }));
          await forEachLimit(fresh, io, async ({ miss, vector }) => {
            vectors[miss.index] = vector;
            await cache.put(miss.hash, vector);
          });
        }
        await job.updateProgress({ done: Math.min(start + ROUND, items.length), total: items.length });
      }

      const ids: string[] = [];
      const rows = new Float32Array(items.filter((_, i) => vectors[i]).length * embedder.dim);
      items.forEach((item, i) => {
        const vector = vectors[i];
        if (!vector) return;
        rows.set(vector, ids.length * embedder.dim);
        ids.push(item.articleId);
      });
      failures.sort((a, b) => (a.articleId < b.articleId ? -1 : a.articleId > b.articleId ? 1 : 0));
      // Failures first: the .vec file is what the orchestrator counts as the shard's output.
      await putJson(deps.store, embeddingsFailuresKey(data.rebuildId, data.shard), { shard: data.shard, failures });
      await deps.store.put(
        embeddingsShardKey(data.rebuildId, data.shard),
        encodeVectorShard({ ids, dim: embedder.dim, vectors: rows }),
      );
      for (const failure of failures) log.warn({ articleId: failure.articleId, key: failure.key, reason: failure.reason }, failure.message);
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
  });
}
