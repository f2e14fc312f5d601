import { shardName } from '@lookalike/core';

/**
 * Every key of the storage layout (DESIGN.md, "Storage layout"), as pure functions. Keys are
 * deterministic, so a retried job overwrites identical bytes. Shard and part numbers are named by
 * core's `shardName` (5 digits, 0..99999), so lexicographic order (listing) is numeric order.
 */

/** Digits of a shard/part name (core's `shardName`). */
export const SHARD_DIGITS = 5;

const REBUILD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Checks only that the id is safe as one key segment; its format (`rb-YYYYMMDD-HHMMSS-xxxxxx`,
 * core's `newRebuildId`) is core's business, so test ids like 'test-1' are fine here.
 */
function checkRebuildId(rebuildId: string): string {
  if (typeof rebuildId !== 'string' || !REBUILD_ID.test(rebuildId) || rebuildId.includes('..')) {
    throw new RangeError(
      `invalid rebuild id ${JSON.stringify(rebuildId)}: use 1-128 of [A-Za-z0-9._-], starting with a letter or digit`,
    );
  }
  return rebuildId;
}

/**
 * The shard/part number at the start of a key's last segment: `'…/embeddings/00042.vec'` → 42;
 * undefined when the name does not start with exactly `SHARD_DIGITS` digits followed by '.' or its end.
 */
export function parseShard(key: string): number | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const match = new RegExp(`^(\\d{${SHARD_DIGITS}})(?:\\.|$)`).exec(name);
  return match ? Number(match[1]) : undefined;
}

/** `rebuilds/<rebuildId>/`: everything of one rebuild. */
export function rebuildPrefix(rebuildId: string): string {
  return `rebuilds/${checkRebuildId(rebuildId)}/`;
}

/** Spec, stage states, counts, timings, failures summary. */
export function manifestKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}manifest.json`;
}

export function planPrefix(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}plan/`;
}

/** Article ids + image keys of one shard. */
export function planShardKey(rebuildId: string, shard: number): string {
  return `${planPrefix(rebuildId)}${shardName(shard)}.json`;
}

export function embeddingsPrefix(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}embeddings/`;
}

/** Embedding vectors of one shard (vector-shard codec). */
export function embeddingsShardKey(rebuildId: string, shard: number): string {
  return `${embeddingsPrefix(rebuildId)}${shardName(shard)}.vec`;
}

/** Items of one shard that could not be embedded. */
export function embeddingsFailuresKey(rebuildId: string, shard: number): string {
  return `${embeddingsPrefix(rebuildId)}${shardName(shard)}.failures.json`;
}

/** The fitted PCA model. */
export function pcaKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}pca.bin`;
}

export function reducedPrefix(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}reduced/`;
}

/** PCA-reduced vectors of one shard (vector-shard codec). */
export function reducedShardKey(rebuildId: string, shard: number): string {
  return `${reducedPrefix(rebuildId)}${shardName(shard)}.vec`;
}

/** The FAISS index. */
export function indexKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}index.faiss`;
}

/** Article id of each index row (JSON string array), written with the index. */
export function indexIdsKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}index-ids.json`;
}

export function neighboursPrefix(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}neighbours/`;
}

/** Nearest-neighbour results of one query part. */
export function neighboursPartKey(rebuildId: string, part: number): string {
  return `${neighboursPrefix(rebuildId)}${shardName(part)}.bin`;
}

export function neighboursCsvKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}neighbours.csv`;
}

export function neighboursJsonKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}neighbours.json`;
}

export function recommendationsPrefix(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}recommendations/`;
}

/** Recommendations of one customer part. */
export function recommendationsPartKey(rebuildId: string, part: number): string {
  return `${recommendationsPrefix(rebuildId)}${shardName(part)}.csv`;
}

/** The prepared recommendation model shared by the recommend jobs of a rebuild. */
export function recommendModelKey(rebuildId: string): string {
  return `${recommendationsPrefix(rebuildId)}model.bin`;
}

/** Evaluation partials of one recommend part (summed by the orchestrator). */
export function recommendationsEvalKey(rebuildId: string, part: number): string {
  return `${recommendationsPrefix(rebuildId)}${shardName(part)}.eval.json`;
}

/** The human-readable comparison of the methods. */
export function evaluationReportKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}evaluation.md`;
}

export function submissionKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}submission.csv`;
}

export function evaluationKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}evaluation.json`;
}

/** `cache/embeddings/<model>/`: cached embeddings of one model, shared by all rebuilds. */
export function embeddingCachePrefix(model: string): string {
  if (typeof model !== 'string' || !MODEL_NAME.test(model) || model.includes('..')) {
    throw new RangeError(
      `invalid model name ${JSON.stringify(model)}: use 1-128 of [A-Za-z0-9._-], starting with a letter or digit`,
    );
  }
  return `cache/embeddings/${model}/`;
}

/** Cached embedding of one image, by the sha256 (lowercase hex) of the image bytes. */
export function embeddingCacheKey(model: string, imageSha256: string): string {
  if (typeof imageSha256 !== 'string' || !SHA256_HEX.test(imageSha256)) {
    throw new RangeError(
      `invalid image sha256 ${JSON.stringify(imageSha256)}: expected 64 lowercase hex digits`,
    );
  }
  return `${embeddingCachePrefix(model)}${imageSha256}`;
}

/** Pointer to the published rebuild. */
export function currentPointerKey(): string {
  return 'current.json';
}
