import { Readable } from 'node:stream';
import type { EvaluateJobData, MethodFigures } from '@lookalike/core';
import {
  combineEvaluations,
  METHODS,
  parsePartEvaluation,
  PUBLISHED_HM_RESULTS,
  renderEvaluationReport,
  SUBMISSION_HEADER,
  type EvaluationPartial,
  type EvaluationResult,
  type PartEvaluation,
} from '@lookalike/recsys';
import {
  evaluationKey,
  evaluationReportKey,
  getJson,
  putJson,
  recommendationsEvalKey,
  recommendationsPartKey,
  submissionKey,
  type ObjectStore,
} from '@lookalike/storage';

/** `submission.csv`: the header, then every part in customer order (streamed). */
async function writeSubmission(store: ObjectStore, rebuildId: string, parts: number): Promise<void> {
  async function* chunks() {
    yield Buffer.from(`${SUBMISSION_HEADER}\n`);
    for (let part = 0; part < parts; part++) {
      for await (const chunk of await store.getStream(recommendationsPartKey(rebuildId, part)))
        yield chunk as Buffer;
    }
  }
  await store.put(submissionKey(rebuildId), Readable.from(chunks()), { contentType: 'text/csv' });
}

async function readPart(store: ObjectStore, rebuildId: string, part: number): Promise<PartEvaluation> {
  return getJson(store, recommendationsEvalKey(rebuildId, part), parsePartEvaluation);
}

/** The run's method and options (every part records the same) and its figures, in `METHODS` order. */
interface CombinedEvaluation {
  run: Pick<PartEvaluation, 'submissionMethod' | 'options'>;
  results: EvaluationResult[];
}

/** Reads every part's evaluation once and sums the partials into the figures of one pass over all customers. */
async function combinePartEvaluations(
  store: ObjectStore,
  rebuildId: string,
  parts: number,
): Promise<CombinedEvaluation> {
  const byMethod = new Map<string, EvaluationPartial[]>();
  let run: CombinedEvaluation['run'] | undefined;
  for (let part = 0; part < parts; part++) {
    const evaluation = await readPart(store, rebuildId, part);
    run ??= { submissionMethod: evaluation.submissionMethod, options: evaluation.options };
    for (const [method, partial] of Object.entries(evaluation.methods)) {
      byMethod.set(method, [...(byMethod.get(method) ?? []), partial]);
    }
  }
  if (!run) throw new RangeError(`rebuild ${rebuildId}: no recommend parts to evaluate`);
  const results = METHODS.filter((m) => byMethod.has(m)).map((m) => combineEvaluations(byMethod.get(m)!));
  return { run, results };
}

function methodFigures(results: EvaluationResult[]): MethodFigures[] {
  return results.map((r) => ({
    name: r.method,
    map12: r.map12,
    recall12: r.recall12,
    coverage: r.coverage,
    ...(r.newArticles.evaluated > 0
      ? { newMap12: r.newArticles.map12, newRecall12: r.newArticles.recall12 }
      : {}),
    ...(r.newCustomers.evaluated > 0
      ? { newCustomerMap12: r.newCustomers.map12, newCustomerRecall12: r.newCustomers.recall12 }
      : {}),
  }));
}

/** `evaluation.md`: the methods side by side, beside the published figures on the real data, for people. */
function evaluationReport(
  data: EvaluateJobData,
  results: EvaluationResult[],
  run: Pick<PartEvaluation, 'submissionMethod' | 'options'>,
): string {
  return renderEvaluationReport({
    rebuildId: data.rebuildId,
    holdoutDays: data.holdoutDays,
    customers: data.customers,
    holdoutCustomers: data.holdoutCustomers,
    newArticles: data.newArticles,
    newArticlesSoldInHoldout: data.newArticlesSoldInHoldout,
    submissionMethod: run.submissionMethod,
    options: run.options,
    results,
  });
}

/** `evaluation.json` and `evaluation.md`; the submission's method and the options come from the recommend jobs. */
async function writeEvaluation(
  store: ObjectStore,
  data: EvaluateJobData,
  combined: CombinedEvaluation,
): Promise<void> {
  const { run, results } = combined;
  await putJson(store, evaluationKey(data.rebuildId), {
    rebuildId: data.rebuildId,
    holdoutDays: data.holdoutDays,
    submissionMethod: run.submissionMethod,
    options: run.options,
    methods: results,
    publishedRealData: PUBLISHED_HM_RESULTS,
  });
  await store.put(evaluationReportKey(data.rebuildId), Buffer.from(evaluationReport(data, results, run)), {
    contentType: 'text/markdown',
  });
}

/**
 * The recommend stage's outputs for people and Kaggle, from its parts: `submission.csv`, then `evaluation.json`
 * and `evaluation.md` (each part's evaluation read once); returns every method's figures for the manifest.
 */
export async function writeRecommendOutputs(
  store: ObjectStore,
  data: EvaluateJobData,
): Promise<MethodFigures[]> {
  await writeSubmission(store, data.rebuildId, data.parts);
  const combined = await combinePartEvaluations(store, data.rebuildId, data.parts);
  await writeEvaluation(store, data, combined);
  return methodFigures(combined.results);
}
