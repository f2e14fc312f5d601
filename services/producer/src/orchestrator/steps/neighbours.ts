import { neighboursPartKey, neighboursPrefix, OUTPUT_SUFFIX } from '@lookalike/storage';
import { childJob } from '../stage-children';
import { always, outputKeys, type Step } from './step';

/** One `neighbours` job per `neighbourRowsPerJob` rows not yet done: the k nearest of each row. */
export const neighbours: Step = {
  name: 'neighbours',
  when: always,
  async start({ rebuildId, spec, manifest, store }) {
    const rows = manifest.counts.embedded;
    const perJob = spec.neighbourRowsPerJob;
    const parts = Math.ceil(rows / perJob);
    manifest.counts.neighbourParts = parts;
    const done = await outputKeys(store, neighboursPrefix(rebuildId), OUTPUT_SUFFIX.neighboursPart);
    return Array.from({ length: parts }, (_, part) =>
      childJob(
        'neighbours',
        { rebuildId, part, start: part * perJob, end: Math.min(rows, (part + 1) * perJob), k: spec.k },
        part,
      ),
    ).filter((child) => !done.has(neighboursPartKey(rebuildId, child.n!)));
  },
  async finish(ctx) {
    const outputs = await outputKeys(
      ctx.store,
      neighboursPrefix(ctx.rebuildId),
      OUTPUT_SUFFIX.neighboursPart,
    );
    if (outputs.size !== ctx.manifest.counts.neighbourParts) await ctx.failed();
  },
};
