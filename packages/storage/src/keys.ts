import { checkRebuildId, rebuildIdSchema, shardName } from '@lookalike/core';

/**
 * Every key of the storage layout (DESIGN.md, "Storage layout"), as pure functions. Keys are
 * deterministic, so a retried job overwrites identical bytes. Shard and part numbers are named by
 * core's `shardName` (5 digits, 0..99999), so lexicographic order (listing) is numeric order.
 */

/** Digits of a shard/part name (core's `shardName`). */
export const SHARD_DIGITS = 5;

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The shard/part number at the start of a key's last segment: `'…/embeddings/00042.vec'` → 42;
 * undefined when the name does not start with exactly `SHARD_DIGITS` digits followed by '.' or its end.
 */
export function parseShard(key: string): number | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const match = new RegExp(`^(\\d{${SHARD_DIGITS}})(?:\\.|$)`).exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Where every rebuild lives: `rebuilds/<rebuildId>/…`. */
export const REBUILDS_PREFIX = 'rebuilds/';

/**
 * How each stage's output files end: listing the stage's prefix for them finds the outputs its jobs wrote
 * (the key builders below use the same suffixes).
 */
export const OUTPUT_SUFFIX = {
  embeddingsShard: '.vec',
  reducedShard: '.vec',
  neighboursPart: '.bin',
  recommendationsEval: '.eval.json',
} as const;

/**
 * The rebuild id of a `rebuilds/<id>/` prefix (as `listPrefixes(REBUILDS_PREFIX)` gives them); undefined for
 * any other string and for a folder whose name breaks core's rebuild-id rule (not one of ours).
 */
export function rebuildIdOfPrefix(prefix: string): string | undefined {
  if (!prefix.startsWith(REBUILDS_PREFIX) || !prefix.endsWith('/')) return undefined;
  const id = rebuildIdSchema.safeParse(prefix.slice(REBUILDS_PREFIX.length, -1));
  return id.success ? id.data : undefined;
}

/** `rebuilds/<rebuildId>/`: everything of one rebuild (the id checked with core's one rule, `checkRebuildId`). */
export function rebuildPrefix(rebuildId: string): string {
  return `${REBUILDS_PREFIX}${checkRebuildId(rebuildId)}/`;
}

/** Spec, stage states, counts, timings, failures summary. */
export function manifestKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}manifest.json`;
}

export function planPrefix(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}plan/`;
}

/** Files under the image folder that the plan ignored (the first 100, all counted). */
export function planIgnoredKey(rebuildId: string): string {
  return `${planPrefix(rebuildId)}ignored.json`;
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
  return `${embeddingsPrefix(rebuildId)}${shardName(shard)}${OUTPUT_SUFFIX.embeddingsShard}`;
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
  return `${reducedPrefix(rebuildId)}${shardName(shard)}${OUTPUT_SUFFIX.reducedShard}`;
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
  return `${neighboursPrefix(rebuildId)}${shardName(part)}${OUTPUT_SUFFIX.neighboursPart}`;
}

export function neighboursCsvKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}neighbours.csv`;
}

/** `neighbour-quality.json`: label agreement of the neighbours (see @lookalike/neighbour-quality). */
export function neighbourQualityKey(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}neighbour-quality.json`;
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

/** Evaluation partials of one recommend part (summed by the evaluate job). */
export function recommendationsEvalKey(rebuildId: string, part: number): string {
  return `${recommendationsPrefix(rebuildId)}${shardName(part)}${OUTPUT_SUFFIX.recommendationsEval}`;
}

/** The customers the gallery shows: their recent purchases, recommendations and holdout hits (the evaluate job's). */
export function customerSampleKey(rebuildId: string): string {
  return `${recommendationsPrefix(rebuildId)}customer-sample.json`;
}

/** `rebuilds/<id>/gallery/`: the static gallery of a rebuild. */
export function galleryPrefix(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}gallery/`;
}

/** The gallery's page. */
export function galleryPageKey(rebuildId: string): string {
  return `${galleryPrefix(rebuildId)}index.html`;
}

/** The gallery's thumbnail of one article. */
export function galleryThumbKey(rebuildId: string, articleId: string): string {
  if (!/^\d{10}$/.test(articleId))
    throw new RangeError(`invalid article id ${JSON.stringify(articleId)} for a thumbnail`);
  return `${galleryPrefix(rebuildId)}thumbs/${articleId}.jpg`;
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

const PACK_ARTICLE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PACK_NAME = /^([A-Za-z0-9_-]{1,64})~([A-Za-z0-9_-]{1,64})\.vec$/;

/** `cache/embeddings/<model>/packs/`: the packs of one model, listed once per embed job. */
export function embeddingPackPrefix(model: string): string {
  return `${embeddingCachePrefix(model)}packs/`;
}

/**
 * One pack of cached embeddings: the vectors of one embedded shard, as a vector shard whose row ids are the
 * sha256 of each image's bytes, named by the shard's first and last article id (plan shards are contiguous
 * ranges of sorted article ids, so a later plan finds the packs that cover its shard's range).
 */
export function embeddingPackKey(model: string, firstArticleId: string, lastArticleId: string): string {
  for (const id of [firstArticleId, lastArticleId]) {
    if (typeof id !== 'string' || !PACK_ARTICLE_ID.test(id)) {
      throw new RangeError(
        `invalid article id ${JSON.stringify(id)} for an embedding pack: use 1-64 of [A-Za-z0-9_-]`,
      );
    }
  }
  if (firstArticleId > lastArticleId) {
    throw new RangeError(`embedding pack range ${firstArticleId}~${lastArticleId} is reversed`);
  }
  return `${embeddingPackPrefix(model)}${firstArticleId}~${lastArticleId}.vec`;
}

/** The article-id range of a pack key (relative to the pack prefix or not), or undefined for another key. */
export function parseEmbeddingPackKey(key: string): { first: string; last: string } | undefined {
  const match = PACK_NAME.exec(key.slice(key.lastIndexOf('/') + 1));
  if (match === null || match[1]! > match[2]!) return undefined;
  return { first: match[1]!, last: match[2]! };
}

/** Pointer to the published rebuild. */
export function currentPointerKey(): string {
  return 'current.json';
}
