import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Job, Worker } from 'bullmq';
import { z } from 'zod';
import {
  ALL_QUEUES,
  jobsOfQueue,
  newRebuildId,
  planShardSchema,
  pollUntil,
  QUEUES,
  rebuildSpecSchema,
  silentLogger,
  type Manifest,
  type QueueName,
  type RebuildSpec,
} from '@lookalike/core';
import { testServerEnv } from '@lookalike/local-servers';
import {
  CancellationRegistry,
  createQueue,
  createRedisConnection,
  createWorker,
  defineHandler,
  UnrecoverableError,
  type JobHandler,
} from '@lookalike/queue';
import {
  embeddingsShardKey,
  FsObjectStore,
  getJson,
  indexKey,
  neighboursPartKey,
  planShardKey,
  reducedShardKey,
} from '@lookalike/storage';
import { ManifestRepository } from './manifest-repository';
import { createRebuildOrchestrator } from './rebuild-orchestrator';

/** What every stub worker did, by rebuild: job ids in the order they ran. */
type Ran = Map<string, string[]>;

/**
 * Stand-ins for the workers: each writes the output its step checks and returns a result of its job's schema.
 * `hooks[name]` runs first (to fail a job or hold it).
 */
function stubHandlers(
  queue: QueueName,
  store: FsObjectStore,
  ran: Ran,
  hooks: Partial<Record<string, (rebuildId: string) => Promise<void>>>,
): Record<string, JobHandler> {
  const any = z.object({ rebuildId: z.string() }).loose();
  const work: Record<string, (data: Record<string, unknown> & { rebuildId: string }) => Promise<unknown>> = {
    embed: async (d) => {
      const plan = await getJson(store, planShardKey(d.rebuildId, d.shard as number), (v) =>
        planShardSchema.parse(v),
      );
      await store.put(embeddingsShardKey(d.rebuildId, d.shard as number), Buffer.from('vectors'));
      const n = plan.items.length;
      return { planned: n, embedded: n, failed: 0, cached: 0, modelId: 'stub', dim: 4, ms: 1 };
    },
    fit: async () => ({
      inputDim: 4,
      dims: 2,
      sampled: 5,
      explainedVarianceRatio: 1,
      leadingRatios: [1],
      ms: 1,
    }),
    project: async (d) => {
      await store.put(reducedShardKey(d.rebuildId, d.shard as number), Buffer.from('reduced'));
      return { rows: 1, dim: 4, ms: 1 };
    },
    'build-index': async (d) => {
      await store.put(indexKey(d.rebuildId), Buffer.from('index'));
      return { rows: 5, dim: 4, ms: 1 };
    },
    neighbours: async (d) => {
      await store.put(neighboursPartKey(d.rebuildId, d.part as number), Buffer.from('part'));
      return { rows: 2, ms: 1 };
    },
    merge: async () => ({ rows: 5, k: 2, ms: 1 }),
    quality: async () => {
      throw new Error('quality runs only with articles.csv');
    },
    gallery: async () => ({ key: 'gallery/index.html', thumbnails: 0, ms: 1 }),
  };
  return Object.fromEntries(
    jobsOfQueue(queue).map((name) => [
      name,
      defineHandler({
        schema: any,
        async handle(data, job: Job) {
          await hooks[name]?.(data.rebuildId);
          ran.set(data.rebuildId, [...(ran.get(data.rebuildId) ?? []), job.id!]);
          return work[name]!(data);
        },
      }),
    ]),
  );
}

