import { QUEUES } from '@lookalike/core';
import { runWorkerService } from '@lookalike/service-runtime';
import { createFitPcaHandler } from './fit-pca';
import { createProjectShardHandler } from './project-shard';

/** PCA worker: a few processes. */
runWorkerService({
  service: 'reducer',
  queue: QUEUES.reduce,
  handlers: (ctx) => ({
    fit: createFitPcaHandler({ store: ctx.store }),
    project: createProjectShardHandler({ store: ctx.store }),
  }),
}).catch((err) => {
  process.stderr.write(`reducer: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
