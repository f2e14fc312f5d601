import { indexKey } from '@lookalike/storage';
import { RebuildFailedError } from '../rebuild-failed-error';
import { childJob } from '../stage-children';
import { always, type Step } from './step';

/** One `build-index` job: the reduced shards into one FAISS index, with every embedded row. */
export const buildIndex: Step = {
  name: 'build-index',
  when: always,
  async start({ rebuildId, manifest }) {
    return [childJob('build-index', { rebuildId, shards: manifest.counts.shards })];
  },
  async finish(ctx) {
    const result = await ctx.result('build-index');
    if (!(await ctx.store.exists(indexKey(ctx.rebuildId)))) return ctx.failed();
    if (result.rows !== ctx.manifest.counts.embedded) {
      throw new RebuildFailedError(
        `index has ${result.rows} rows, ${ctx.manifest.counts.embedded} were embedded`,
      );
    }
  },
};
