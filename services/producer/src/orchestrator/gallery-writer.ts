import sharp from 'sharp';
import { decodeNeighbourTable } from '@lookalike/ann';
import { forEachLimit, planShardSchema, type Logger, type Manifest } from '@lookalike/core';
import { renderGallery, type GalleryData, type GalleryImage } from '@lookalike/gallery';
import { getJson, neighboursPartKey, planShardKey, rebuildPrefix, type ObjectStore } from '@lookalike/storage';
import { readIndexIds } from '@lookalike/rebuild-artifacts';

/** Where a rebuild's gallery lives: `rebuilds/<id>/gallery/index.html` and `gallery/thumbs/`. */
export function galleryPrefix(rebuildId: string): string {
  return `${rebuildPrefix(rebuildId)}gallery/`;
}

export interface GalleryOptions {
  /** Query articles shown (evenly spaced over the catalogue). */
  articles?: number;
  /** Neighbours shown per query. */
  neighbours?: number;
}

/**
 * Writes the static gallery of a rebuild: for a sample of articles, the query image beside its
 * neighbours with scores, plus the manifest's figures. Thumbnails are copied beside the page so it
 * works from a local folder, an S3 bucket or the producer's HTTP API alike.
 */
export async function writeGallery(
  store: ObjectStore,
  openSource: (url: string) => ObjectStore,
  manifest: Manifest,
  logger: Logger,
  options: GalleryOptions = {},
): Promise<string> {
  const rebuildId = manifest.rebuildId;
  const ids = await readIndexIds(store, rebuildId);
  const want = Math.min(options.articles ?? 12, ids.length);
  const rows = Array.from({ length: want }, (_, i) => Math.floor(((i + 0.5) * ids.length) / want));
  const shown = options.neighbours ?? manifest.spec.k;

  // Neighbours of the sampled rows, from the parts that hold them.
  const perPart = manifest.spec.neighbourRowsPerJob;
  const neighbours = new Map<number, { id: number; score: number }[]>();
  for (const part of new Set(rows.map((r) => Math.floor(r / perPart)))) {
    const table = decodeNeighbourTable(await store.get(neighboursPartKey(rebuildId, part)));
    for (const row of rows.filter((r) => Math.floor(r / perPart) === part)) {
      const r = row - table.firstRow;
      neighbours.set(
        row,
        Array.from({ length: Math.min(shown, table.k) }, (_, j) => ({
          id: table.ids[r * table.k + j]!,
          score: table.scores[r * table.k + j]!,
        })),
      );
    }
  }

  // Image keys of the articles shown, from the plan.
  const needed = new Set<string>();
  for (const row of rows) {
    needed.add(ids[row]!);
    for (const n of neighbours.get(row) ?? []) needed.add(ids[n.id]!);
  }
  const keys = new Map<string, { source: string; key: string }>();
  for (let shard = 0; shard < manifest.counts.shards && keys.size < needed.size; shard++) {
    const plan = await getJson(store, planShardKey(rebuildId, shard), (v) => planShardSchema.parse(v));
    for (const item of plan.items) if (needed.has(item.articleId)) keys.set(item.articleId, { source: plan.source, key: item.key });
  }
  const thumbs = new Map<string, string>();
  await forEachLimit([...needed], 8, async (articleId) => {
    const where = keys.get(articleId);
    if (!where) return;
    try {
      const bytes = await openSource(where.source).get(where.key);
      const jpeg = await sharp(bytes).rotate().resize(152, 228, { fit: 'contain', background: '#ffffff' }).jpeg({ quality: 80 }).toBuffer();
      await store.put(`${galleryPrefix(rebuildId)}thumbs/${articleId}.jpg`, jpeg, { contentType: 'image/jpeg' });
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
    stageMs: Object.fromEntries(Object.entries(manifest.stages).flatMap(([s, st]) => (st.ms === undefined ? [] : [[s, st.ms]]))),
    model: manifest.model,
    pca: manifest.pca,
    articles: rows.map((row) => ({
      ...image(ids[row]!),
      neighbours: (neighbours.get(row) ?? []).map((n) => ({ ...image(ids[n.id]!), score: n.score })),
    })),
  };
  const key = `${galleryPrefix(rebuildId)}index.html`;
  await store.put(key, Buffer.from(renderGallery(data)), { contentType: 'text/html; charset=utf-8' });
  return key;
}
