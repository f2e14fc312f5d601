import sharp from 'sharp';
import { forEachLimit, planShardSchema, type Logger, type Manifest } from '@lookalike/core';
import { DEFAULT_METHOD, PUBLISHED_CONTEXT, PUBLISHED_HM_RESULTS } from '@lookalike/recsys';
import { getJson, planShardKey, galleryPageKey, galleryThumbKey, type ObjectStore } from '@lookalike/storage';
import { readCustomerSample, readNeighbourTable } from '@lookalike/rebuild-artifacts';
import type { GalleryData, GalleryImage } from './gallery-data';
import { renderGallery } from './render-gallery';

export interface GalleryOptions {
  /** Query articles shown (evenly spaced over the catalogue). */
  articles?: number;
  /** Neighbours shown per query. */
  neighbours?: number;
}

/**
 * Writes the static gallery of a rebuild: for a sample of articles, the query image beside its
 * neighbours with scores; for the evaluate job's sample of customers, their recent purchases beside their 12
 * recommendations with holdout hits marked; MAP@12 by method; the manifest's figures. Thumbnails are copied beside the page so it
 * works from a local folder, an S3 bucket or the producer's HTTP API alike.
 */
export async function writeGallery(
  store: ObjectStore,
  openSource: (url: string) => ObjectStore,
  manifest: Manifest,
  logger: Logger,
  options: GalleryOptions = {},
): Promise<{ key: string; thumbnails: number }> {
  const rebuildId = manifest.rebuildId;
  const table = await readNeighbourTable(store, rebuildId, manifest.counts.neighbourParts);
  const ids = table.articleIds;
  const want = Math.min(options.articles ?? 12, ids.length);
  const rows = Array.from({ length: want }, (_, i) => Math.floor(((i + 0.5) * ids.length) / want));
  const shown = Math.min(options.neighbours ?? manifest.spec.k, table.k);
  const neighbours = new Map(
    rows.map((row) => [
      row,
      Array.from({ length: shown }, (_, j) => ({
        id: table.ids[row * table.k + j]!,
        score: table.scores[row * table.k + j]!,
      })),
    ]),
  );

  // The evaluate job's sample (the gallery never decodes the recommendation model).
  const sample = manifest.recommend ? await readCustomerSample(store, rebuildId) : [];
  if (sample === undefined) logger.warn({ rebuildId }, 'gallery: the rebuild has no customer sample');
  const customers = sample ?? [];

  // Image keys of the articles shown, from the plan.
  const needed = new Set<string>();
  for (const row of rows) {
    needed.add(ids[row]!);
    for (const n of neighbours.get(row) ?? []) needed.add(ids[n.id]!);
  }
  for (const customer of customers) {
    for (const p of customer.purchases) needed.add(p.articleId);
    for (const r of customer.recommendations) needed.add(r.articleId);
  }
  const keys = new Map<string, { source: string; key: string }>();
  for (let shard = 0; shard < manifest.counts.shards && keys.size < needed.size; shard++) {
    const plan = await getJson(store, planShardKey(rebuildId, shard), (v) => planShardSchema.parse(v));
    for (const item of plan.items)
      if (needed.has(item.articleId)) keys.set(item.articleId, { source: plan.source, key: item.key });
  }
  const thumbs = new Map<string, string>();
  await forEachLimit([...needed], 8, async (articleId) => {
    const where = keys.get(articleId);
    if (!where) return;
    try {
      const bytes = await openSource(where.source).get(where.key);
      const jpeg = await sharp(bytes)
        .rotate()
        .resize(152, 228, { fit: 'contain', background: '#ffffff' })
        .jpeg({ quality: 80 })
        .toBuffer();
      await store.put(galleryThumbKey(rebuildId, articleId), jpeg, {
        contentType: 'image/jpeg',
      });
      thumbs.set(articleId, `thumbs/${articleId}.jpg`);
    } catch (err) {
      logger.warn({ articleId, err: (err as Error).message }, 'gallery: no thumbnail');
    }
  });
  const image = (articleId: string): GalleryImage => ({ articleId, image: thumbs.get(articleId) });

  const data: GalleryData = {
    rebuildId,
    createdAt: manifest.createdAt,
    finishedAt: manifest.finishedAt,
    counts: { ...manifest.counts },
    stageMs: Object.fromEntries(
      Object.entries(manifest.stages).flatMap(([s, st]) => (st.ms === undefined ? [] : [[s, st.ms]])),
    ),
    model: manifest.model,
    pca: manifest.pca,
    articles: rows.map((row) => ({
      ...image(ids[row]!),
      neighbours: (neighbours.get(row) ?? []).map((n) => ({ ...image(ids[n.id]!), score: n.score })),
    })),
    customers: customers.map((c) => ({
      customerId: c.customerId,
      purchases: c.purchases.map((p) => ({ ...image(p.articleId), date: p.date })),
      recommendations: c.recommendations.map((r) => ({ ...image(r.articleId), hit: r.hit })),
    })),
    methods: manifest.recommend?.methods,
    ...(manifest.quality ? { quality: manifest.quality } : {}),
    ...(manifest.recommend
      ? {
          submissionMethod: DEFAULT_METHOD,
          realData: { paragraph: PUBLISHED_CONTEXT, results: PUBLISHED_HM_RESULTS },
        }
      : {}),
  };
  const key = galleryPageKey(rebuildId);
  await store.put(key, Buffer.from(renderGallery(data)), { contentType: 'text/html; charset=utf-8' });
  return { key, thumbnails: thumbs.size };
}
