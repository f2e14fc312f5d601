import { currentPointerKey, putJson } from '@lookalike/storage';
import { writeGallery } from '../gallery-writer';
import { always, type Step } from './step';

/** The gallery, then (once the completed manifest is saved) `current` when the spec publishes. */
export const publish: Step = {
  name: 'publish',
  when: always,
  async start({ manifest, store, openSource, log }) {
    // The gallery shows the rebuild as completed; `finishedAt` is set again once publishing is over.
    manifest.status = 'completed';
    manifest.finishedAt = new Date().toISOString();
    await writeGallery(store, openSource, manifest, log);
    return [];
  },
  async afterSave({ rebuildId, spec, manifest, store }) {
    // The manifest first, then the pointer: a reader that follows `current` finds a complete rebuild.
    if (spec.publish) {
      await putJson(store, currentPointerKey(), { rebuildId, publishedAt: manifest.finishedAt });
    }
  },
};
