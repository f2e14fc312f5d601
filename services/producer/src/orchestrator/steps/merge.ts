import { mergeNeighbours } from '../merge-neighbours';
import { always, type Step } from './step';

/** The neighbour parts into `neighbours.csv` and `neighbours.json` (inline, no child jobs). */
export const merge: Step = {
  name: 'merge',
  when: always,
  async start({ rebuildId, manifest, store }) {
    const summary = await mergeNeighbours(store, rebuildId, manifest.counts.neighbourParts);
    manifest.counts.indexed = summary.rows;
    return [];
  },
};
