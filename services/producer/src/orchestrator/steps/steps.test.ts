import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { z } from 'zod';
import {
  newRebuildId,
  pollUntil,
  QUEUES,
  rebuildSpecSchema,
  silentLogger,
  type JobName,
  type Manifest,
  type RebuildSpec,
} from '@lookalike/core';
import { testServerEnv } from '@lookalike/local-servers';
import { createRedisConnection, createWorker, defineHandler } from '@lookalike/queue';
import { currentPointerKey, FsObjectStore, getJson, reducedShardKey } from '@lookalike/storage';
import { ManifestRepository } from '../manifest-repository';
import { addStageChildren, childJob, stageResults } from '../stage-children';
import { evaluate } from './evaluate';
import { fit, usesPca } from './fit';
import { merge } from './merge';
import { project } from './project';
import { publish } from './publish';
import { quality } from './quality';
import { prepareRecommend, recommends } from './prepare-recommend';
import { recommend } from './recommend';
import type { StepContext } from './step';

const images = 'file:///data/images';
const spec = (extra: Record<string, unknown> = {}) => rebuildSpecSchema.parse({ images, ...extra });

/**
 * A step's context over `store` with stubbed child results (`results[name]`, the single child's result);
 * `failed` throws as the runner's does.
 */
function contextFor(
  store: FsObjectStore,
  rebuildSpec: RebuildSpec,
  manifest: Manifest,
  results: Partial<Record<JobName, unknown>> = {},
): StepContext {
  const rebuildId = manifest.rebuildId;
  const stubbed = <N extends JobName>(name: N) => new Map(name in results ? [[0, results[name]]] : []);
  const ctx: StepContext = {
    rebuildId,
    spec: rebuildSpec,
    data: { rebuildId, spec: rebuildSpec, step: 'plan', started: false },
    manifest,
    store,
    openSource: () => store,
    log: silentLogger,
    results: async (name) => stubbed(name) as never,
    result: async (name) => (stubbed(name).get(0) as never) ?? ctx.failed(),
    failed: () => Promise.reject(new Error('outputs are missing')),
  };
  return ctx;
}

/** What prepare-recommend records (its `parts` per test). */
const preparedFigures = {
  customers: 900,
  holdoutCustomers: 80,
  newArticles: 12,
  newArticlesSoldInHoldout: 3,
  skippedRows: {},
};

const fresh = (rebuildSpec: RebuildSpec) => ManifestRepository.initial(newRebuildId(), rebuildSpec);

describe('rebuild steps', () => {
  let dir: string;
  let store: FsObjectStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookalike-steps-'));
    store = new FsObjectStore({ root: dir });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('states each skip rule once: PCA, quality, recommendations', () => {
    expect(fit.when(spec({ pcaDims: 0 }))).toBe(false);
    expect([fit.when(spec({ pcaDims: 64 })), usesPca(spec({ pcaDims: 64 }))]).toEqual([true, true]);
    expect(quality.when(spec())).toBe(false);
    expect(quality.when(spec({ articles: 'file:///data/articles.csv' }))).toBe(true);
    const both = spec({ transactions: 'file:///data/t.csv', customers: 'file:///data/c.csv' });
    expect([prepareRecommend.when(both), recommend.when(both), evaluate.when(both)]).toEqual([
      true,
      true,
      true,
    ]);
    expect([
      prepareRecommend.when(spec()),
      recommend.when(spec()),
      evaluate.when(spec()),
      recommends(spec()),
    ]).toEqual([false, false, false, false]);
    expect([merge.when(spec()), publish.when(spec())]).toEqual([true, true]);
    // Transactions without customers never reaches a step: the spec schema refuses it.
    expect(rebuildSpecSchema.safeParse({ images, transactions: 'file:///data/t.csv' }).success).toBe(false);
  });

  it('project adds a job for each shard not yet reduced, reducing only when PCA is used', async () => {
    const rebuildId = newRebuildId();
    await store.put(reducedShardKey(rebuildId, 1), Buffer.from('done'));
    const projectSpec = spec({ pcaDims: 0 });
    const manifest = {
      ...ManifestRepository.initial(rebuildId, projectSpec),
      counts: { shards: 3 },
    } as Manifest;
    const ctx = contextFor(store, projectSpec, manifest);
    const children = await project.start(ctx);
    expect(children.map((c) => [c.name, c.n, (c.data as { reduce: boolean }).reduce])).toEqual([
      ['project', 0, false],
      ['project', 2, false],
    ]);
  });

  it('merge adds one merge job over every neighbour part and records the rows it merged', async () => {
    const manifest = fresh(spec());
    manifest.counts.neighbourParts = 7;
    const children = await merge.start(contextFor(store, spec(), manifest));
    expect(children).toEqual([{ name: 'merge', data: { rebuildId: manifest.rebuildId, parts: 7 } }]);
    await merge.finish!(contextFor(store, spec(), manifest, { merge: { rows: 1234, k: 20, ms: 5 } }));
    expect(manifest.counts.indexed).toBe(1234);
    await expect(merge.finish!(contextFor(store, spec(), fresh(spec())))).rejects.toThrow(
      'outputs are missing',
    );
  });

  it('evaluate hands prepare’s figures to one evaluate job and records every method', async () => {
    const both = spec({ transactions: 'file:///t.csv', customers: 'file:///c.csv', holdoutDays: 7 });
    const manifest = fresh(both);
    await expect(evaluate.start(contextFor(store, both, manifest))).rejects.toThrow(
      'prepare-recommend recorded nothing',
    );
    manifest.recommend = { ...preparedFigures, parts: 3 };
    const [child, ...more] = await evaluate.start(contextFor(store, both, manifest));
    expect(more).toEqual([]);
    expect(child).toEqual({
      name: 'evaluate',
      data: {
        rebuildId: manifest.rebuildId,
        parts: 3,
        customersPerJob: 250_000,
        holdoutDays: 7,
        customers: 900,
        holdoutCustomers: 80,
        newArticles: 12,
        newArticlesSoldInHoldout: 3,
      },
    });
    const methods = [{ name: 'hybrid', map12: 0.1, recall12: 0.2, coverage: 0.5 }];
    await evaluate.finish!(
      contextFor(store, both, manifest, { evaluate: { methods, sampledCustomers: 6, ms: 1 } }),
    );
    expect(manifest.recommend.methods).toEqual(methods);
  });

  it('publish completes the rebuild only once its gallery job returned, then moves current', async () => {
    const publishing = spec({ publish: true });
    const manifest = fresh(publishing);
    const [child] = await publish.start(contextFor(store, publishing, manifest));
    expect(child!.name).toBe('gallery');
    expect(Date.parse((child!.data as { finishedAt: string }).finishedAt)).not.toBeNaN();
    expect(manifest.status).toBe('running');
    await expect(publish.finish!(contextFor(store, publishing, manifest))).rejects.toThrow(
      'outputs are missing',
    );
    expect(manifest.status).toBe('running');
    const gallery = { key: 'k', thumbnails: 3, ms: 1 };
    await publish.finish!(contextFor(store, publishing, manifest, { gallery }));
    expect(manifest.status).toBe('completed');
    manifest.finishedAt = '2026-12-01T10:00:00.000Z';
    await publish.afterSave!(contextFor(store, publishing, manifest));
    expect(await getJson(store, currentPointerKey(), (v) => v)).toEqual({
      rebuildId: manifest.rebuildId,
      publishedAt: '2026-12-01T10:00:00.000Z',
    });
  });

  it('recommend fails its stage when a part’s evaluation is missing', async () => {
    const both = spec({ transactions: 'file:///t.csv', customers: 'file:///c.csv' });
    const manifest = fresh(both);
    manifest.recommend = { ...preparedFigures, parts: 2 };
    await expect(recommend.finish!(contextFor(store, both, manifest))).rejects.toThrow('outputs are missing');
  });
});

