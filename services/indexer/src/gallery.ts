import { galleryJobSchema, manifestSchema, type GalleryResult } from '@lookalike/core';
import { writeGallery } from '@lookalike/gallery';
import { defineHandler } from '@lookalike/queue';
import { getJson, manifestKey, type ObjectStore } from '@lookalike/storage';

/**
 * `gallery` job: the rebuild's static gallery, from its saved manifest shown as completed at the job's
 * `finishedAt` (the orchestrator marks it so once this job is done), its neighbour parts and the recommend
 * stage's rows; thumbnails are read from the plan's image source.
 */
export function createGalleryHandler(deps: { store: ObjectStore; openSource: (url: string) => ObjectStore }) {
  return defineHandler({
    schema: galleryJobSchema,
    async handle(data, _job, _token, log): Promise<GalleryResult> {
      const started = Date.now();
      const saved = await getJson(deps.store, manifestKey(data.rebuildId), (v) => manifestSchema.parse(v));
      const manifest = { ...saved, status: 'completed' as const, finishedAt: data.finishedAt };
      const { key, thumbnails } = await writeGallery(deps.store, deps.openSource, manifest, log);
      return { key, thumbnails, ms: Date.now() - started };
    },
  });
}
