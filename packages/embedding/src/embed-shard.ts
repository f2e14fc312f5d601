import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  forEachLimit,
  planShardSchema,
  type EmbedJobData,
  type EmbedResult,
  type ItemFailure,
  type Logger,
  type PaddingMode,
  type PlanItem,
} from '@lookalike/core';
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
import { contentHash, EmbeddingPackCache } from './embedding-pack-cache';

export interface EmbedShardDeps {
  store: ObjectStore;
  openSource: (url: string) => ObjectStore;
  /** The embedder for a model URL and batch size (loaded once per process). */
  embedderFor: (modelUrl: string | undefined, batchSize: number, padding: PaddingMode) => Promise<Embedder>;
  /** Parallel image/caching reads per job. */
  ioConcurrency?: number;
}

/** Images read, hashed and looked up per round; a round's cache misses go through the model together. */
const ROUND = 64;

interface Miss {
  index: number;
  bytes: Buffer;
  hash: string;
}

/** A shard's images once embedded: vectors and content hashes by plan position, and the failures. */
interface EmbeddedShard {
  items: readonly PlanItem[];
  vectors: readonly (Float32Array | undefined)[];
  hashes: readonly (string | undefined)[];
  failures: ItemFailure[];
}

/**
 * Writes the shard's failures, then its vectors (rows in plan order, failed images left out: the `.vec` file is
 * what the orchestrator counts as the shard's output), then its cache pack; returns the embedded article ids.
 */
async function writeShard(
  store: ObjectStore,
  data: EmbedJobData,
  dim: number,
  shard: EmbeddedShard,
  cache: EmbeddingPackCache | undefined,
): Promise<string[]> {
  const { items, vectors, hashes, failures } = shard;
  const ids: string[] = [];
  const packRows: { hash: string; vector: Float32Array }[] = [];
  const rows = new Float32Array(items.filter((_, i) => vectors[i]).length * dim);
  items.forEach((item, i) => {
    const vector = vectors[i];
    if (!vector) return;
    rows.set(vector, ids.length * dim);
    ids.push(item.articleId);
    packRows.push({ hash: hashes[i]!, vector });
  });
  failures.sort((a, b) => (a.articleId < b.articleId ? -1 : a.articleId > b.articleId ? 1 : 0));
  await putJson(store, embeddingsFailuresKey(data.rebuildId, data.shard), { shard: data.shard, failures });
  await store.put(
    embeddingsShardKey(data.rebuildId, data.shard),
    encodeVectorShard({ ids, dim, vectors: rows }),
  );
  await cache?.write(packRows);
  return ids;
}

/** What the job running a shard gets told as it goes. */
export interface EmbedShardHooks {
  log: Logger;
  /** Images done of the shard's total (each round, then at the end). */
  onProgress?: (done: number, total: number) => Promise<void>;
}

/**
 * The `embed` job's work: embeds every image of one plan shard and writes `embeddings/<shard>.vec` (rows in
 * plan order, failed images left out) and `embeddings/<shard>.failures.json`. A permanent
 * per-image problem (missing, empty, corrupt, unsupported, too large) is recorded and the shard
 * still completes; transient errors (storage unreachable) fail the job so BullMQ retries it.
 *
 * Reading (and hashing) the next round of images overlaps the model's work on the current one; on ONNX Runtime
 * inference runs off the event loop, so the job's lock keeps renewing. The worst event-loop delay of the job is
 * measured and returned.
 */
export async function embedShard(
  deps: EmbedShardDeps,
  data: EmbedJobData,
  hooks: EmbedShardHooks,
): Promise<EmbedResult> {
  const io = deps.ioConcurrency ?? 8;
  const { log } = hooks;
  const progress = (done: number, total: number) => hooks.onProgress?.(done, total);
  const started = Date.now();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  try {
    const plan = await getJson(deps.store, planShardKey(data.rebuildId, data.shard), (v) =>
      planShardSchema.parse(v),
    );
    const embedder = await deps.embedderFor(data.modelUrl, data.batchSize, data.padding);
    const items = plan.items;
    const first = items[0];
    const last = items.at(-1);
    const cache =
      first && last
        ? await EmbeddingPackCache.open(
            deps.store,
            embedder.modelId,
            embedder.dim,
            first.articleId,
            last.articleId,
          )
        : undefined;
    const source = deps.openSource(plan.source);
    const vectors: (Float32Array | undefined)[] = new Array(items.length);
    const hashes: (string | undefined)[] = new Array(items.length);
    const failures: ItemFailure[] = [];
    let cached = 0;

    /** Reads and hashes one round of images; cache hits are filled in, the misses returned in plan order. */
    const readRound = async (start: number): Promise<Miss[]> => {
      const misses: Miss[] = [];
      await forEachLimit(items.slice(start, start + ROUND), io, async (item, i) => {
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
        hashes[index] = hash;
        const hit = bytes.length > 0 ? cache?.get(hash) : undefined;
        if (hit) {
          vectors[index] = hit;
          cached += 1;
        } else misses.push({ index, bytes, hash });
      });
      return misses.sort((a, b) => a.index - b.index);
    };

    /** Embeds one round's misses and files the vectors and failures. */
    const embedRound = async (misses: Miss[]): Promise<void> => {
      if (misses.length === 0) return;
      const result = await embedder.embed(misses.map((m) => m.bytes));
      for (const failure of result.failures) {
        const item = items[misses[failure.index]!.index]!;
        failures.push({ ...item, reason: failure.reason, message: failure.message });
      }
      result.ok.forEach((missIndex, row) => {
        vectors[misses[missIndex]!.index] = result.vectors.slice(row * result.dim, (row + 1) * result.dim);
      });
    };

    // A pipeline three rounds deep: round r+1 is read while round r decodes and round r-1 is on the model
    // (the embedder runs one batch at a time, so round r decodes while it waits for its turn).
    let next: Promise<Miss[]> | undefined = items.length > 0 ? readRound(0) : undefined;
    let previous: Promise<void> | undefined;
    for (let start = 0; next !== undefined; start += ROUND) {
      const misses = await next;
      next = start + ROUND < items.length ? readRound(start + ROUND) : undefined;
      // A failed read-ahead must not become an unhandled rejection while this round embeds.
      next?.catch(() => undefined);
      const current = embedRound(misses);
      current.catch(() => undefined);
      if (previous) await previous;
      previous = current;
      await progress(Math.min(start, items.length), items.length);
    }
    await previous;
    await progress(items.length, items.length);

    const ids = await writeShard(deps.store, data, embedder.dim, { items, vectors, hashes, failures }, cache);
    for (const failure of failures)
      log.warn({ articleId: failure.articleId, key: failure.key, reason: failure.reason }, failure.message);
    const maxEventLoopDelayMs = Math.round(delay.max / 1e5) / 10;
    log.info(
      {
        shard: data.shard,
        embedded: ids.length,
        cached,
        maxEventLoopDelayMs,
        provider: embedder.provider,
      },
      'shard embedded',
    );
    return {
      planned: items.length,
      embedded: ids.length,
      failed: failures.length,
      cached,
      modelId: embedder.modelId,
      dim: embedder.dim,
      ms: Date.now() - started,
      provider: embedder.provider,
      maxEventLoopDelayMs,
    };
  } finally {
    delay.disable();
  }
}
