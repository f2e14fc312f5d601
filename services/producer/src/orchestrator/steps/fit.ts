import type { RebuildSpec } from '@lookalike/core';
import { childJob } from '../stage-children';
import type { Step } from './step';

/** Whether the rebuild reduces its embeddings with PCA (`pcaDims` 0 = no PCA: fit is skipped, project only normalises). */
export const usesPca = (spec: RebuildSpec): boolean => spec.pcaDims > 0;

/** One `fit` job: PCA on a sample of every embedding shard; records the model's figures. */
export const fit: Step = {
  name: 'fit',
  when: usesPca,
  async start({ rebuildId, spec, manifest }) {
    return [
      childJob('fit', {
        rebuildId,
        shards: manifest.counts.shards,
        dims: spec.pcaDims,
        sampleSize: spec.pcaSampleSize,
        powerNorm: spec.powerNorm,
      }),
    ];
  },
  async finish(ctx) {
    const { ms: _ms, ...pca } = await ctx.result('fit');
    ctx.manifest.pca = pca;
  },
};
