import { evaluateJobSchema, type EvaluateResult } from '@lookalike/core';
import { defineHandler } from '@lookalike/queue';
import { writeRecommendOutputs } from '@lookalike/rebuild-artifacts';
import type { ObjectStore } from '@lookalike/storage';

/** `evaluate` job: every recommend part into `submission.csv`, `evaluation.json` and `evaluation.md`. */
export function createEvaluateHandler(deps: { store: ObjectStore }) {
  return defineHandler({
    schema: evaluateJobSchema,
    async handle(data): Promise<EvaluateResult> {
      const started = Date.now();
      const methods = await writeRecommendOutputs(deps.store, data);
      return { methods, ms: Date.now() - started };
    },
  });
}
