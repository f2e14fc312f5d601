import { QUEUES } from '@lookalike/core';
import { runWorkerService } from '@lookalike/service-runtime';
import { createEvaluateHandler } from './evaluate';
import { createPrepareHandler } from './prepare';
import { createRecommendHandler } from './recommend';

/** Recommendation worker: processes by customer range, on any number of machines. */
runWorkerService({
  service: 'recommender',
  queue: QUEUES.recommend,
  handlers: (ctx) => ({
    prepare: createPrepareHandler({ store: ctx.store, openSource: ctx.openSource }),
    recommend: createRecommendHandler({ store: ctx.store }),
    evaluate: createEvaluateHandler({ store: ctx.store }),
  }),
}).catch((err) => {
  process.stderr.write(`recommender: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
