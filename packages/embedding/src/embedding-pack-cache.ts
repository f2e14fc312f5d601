import { createHash } from 'node:crypto';
import {
  decodeVectorShard,
  embeddingPackKey,
  embeddingPackPrefix,
  encodeVectorShard,
  ObjectNotFoundError,
  type ObjectStore,
  parseEmbeddingPackKey,
} from '@lookalike/storage';

/** sha256 of an image's bytes: the cache key, so a renamed but unchanged image is not re-embedded. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Packs read per job at most: those that cover the most of the shard's range. */
const MAX_PACKS = 4;

/**
 * Content-addressed embedding cache kept as one pack per embedded shard (`cache/embeddings/<model>/packs/
 * <first>~<last>.vec`: a vector shard whose row ids are image sha256s). A job lists the packs once, reads the
 * few whose article-id range overlaps its own shard (plans are contiguous ranges of sorted ids, so after new
 * articles arrive an unchanged image is still found in the pack of the old shard that held it), and writes
 * one pack at the end: a handful of requests per shard instead of a lookup and a put per image.
 */
export class EmbeddingPackCache {
  private constructor(
    private readonly store: ObjectStore,
    private readonly dim: number,
    private readonly vectors: Map<string, Float32Array>,
    private readonly ownKey: string,
    /** Row ids of this shard's own pack when it exists already. */
    private readonly ownPack: ReadonlySet<string> | undefined,
  ) {}

  /** Opens the cache for a shard whose article ids run from `first` to `last` (inclusive, sorted). */
  static async open(
    store: ObjectStore,
    modelId: string,
    dim: number,
    first: string,
    last: string,
  ): Promise<EmbeddingPackCache> {
    const ownKey = embeddingPackKey(modelId, first, last);
    const candidates: { key: string; first: string; last: string }[] = [];
    for await (const entry of store.list(embeddingPackPrefix(modelId))) {
      const range = parseEmbeddingPackKey(entry.key);
      if (range !== undefined && range.first <= last && range.last >= first)
        candidates.push({ key: entry.key, ...range });
    }
    // The pack of exactly this range first (an unchanged corpus), then the ones reaching furthest into it.
    const score = (p: { key: string; first: string; last: string }) =>
      p.key === ownKey ? 0 : p.first >= first && p.last <= last ? 1 : 2;
    candidates.sort((a, b) => score(a) - score(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const vectors = new Map<string, Float32Array>();
    const chosen = candidates.slice(0, MAX_PACKS);
    const packs = await Promise.all(
      chosen.map(async ({ key }) => {
        try {
          return { key, ...decodeVectorShard(await store.get(key)) };
        } catch (err) {
          if (err instanceof ObjectNotFoundError) return undefined;
          throw err;
        }
      }),
    );
    for (const pack of packs) {
      if (pack === undefined || pack.dim !== dim) continue; // another model size under the same id: ignore
      pack.ids.forEach((hash, row) => {
        if (!vectors.has(hash)) vectors.set(hash, pack.vectors.subarray(row * dim, (row + 1) * dim));
      });
    }
    const own = packs.find((p) => p?.key === ownKey && p.dim === dim);
    return new EmbeddingPackCache(store, dim, vectors, ownKey, own && new Set(own.ids));
  }

  /** Cached vectors found for this shard. */
  get size(): number {
    return this.vectors.size;
  }

  get(hash: string): Float32Array | undefined {
    return this.vectors.get(hash);
  }

  /**
   * Writes this shard's pack (rows: image hash → vector), unless it exists already with exactly these images.
   * The key and bytes are deterministic, so a retried job overwrites identical bytes.
   */
  async write(rows: readonly { hash: string; vector: Float32Array }[]): Promise<void> {
    const unique = new Map<string, Float32Array>();
    for (const row of rows) if (!unique.has(row.hash)) unique.set(row.hash, row.vector);
    const ids = [...unique.keys()];
    const own = this.ownPack;
    if (own !== undefined && own.size === ids.length && ids.every((id) => own.has(id))) return;
    const vectors = new Float32Array(ids.length * this.dim);
    ids.forEach((hash, i) => vectors.set(unique.get(hash)!, i * this.dim));
    await this.store.put(this.ownKey, encodeVectorShard({ ids, dim: this.dim, vectors }));
  }
}