describe('the rebuild runner, against a real Redis with stub workers', () => {
  const connection = createRedisConnection(testServerEnv().LOOKALIKE_TEST_REDIS_URL);
  const prefix = `ro${Math.random().toString(36).slice(2, 10)}`;
  const ran: Ran = new Map();
  const hooks: Partial<Record<string, (rebuildId: string) => Promise<void>>> = {};
  const workers: Worker[] = [];
  const queues = Object.fromEntries(
    ALL_QUEUES.map((name) => [name, createQueue(name, { connection, prefix })]),
  ) as Record<QueueName, ReturnType<typeof createQueue>>;
  const cancellation = new CancellationRegistry(connection, prefix);
  let dir: string;
  let store: FsObjectStore;
  let manifests: ManifestRepository;
  let spec: RebuildSpec;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookalike-runner-'));
    store = new FsObjectStore({ root: join(dir, 'store') });
    const images = new FsObjectStore({ root: join(dir, 'images') });
    for (const id of ['0108775015', '0108775044', '0108775051', '0110065001', '0110065002'])
      await images.put(`${id.slice(0, 3)}/${id}.jpg`, Buffer.from('jpeg'));
    spec = rebuildSpecSchema.parse({
      images: pathToFileURL(join(dir, 'images')).href,
      shardSize: 2,
      pcaDims: 0,
      k: 2,
      neighbourRowsPerJob: 2,
    });
    manifests = new ManifestRepository(store);
    const rebuild = createRebuildOrchestrator({
      store,
      openSource: (url) => new FsObjectStore({ root: new URL(url).pathname }),
      manifests,
      cancellation,
      queues,
    });
    // As in the producer: the runner itself checks for cancellation (the worker would complete it unseen).
    workers.push(
      createWorker(QUEUES.rebuild, {
        connection,
        prefix,
        logger: silentLogger,
        handlers: { rebuild },
      }),
    );
    for (const queue of [QUEUES.embed, QUEUES.reduce, QUEUES.index]) {
      const handlers = stubHandlers(queue, store, ran, hooks);
      workers.push(createWorker(queue, { connection, prefix, logger: silentLogger, handlers, cancellation }));
    }
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all(Object.values(queues).map((q) => q.close()));
    await connection.quit();
    await rm(dir, { recursive: true, force: true });
  });

  async function submit(): Promise<string> {
    const rebuildId = newRebuildId();
    await manifests.save(ManifestRepository.initial(rebuildId, spec));
    await queues.rebuild.add('rebuild', { rebuildId, spec }, { jobId: rebuildId });
    return rebuildId;
  }
  const ended = (rebuildId: string): Promise<Manifest> =>
    pollUntil(
      async () => {
        const manifest = await manifests.require(rebuildId);
        return manifest.status !== 'running' && manifest;
      },
      { timeoutMs: 20_000, intervalMs: 50, timeoutMessage: `rebuild ${rebuildId} did not end` },
    );

  it('runs every step in order, skips what the spec leaves out and records what the jobs returned', async () => {
    const rebuildId = await submit();
    const manifest = await ended(rebuildId);
    expect(manifest.status).toBe('completed');
    expect(manifest.step).toBe('done');
    expect(
      Object.fromEntries(Object.entries(manifest.stages).map(([s, st]) => [s, [st.state, st.jobs]])),
    ).toEqual({
      plan: ['done', 0],
      embed: ['done', 3],
      fit: ['skipped', 0],
      project: ['done', 3],
      'build-index': ['done', 1],
      neighbours: ['done', 3],
      merge: ['done', 1],
      quality: ['skipped', 0],
      'prepare-recommend': ['skipped', 0],
      recommend: ['skipped', 0],
      evaluate: ['skipped', 0],
      publish: ['done', 1],
    });
    expect(manifest.counts).toMatchObject({
      planned: 5,
      shards: 3,
      embedded: 5,
      neighbourParts: 3,
      indexed: 5,
    });
    expect(manifest.model).toEqual({ id: 'stub', dim: 4 });
    const jobs = ran.get(rebuildId)!.map((id) => id.slice(rebuildId.length + 1));
    // Children of one step run in any order; the steps follow each other.
    const stageOf = (id: string) => id.split('.')[0];
    expect([...new Set(jobs.map(stageOf))]).toEqual([
      'embed',
      'project',
      'build-index',
      'neighbours',
      'merge',
      'publish',
    ]);
    expect(jobs.filter((id) => stageOf(id) === 'embed').sort()).toEqual([
      'embed.00000',
      'embed.00001',
      'embed.00002',
    ]);
    expect(Date.parse(manifest.finishedAt!)).toBeGreaterThanOrEqual(
      Date.parse(manifest.stages.publish!.startedAt!),
    );
  });

  it('fails the rebuild at the stage whose job failed for good, with its reason, and adds no later jobs', async () => {
    const rebuildId = await submit();
    hooks['build-index'] = async (id) => {
      if (id === rebuildId) throw new UnrecoverableError('the index cannot be built');
    };
    try {
      const manifest = await ended(rebuildId);
      expect(manifest.status).toBe('failed');
      expect(manifest.errorKind).toBe('permanent');
      expect(manifest.error).toMatch(/^build-index stage: .*the index cannot be built/);
      expect(manifest.stages['build-index']!.state).toBe('failed');
      expect(manifest.stages.neighbours!.state).toBe('pending');
      expect(ran.get(rebuildId)!.some((id) => id.includes('.neighbours.'))).toBe(false);
      expect(await cancellation.isCancelled(rebuildId)).toBe(true);
    } finally {
      delete hooks['build-index'];
    }
  });

  it('stops at the next step boundary when cancelled, recording the stage it was in', async () => {
    const rebuildId = await submit();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let embedding!: () => void;
    const started = new Promise<void>((resolve) => (embedding = resolve));
    hooks.embed = async (id) => {
      if (id !== rebuildId) return;
      embedding();
      await held;
    };
    try {
      await started;
      await cancellation.cancel(rebuildId);
      release();
      const manifest = await ended(rebuildId);
      expect(manifest.status).toBe('cancelled');
      expect(manifest.stages.embed!.state).toBe('cancelled');
      expect(manifest.stages.project!.state).toBe('pending');
      expect(ran.get(rebuildId)!.some((id) => id.includes('.project.'))).toBe(false);
    } finally {
      delete hooks.embed;
    }
  });
});
