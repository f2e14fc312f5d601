import { reducedPrefix, reducedShardKey, OUTPUT_SUFFIX } from '@lookalike/storage';
import { childJob } from '../stage-children';
import { usesPca } from './fit';
import { always, outputKeys, type Step } from './step';

/** One `project` job per embedding shard not yet reduced: PCA (when fitted) and L2 normalisation. */
export const project: Step = {
  name: 'project',
  when: always,
  async start({ rebuildId, spec, manifest, store }) {
    const done = await outputKeys(store, reducedPrefix(rebuildId), OUTPUT_SUFFIX.reducedShard);
    return Array.from({ length: manifest.counts.shards }, (_, shard) =>
      childJob(
        'project',
        {
          rebuildId,
          shard,
          reduce: usesPca(spec),
          powerNorm: spec.powerNorm,
          whiten: spec.pcaWhiten,
        },
        shard,
      ),
    ).filter((child) => !done.has(reducedShardKey(rebuildId, child.n!)));
  },
  async finish(ctx) {
    const outputs = await outputKeys(ctx.store, reducedPrefix(ctx.rebuildId), OUTPUT_SUFFIX.reducedShard);
    if (outputs.size !== ctx.manifest.counts.shards) await ctx.failed();
  },
};
