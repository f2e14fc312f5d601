import { Readable } from 'node:stream';
import type { Manifest } from '@lookalike/core';
import { combineEvaluations, METHODS, parseEvaluationPartial, SUBMISSION_HEADER, type EvaluationResult } from '@lookalike/recsys';
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

type MethodFigures = NonNullable<NonNullable<Manifest['recommend']>['methods']>[number];

/** `submission.csv`: the header, then every part in customer order (streamed). */
export async function writeSubmission(store: ObjectStore, rebuildId: string, parts: number): Promise<void> {
  async function* chunks() {
    yield Buffer.from(`${SUBMISSION_HEADER}\n`);
    for (let part = 0; part < parts; part++) {
      for await (const chunk of await store.getStream(recommendationsPartKey(rebuildId, part))) yield chunk as Buffer;
    }
  }
  await store.put(submissionKey(rebuildId), Readable.from(chunks()), { contentType: 'text/csv' });
}

/** Sums every part's evaluation partials into the figures of one pass over all customers. */
export async function combinePartEvaluations(store: ObjectStore, rebuildId: string, parts: number): Promise<EvaluationResult[]> {
  const byMethod = new Map<string, ReturnType<typeof parseEvaluationPartial>[]>();
  for (let part = 0; part < parts; part++) {
    const partials = await getJson<Record<string, unknown>>(store, recommendationsEvalKey(rebuildId, part));
    for (const [method, value] of Object.entries(partials)) {
      byMethod.set(method, [...(byMethod.get(method) ?? []), parseEvaluationPartial(value)]);
    }
  }
  return METHODS.filter((m) => byMethod.has(m)).map((m) => combineEvaluations(byMethod.get(m)!));
}

export function methodFigures(results: EvaluationResult[]): MethodFigures[] {
  return results.map((r) => ({
    name: r.method,
    map12: r.map12,
    recall12: r.recall12,
    coverage: r.coverage,
    ...(r.newArticles.evaluated > 0 ? { newMap12: r.newArticles.map12, newRecall12: r.newArticles.recall12 } : {}),
  }));
}

/** `evaluation.md`: the methods side by side, for people. */
export function evaluationReport(manifest: Manifest, results: EvaluationResult[]): string {
  const r = manifest.recommend!;
  const rows = results
    .map(
      (e) =>
        `| ${e.method} | ${e.map12.toFixed(5)} | ${e.recall12.toFixed(4)} | ${e.newArticles.evaluated > 0 ? e.newArticles.map12.toFixed(5) : '–'} | ${
          e.newArticles.evaluated > 0 ? e.newArticles.recall12.toFixed(4) : '–'
        } | ${(e.coverage * 100).toFixed(1)}% |`,
    )
    .join('\n');
  return `# Evaluation of rebuild ${manifest.rebuildId}

Holdout: the last ${manifest.spec.holdoutDays} days of the transactions. ${r.holdoutCustomers} of ${r.customers} customers bought in the
holdout; ${r.newArticlesSoldInHoldout} of the ${r.newArticles} articles without earlier sales (new arrivals) sold there.
MAP@12 as in the H&M competition; "new articles" restricts the actual purchases to new arrivals (cold start).

| method | MAP@12 | recall@12 | MAP@12 new articles | recall@12 new articles | catalogue coverage |
|---|---|---|---|---|---|
${rows}
`;
}

export async function writeEvaluation(store: ObjectStore, manifest: Manifest, results: EvaluationResult[]): Promise<void> {
  await putJson(store, evaluationKey(manifest.rebuildId), { rebuildId: manifest.rebuildId, holdoutDays: manifest.spec.holdoutDays, methods: results });
  await store.put(evaluationReportKey(manifest.rebuildId), Buffer.from(evaluationReport(manifest, results)), {
    contentType: 'text/markdown',
  });
}
