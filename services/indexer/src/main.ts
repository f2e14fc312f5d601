import { selectBlasCore } from '@lookalike/ann';
import { QUEUES } from '@lookalike/core';
import { runWorkerService } from '@lookalike/service-runtime';
import { createBuildIndexHandler } from './build-index';
import { createGalleryHandler } from './gallery';
import { IndexCache } from './index-cache';
import { createMergeHandler } from './merge';
import { createNeighboursHandler } from './neighbours';
import { createQualityHandler } from './quality';

/** FAISS indexing worker: one process per core, on any number of machines. */
let indexes: IndexCache | undefined;

runWorkerService({
  service: 'indexer',
  queue: QUEUES.index,
  handlers: async (ctx) => {
    // Before any job loads FAISS: OpenBLAS reads OPENBLAS_CORETYPE only when it is loaded.
    await selectBlasCore({ setting: ctx.config.blasCoreType, logger: ctx.logger });
    indexes = new IndexCache(ctx.store);
    return {
      'build-index': createBuildIndexHandler({ store: ctx.store }),
      neighbours: createNeighboursHandler({ store: ctx.store, indexes }),
      merge: createMergeHandler({ store: ctx.store }),
      quality: createQualityHandler({ store: ctx.store, openSource: ctx.openSource }),
      gallery: createGalleryHandler({ store: ctx.store, openSource: ctx.openSource }),
    };
  },
  dispose: async () => indexes?.dispose(),
}).catch((err) => {
  process.stderr.write(`indexer: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
