import { allNeighboursAsync, encodeNeighbourTable } from '@lookalike/ann';
import { neighboursJobSchema, type NeighboursResult } from '@lookalike/core';
import { defineHandler } from '@lookalike/queue';
import { neighboursPartKey, type ObjectStore } from '@lookalike/storage';
import type { IndexCache } from './index-cache';

/**
 * `neighbours` job: the exact top-k neighbours of index rows [start, end) against the whole index
 * (self removed, ties broken by id), written as `neighbours/<part>.bin`. FAISS runs on the libuv
 * thread pool in blocks of rows, so the event loop (and BullMQ's lock renewal) stays free.
 */
export function createNeighboursHandler(deps: { store: ObjectStore; indexes: IndexCache }) {
  return defineHandler({
    schema: neighboursJobSchema,
    async handle(data): Promise<NeighboursResult> {
      const started = Date.now();
      const index = await deps.indexes.get(data.rebuildId);
      if (data.end > index.ntotal)
        throw new Error(`rows [${data.start}, ${data.end}) exceed the index's ${index.ntotal} rows`);
      const table = await allNeighboursAsync(index, data.start, data.end, data.k);
      await deps.store.put(neighboursPartKey(data.rebuildId, data.part), encodeNeighbourTable(table));
      return { rows: table.rows, ms: Date.now() - started };
    },
  });
}