describe('stage children against a real Redis', () => {
  const connection = createRedisConnection(testServerEnv().LOOKALIKE_TEST_REDIS_URL);
  const prefix = `st${Math.random().toString(36).slice(2, 10)}`;
  afterAll(async () => {
    await connection.quit();
  });

  it('adds children on their job’s queue and parses their results with the job’s result schema', async () => {
    const rebuildQueue = new Queue(QUEUES.rebuild, { connection, prefix });
    const reduceQueue = new Queue(QUEUES.reduce, { connection, prefix });
    const rebuildId = newRebuildId();
    const parent = await rebuildQueue.add('rebuild', { rebuildId }, { jobId: rebuildId });
    const fitData = { rebuildId, shards: 2, dims: 4, sampleSize: 10 };
    await addStageChildren(parent, { reduce: reduceQueue }, rebuildId, 'fit', [childJob('fit', fitData)]);
    await addStageChildren(parent, { reduce: reduceQueue }, rebuildId, 'project', [
      childJob('project', { rebuildId, shard: 0, reduce: true }, 0),
    ]);
    await expect(
      addStageChildren(parent, { reduce: reduceQueue }, rebuildId, 'embed', [
        childJob('embed', { rebuildId, shard: 0 }, 0),
      ]),
    ).rejects.toThrow('no "embed" queue');
    const good = {
      inputDim: 8,
      dims: 4,
      sampled: 10,
      explainedVarianceRatio: 0.5,
      leadingRatios: [0.3],
      ms: 1,
    };
    const worker = createWorker(QUEUES.reduce, {
      connection,
      prefix,
      logger: silentLogger,
      handlers: {
        fit: defineHandler({ schema: z.object({}).loose(), handle: async () => good }),
        // A result that is not a project result: the orchestrator must not take it.
        project: defineHandler({ schema: z.object({}).loose(), handle: async () => ({ rows: -1 }) }),
      },
    });
    try {
      await pollUntil(async () => (await reduceQueue.getCompletedCount()) >= 2, {
        timeoutMs: 10_000,
        intervalMs: 50,
      });
      const reread = (await Job.fromId(rebuildQueue, rebuildId))!;
      expect((await reduceQueue.getJob(`${rebuildId}.fit`))?.name).toBe('fit');
      expect([...(await stageResults(reread, rebuildId, 'fit', 'fit'))]).toEqual([[0, good]]);
      await expect(stageResults(reread, rebuildId, 'project', 'project')).rejects.toThrow(
        new RegExp(
          `project stage: job ${rebuildId}\\.project\\.00000 returned an invalid project result: rows`,
        ),
      );
    } finally {
      await worker.close();
      await rebuildQueue.close();
      await reduceQueue.close();
    }
  });
});
