import { evaluateJobSchema, type EvaluateResult, type RebuildMemo } from '@lookalike/core';
import { defineHandler } from '@lookalike/queue';
import type { PreparedModel } from '@lookalike/recsys';
import { writeCustomerSample, writeRecommendOutputs } from '@lookalike/rebuild-artifacts';
import type { ObjectStore } from '@lookalike/storage';

/**
 * `evaluate` job: every recommend part into `submission.csv`, `evaluation.json` and `evaluation.md`, then the
 * gallery's customer sample (from the model, so that the gallery need not decode it).
 */
export function createEvaluateHandler(deps: { store: ObjectStore; models: RebuildMemo<PreparedModel> }) {
  return defineHandler({
    schema: evaluateJobSchema,
    async handle(data): Promise<EvaluateResult> {
      const started = Date.now();
      const methods = await writeRecommendOutputs(deps.store, data);
      const model = await deps.models.get(data.rebuildId);
      const sampledCustomers = await writeCustomerSample(
        deps.store,
        data.rebuildId,
        data.customersPerJob,
        model,
        data.sampleCustomers,
      );
      return { methods, sampledCustomers, ms: Date.now() - started };
    },
  });
}
