import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { z } from 'zod';
import { newRebuildId, QUEUES, rebuildSpecSchema, silentLogger, type Manifest } from '@lookalike/core';
import { testServerEnv } from '@lookalike/local-servers';
import { createRedisConnection, createWorker, defineHandler } from '@lookalike/queue';
import { FsObjectStore, reducedShardKey } from '@lookalike/storage';
import { addStageChildren, childJob, stageResults } from '../stage-children';
import { fit, usesPca } from './fit';
import { project } from './project';
import { quality } from './quality';
import { prepareRecommend, recommends } from './prepare-recommend';
import { recommend } from './recommend';
import type { StepContext } from './step';

const images = 'file:///data/images';
const spec = (extra: Record<string, unknown> = {}) => rebuildSpecSchema.parse({ images, ...extra });

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
    expect([prepareRecommend.when(both), recommend.when(both)]).toEqual([true, true]);
    expect([prepareRecommend.when(spec()), recommend.when(spec()), recommends(spec())]).toEqual([
      false,
      false,
      false,
    ]);
    // Transactions without customers never reaches a step: the spec schema refuses it.
    expect(rebuildSpecSchema.safeParse({ images, transactions: 'file:///data/t.csv' }).success).toBe(false);
  });

  it('project adds a job for each shard not yet reduced, reducing only when PCA is used', async () => {
    const rebuildId = newRebuildId();
    await store.put(reducedShardKey(rebuildId, 1), Buffer.from('done'));
    const projectSpec = spec({ pcaDims: 0 });
    const ctx: StepContext = {
      rebuildId,
      spec: projectSpec,
      data: { rebuildId, spec: projectSpec, step: 'project', started: false },
      manifest: { counts: { shards: 3 } } as Manifest,
      store,
      openSource: () => store,
      log: silentLogger,
      results: () => Promise.reject(new Error('project reads no results at start')),
      failed: () => Promise.reject(new Error('not failed')),
    };
    const children = await project.start(ctx);
    expect(children.map((c) => [c.name, c.n, (c.data as { reduce: boolean }).reduce])).toEqual([
      ['project', 0, false],
      ['project', 2, false],
    ]);
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
      const deadline = Date.now() + 10_000;
      while ((await reduceQueue.getCompletedCount()) < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
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
