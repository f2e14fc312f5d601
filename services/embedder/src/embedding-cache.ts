import { createHash } from 'node:crypto';
import { embeddingCacheKey, ObjectNotFoundError, type ObjectStore } from '@lookalike/storage';

/** sha256 of an image's bytes: the cache key, so a renamed but unchanged image is not re-embedded. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Content-addressed embedding cache: `cache/embeddings/<modelId>/<sha256>` holds one vector
 * (raw little-endian float32). An incremental rebuild embeds only new or changed images.
 */
export class EmbeddingCache {
  constructor(
    private readonly store: ObjectStore,
    private readonly modelId: string,
    private readonly dim: number,
  ) {}

  /** The cached vector, or undefined (missing, or written by a model of another size). */
  async get(hash: string): Promise<Float32Array | undefined> {
    try {
      const bytes = await this.store.get(embeddingCacheKey(this.modelId, hash));
      if (bytes.length !== this.dim * 4) return undefined;
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    } catch (err) {
      if (err instanceof ObjectNotFoundError) return undefined;
      throw err;
    }
  }

  async put(hash: string, vector: Float32Array): Promise<void> {
    if (vector.length !== this.dim) throw new RangeError(`cache put: expected ${this.dim} values, got ${vector.length}`);
    await this.store.put(embeddingCacheKey(this.modelId, hash), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
  }
}
