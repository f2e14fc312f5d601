import { parse } from 'csv-parse';
import type { Logger, PlanShard, RebuildSpec } from '@lookalike/core';
import { planShardKey, putJson, rebuildPrefix, type ObjectStore } from '@lookalike/storage';

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

/** Reads the `article_id` column of an articles.csv (streamed, ids kept as strings). */
export async function readArticleIds(store: ObjectStore, key: string): Promise<string[]> {
  const parser = (await store.getStream(key)).pipe(parse({ columns: true, bom: true, skip_empty_lines: true }));
  const ids: string[] = [];
  let line = 1;
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    line += 1;
    const id = record.article_id;
    if (id === undefined) throw new Error(`${key}: no article_id column`);
    if (!/^\d{1,10}$/.test(id)) throw new Error(`${key}, line ${line}: invalid article_id ${JSON.stringify(id)}`);
    ids.push(id.padStart(10, '0'));
  }
  return ids;
}

function splitLocation(url: string): { dir: string; name: string } {
  const slash = url.lastIndexOf('/');
  return { dir: url.slice(0, slash), name: url.slice(slash + 1) };
}

/**
 * The plan stage: lists the corpus, keeps one image per article (sorted by article id), splits
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
  if (spec.articles) {
    const { dir, name } = splitLocation(spec.articles);
    const articleIds = await readArticleIds(openSource(dir), name);
    missingImages = articleIds.filter((id) => !byArticle.has(id));
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
  await putJson(store, `${rebuildPrefix(rebuildId)}plan/ignored.json`, {
    ignoredCount: ignoredFiles.length,
    ignoredFiles: ignoredFiles.slice(0, MAX_LISTED_IGNORED_FILES),
    missingImages,
  });
  logger.info({ planned: items.length, shards, ignored: ignoredFiles.length, missing: missingImages.length }, 'planned');
  return { shards, planned: items.length, ignoredFiles, missingImages };
}
