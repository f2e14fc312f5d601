import { pollUntil, type Manifest } from '@lookalike/core';
import type { RebuildStatusResponse } from '../src/api-types';

/** A manifest as the orchestrator writes it, with overrides. */
export function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    rebuildId: 'rb-20261125-223629-3fa2c1',
    spec: {
      images: 'file:///data/images',
      articles: 'file:///data/articles.csv',
      shardSize: 1000,
      pcaDims: 256,
      pcaSampleSize: 20000,
      k: 20,
      neighbourRowsPerJob: 10000,
      batchSize: 32,
      publish: true,
      holdoutDays: 7,
      lenient: false,
      customersPerJob: 250000,
      padding: 'edge',
      powerNorm: 0.5,
      pcaWhiten: 0.5,
    },
    status: 'running',
    step: 'embed',
    createdAt: '2026-11-25T22:36:29.000Z',
    updatedAt: '2026-11-25T22:37:00.000Z',
    stages: {
      plan: {
        state: 'done',
        startedAt: '2026-11-25T22:36:29.000Z',
        finishedAt: '2026-11-25T22:36:30.000Z',
        ms: 1200,
        jobs: 0,
      },
      embed: { state: 'running', startedAt: '2026-11-25T22:36:30.000Z', jobs: 12 },
      fit: { state: 'pending' },
      project: { state: 'pending' },
    },
    counts: {
      planned: 12000,
      shards: 12,
      embedded: 0,
      failed: 0,
      cached: 0,
      ignoredFiles: 3,
      missingImages: 7,
      neighbourParts: 0,
      indexed: 0,
    },
    failures: { byReason: {}, examples: [] },
    ...overrides,
  };
}

export function status(
  overrides: Partial<Manifest> = {},
  progress?: Partial<RebuildStatusResponse['progress']>,
): RebuildStatusResponse {
  const m = manifest(overrides);
  return {
    manifest: m,
    progress: { step: m.step, done: 0, failed: 0, total: 0, ...progress },
    job: { state: 'waiting-children', attemptsMade: 0 },
  };
}

export function completedStatus(): RebuildStatusResponse {
  return status({
    status: 'completed',
    step: 'done',
    finishedAt: '2026-11-25T22:41:31.000Z',
    stages: {
      plan: { state: 'done', ms: 1200, jobs: 0 },
      embed: { state: 'done', ms: 185_000, jobs: 12 },
      fit: { state: 'done', ms: 9_400, jobs: 1 },
      project: { state: 'done', ms: 3_100, jobs: 12 },
      recommend: { state: 'skipped' },
    },
    counts: {
      planned: 12000,
      shards: 12,
      embedded: 11990,
      failed: 10,
      cached: 500,
      ignoredFiles: 3,
      missingImages: 7,
      neighbourParts: 2,
      indexed: 11990,
    },
    failures: {
      byReason: { corrupt: 7, 'too-large': 3 },
      examples: [
        {
          articleId: '0108775015',
          key: 'images/010/0108775015.jpg',
          reason: 'corrupt',
          message: 'unsupported image format',
        },
        {
          articleId: '0108775044',
          key: 'images/010/0108775044.jpg',
          reason: 'corrupt',
          message: 'premature end of JPEG',
        },
        {
          articleId: '0108775051',
          key: 'images/010/0108775051.jpg',
          reason: 'corrupt',
          message: 'third example',
        },
        {
          articleId: '0110065001',
          key: 'images/011/0110065001.jpg',
          reason: 'too-large',
          message: '12000x9000 exceeds the limit',
        },
      ],
    },
    model: { id: 'mobilenet_v2_140_224', dim: 1792 },
    pca: {
      inputDim: 1792,
      dims: 256,
      sampled: 12000,
      explainedVarianceRatio: 0.8734,
      leadingRatios: [0.12, 0.08, 0.05],
    },
  });
}

/** A writable that collects what is written. */
export class Sink {
  text = '';
  isTTY?: boolean;
  columns?: number;
  constructor(options: { isTTY?: boolean; columns?: number } = {}) {
    this.isTTY = options.isTTY;
    this.columns = options.columns;
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** A recommend stage summary as the orchestrator writes it: a hybrid and a same-product method. */
export function recommendSummary(): NonNullable<Manifest['recommend']> {
  return {
    customers: 10,
    holdoutCustomers: 6,
    newArticles: 3,
    newArticlesSoldInHoldout: 1,
    parts: 1,
    skippedRows: {},
    submissionMethod: 'hybrid',
    methods: [
      {
        name: 'hybrid',
        map12: 0.1036,
        recall12: 0.2346,
        newMap12: 0.00094,
        newRecall12: 0.0112,
        newCustomerMap12: 0.0682,
        newCustomerRecall12: 0.2,
        coverage: 0.3,
      },
      { name: 'same-product', map12: 0.0242, recall12: 0.0728, coverage: 0.5 },
    ],
  };
}

/** Resolves once `predicate()` holds (checked every 20 ms); rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  await pollUntil(predicate, { timeoutMs, intervalMs: 20, timeoutMessage: 'condition not met in time' });
}
