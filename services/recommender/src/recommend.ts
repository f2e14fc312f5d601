import { Readable } from 'node:stream';
import { recommendJobSchema, type RebuildMemo, type RecommendResult } from '@lookalike/core';
import { defineHandler } from '@lookalike/queue';
import {
  DEFAULT_METHOD,
  recommendRangeAsync,
  submissionChunks,
  type PartEvaluation,
  type PreparedModel,
} from '@lookalike/recsys';
import {
  putJson,
  recommendationsEvalKey,
  recommendationsPartKey,
  type ObjectStore,
} from '@lookalike/storage';

/**
 * `recommend` job: recommends 12 articles to customers [start, end) with every method (the model's recorded
 * options), writes the default method's rows as `recommendations/<part>.csv` (submission format, no header)
 * and every method's evaluation partial with the method and options (`PartEvaluation`); partials of all parts
 * sum to exactly the single-process figures.
 */
export function createRecommendHandler(deps: { store: ObjectStore; models: RebuildMemo<PreparedModel> }) {
  const { models } = deps;
  return defineHandler({
    schema: recommendJobSchema,
    async handle(data, job): Promise<RecommendResult> {
      const started = Date.now();
      const model = await models.get(data.rebuildId);
      const end = Math.min(data.end, model.customers.size);
      const result = await recommendRangeAsync(model, data.start, end, {
        onProgress: (done, total) => void job.updateProgress({ done, total }).catch(() => undefined),
      });
      await deps.store.put(
        recommendationsPartKey(data.rebuildId, data.part),
        Readable.from(submissionChunks(model, data.start, result.predictions[DEFAULT_METHOD]!)),
        { contentType: 'text/csv' },
      );
      const evaluation: PartEvaluation = {
        submissionMethod: DEFAULT_METHOD,
        options: { ...model.recommendOptions },
        methods: result.evaluation as PartEvaluation['methods'],
      };
      await putJson(deps.store, recommendationsEvalKey(data.rebuildId, data.part), evaluation);
      return { customers: end - data.start, ms: Date.now() - started };
    },
  });
}
