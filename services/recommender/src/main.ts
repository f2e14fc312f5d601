import { QUEUES } from '@lookalike/core';
import { runWorkerService } from '@lookalike/service-runtime';
import { createEvaluateHandler } from './evaluate';
import { createModelMemo } from './model-memo';
import { createPrepareHandler } from './prepare';
import { createRecommendHandler } from './recommend';

/** Recommendation worker: processes by customer range, on any number of machines. */
runWorkerService({
  service: 'recommender',
  queue: QUEUES.recommend,
  handlers: (ctx) => {
    const models = createModelMemo(ctx.store);
    return {
      prepare: createPrepareHandler({ store: ctx.store, openSource: ctx.openSource }),
      recommend: createRecommendHandler({ store: ctx.store, models }),
      evaluate: createEvaluateHandler({ store: ctx.store, models }),
    };
  },
}).catch((err) => {
  process.stderr.write(`recommender: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
