import { mergeJobSchema, type MergeResult } from '@lookalike/core';
import { defineHandler } from '@lookalike/queue';
import { mergeNeighbours } from '@lookalike/rebuild-artifacts';
import type { ObjectStore } from '@lookalike/storage';

/** `merge` job: the neighbour parts into `neighbours.csv` and `neighbours.json` (read once, streamed out). */
export function createMergeHandler(deps: { store: ObjectStore }) {
  return defineHandler({
    schema: mergeJobSchema,
    async handle(data): Promise<MergeResult> {
      const started = Date.now();
      const { rows, k } = await mergeNeighbours(deps.store, data.rebuildId, data.parts);
      return { rows, k, ms: Date.now() - started };
    },
  });
}
