import { childJob } from '../stage-children';
import { always, type Step } from './step';

/** One `merge` job: the neighbour parts into `neighbours.csv` and `neighbours.json`; records the articles indexed. */
export const merge: Step = {
  name: 'merge',
  when: always,
  async start({ rebuildId, manifest }) {
    return [childJob('merge', { rebuildId, parts: manifest.counts.neighbourParts })];
  },
  async finish(ctx) {
    ctx.manifest.counts.indexed = (await ctx.result('merge')).rows;
  },
};
