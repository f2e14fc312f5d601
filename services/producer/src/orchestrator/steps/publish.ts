import { currentPointerKey, putJson } from '@lookalike/storage';
import { childJob } from '../stage-children';
import { always, type Step } from './step';

/**
 * One `gallery` job (the rebuild shown as completed), then the rebuild is completed; once that manifest is
 * saved, `current` moves to it when the spec publishes.
 */
export const publish: Step = {
  name: 'publish',
  when: always,
  async start({ rebuildId }) {
    return [childJob('gallery', { rebuildId, finishedAt: new Date().toISOString() })];
  },
  async finish(ctx) {
    await ctx.result('gallery');
    ctx.manifest.status = 'completed';
  },
  async afterSave({ rebuildId, spec, manifest, store }) {
    // The manifest first, then the pointer: a reader that follows `current` finds a complete rebuild.
    if (spec.publish) {
      await putJson(store, currentPointerKey(), { rebuildId, publishedAt: manifest.finishedAt });
    }
  },
};
