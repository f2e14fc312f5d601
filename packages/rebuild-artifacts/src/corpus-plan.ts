import type { Logger, PlanShard, RebuildSpec } from '@lookalike/core';
import { readArticles } from '@lookalike/recsys';
import {
  ObjectNotFoundError,
  planShardKey,
  putJson,
  planIgnoredKey,
  splitObjectUrl,
  type ObjectStore,
} from '@lookalike/storage';
import { PlanInputError } from './plan-input-error';

export interface IgnoredFile {
  key: string;
  reason: 'not-an-article-image' | 'duplicate-article';
}

export interface PlanSummary {
  shards: number;
  planned: number;
  ignoredFiles: IgnoredFile[];
  /** Articles of articles.csv that have no image. */
  missingImages: string[];
  /** Malformed rows of articles.csv skipped (`lenient`). */
  skippedArticleRows: number;
}

/**
 * Ignored files listed in `plan/ignored.json` (all are counted): enough to see what is wrong with a
 * folder, never a whole listing of one that should not have been given.
 */
export const MAX_LISTED_IGNORED_FILES = 100;

/** The H&M layout: `0XX/0XXXXXXXXX.jpg` (the folder is the id's first three digits). */
const ARTICLE_IMAGE = /^(\d{3})\/(\d{10})\.(jpe?g|png|webp|gif|tiff?|avif|bmp)$/i;

/** The article id of an image key, or undefined when the key is not in the H&M layout. */
export function articleIdOfKey(key: string): string | undefined {
  const match = ARTICLE_IMAGE.exec(key);
  if (!match || !match[2]!.startsWith(match[1]!)) return undefined;
  return match[2];
}

/**
 * The article ids of an articles.csv, in file order, read with the recommender's CSV reader: a
 * header without `article_id`, an id that is not 1–10 digits, a duplicate or an unterminated quote
 * fails with the file's location and line, unless `lenient` (then the row is skipped and counted).
 * A missing file is permanent: `PlanInputError` naming it.
 */
export async function readArticleIds(
  url: string,
  openSource: (url: string) => ObjectStore,
  lenient: boolean,
): Promise<{ ids: string[]; skipped: number }> {
  const { storeUrl, key } = splitObjectUrl(url);
  let source;
  try {
    source = await openSource(storeUrl).getStream(key);
  } catch (err) {
    if (err instanceof ObjectNotFoundError) throw new PlanInputError(`articles: ${url} does not exist`);
    throw err;
  }
  const { articles, summary } = await readArticles(source, { file: url, lenient, keepColumns: [] });
  return { ids: Array.from({ length: articles.size }, (_, i) => articles.id(i)), skipped: summary.skipped };
}

/**
 * The plan stage (run by the orchestrator's `plan` step): lists the corpus, keeps one image per article (sorted by article id), splits
 * them into shards of `spec.shardSize` and writes `plan/<shard>.json` plus `plan/ignored.json`.
 */
export async function planRebuild(
  rebuildId: string,
  spec: RebuildSpec,
  store: ObjectStore,
  openSource: (url: string) => ObjectStore,
  logger: Logger,
): Promise<PlanSummary> {
  const images = openSource(spec.images);
  const byArticle = new Map<string, string>();
  const ignoredFiles: IgnoredFile[] = [];
  for await (const entry of images.list('')) {
    const articleId = articleIdOfKey(entry.key);
    if (articleId === undefined) ignoredFiles.push({ key: entry.key, reason: 'not-an-article-image' });
    else if (byArticle.has(articleId)) ignoredFiles.push({ key: entry.key, reason: 'duplicate-article' });
    else byArticle.set(articleId, entry.key);
  }
  let missingImages: string[] = [];
  let skippedArticleRows = 0;
  if (spec.articles) {
    const articles = await readArticleIds(spec.articles, openSource, spec.lenient);
    missingImages = articles.ids.filter((id) => !byArticle.has(id));
    skippedArticleRows = articles.skipped;
  }
  const items = [...byArticle.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([articleId, key]) => ({ articleId, key }));
  const shards = Math.ceil(items.length / spec.shardSize);
  for (let shard = 0; shard < shards; shard++) {
    const plan: PlanShard = {
      rebuildId,
      shard,
      source: spec.images,
      items: items.slice(shard * spec.shardSize, (shard + 1) * spec.shardSize),
    };
    await putJson(store, planShardKey(rebuildId, shard), plan);
  }
  // Keys are relative to the images folder.
  await putJson(store, planIgnoredKey(rebuildId), {
    ignoredCount: ignoredFiles.length,
    ignoredFiles: ignoredFiles.slice(0, MAX_LISTED_IGNORED_FILES),
    missingImages,
  });
  logger.info(
    {
      planned: items.length,
      shards,
      ignored: ignoredFiles.length,
      missing: missingImages.length,
      skippedArticleRows,
    },
    'planned',
  );
  return { shards, planned: items.length, ignoredFiles, missingImages, skippedArticleRows };
}
