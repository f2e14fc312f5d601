import { listenTestApp } from '../test/test-app';
import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Queue, Worker } from 'bullmq';
import { z } from 'zod';
import { pollUntil, QUEUES, silentLogger, type Manifest } from '@lookalike/core';
import { freePort, testServerEnv } from '@lookalike/local-servers';
import {
  CancellationRegistry,
  createQueue,
  createRedisConnection,
  createWorker,
  defineHandler,
  RebuildClaims,
  RetryPolicy,
  UnrecoverableError,
  WaitingRegistry,
} from '@lookalike/queue';
import { FsObjectStore, StorageError, type ObjectStore } from '@lookalike/storage';
import { ManifestRepository } from './orchestrator/manifest-repository';
import { RebuildService } from './rebuild-service';

/** A working store that can be switched off, as if the storage were away. */
function switchableStore(inner: ObjectStore): ObjectStore & { away: boolean } {
  const fail = () =>
    Promise.reject(
      new StorageError('S3 get s3://b/k failed: connect ECONNREFUSED 127.0.0.1:9', { retryable: true }),
    );
  const store = {
    away: false,
    url: inner.url,
    put: (...a: Parameters<ObjectStore['put']>) => (store.away ? fail() : inner.put(...a)),
    get: (k: string) => (store.away ? fail() : inner.get(k)),
    getStream: (k: string) => (store.away ? fail() : inner.getStream(k)),
    getRange: (k: string, s: number, e: number) => (store.away ? fail() : inner.getRange(k, s, e)),
    head: (k: string) => (store.away ? fail() : inner.head(k)),
    exists: (k: string) => (store.away ? fail() : inner.exists(k)),
    list: (p: string) => inner.list(p),
    listPrefixes: (p: string) => inner.listPrefixes(p),
    deleteMany: (k: Iterable<string>) => inner.deleteMany(k),
    delete: (k: string) => inner.delete(k),
    close: () => inner.close(),
  };
  return store as ObjectStore & { away: boolean };
}

describe('rebuild API: resubmission, retry, cancel and ids (real Redis, file store, no workers)', () => {
  const env = testServerEnv();
  const connection = createRedisConnection(env.LOOKALIKE_TEST_REDIS_URL);
  const prefix = `rapi${Date.now()}`;
  let dir: string;
  let store: ObjectStore & { away: boolean };
  let queue: Queue;
  let manifests: ManifestRepository;
  let server: Server;
  let base: string;
  const servers: Server[] = [];

  function serviceWith(redis = connection): RebuildService {
    return new RebuildService({
      rebuildQueue: queue,
      manifests,
      cancellation: new CancellationRegistry(redis, prefix),
      claims: new RebuildClaims(redis, prefix),
      waiting: new WaitingRegistry(redis, prefix),
      connection: redis,
      store,
    });
  }

  async function listen(rebuilds: RebuildService): Promise<string> {
    const { server, base } = await listenTestApp({ rebuilds });
    servers.push(server);
    return base;
  }

  const call = async (url: string, method = 'GET', body?: unknown) => {
    const res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookalike-rebuild-api-'));
    store = switchableStore(new FsObjectStore({ root: join(dir, 'store') }));
    queue = createQueue(QUEUES.rebuild, { connection, prefix });
    manifests = new ManifestRepository(store);
    base = await listen(serviceWith());
    server = servers[0]!;
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
    await rm(dir, { recursive: true, force: true });
  });

  const spec = (k: number) => ({ images: 'file:///data/images', k, pcaDims: 8 });

  it('answers a resubmission with the same spec with its state, and one with another spec with 409 naming the fields', async () => {
    expect(await call(`${base}/rebuilds`, 'POST', { id: 'same-1', ...spec(5) })).toEqual({
      status: 202,
      body: { rebuildId: 'same-1', created: true },
    });
    // Defaults spelled out are the same spec.
    expect(await call(`${base}/rebuilds`, 'POST', { id: 'same-1', ...spec(5), shardSize: 1000 })).toEqual({
      status: 200,
      body: { rebuildId: 'same-1', created: false, status: 'running' },
    });
    const conflict = await call(`${base}/rebuilds`, 'POST', { id: 'same-1', ...spec(7), lenient: true });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      rebuildId: 'same-1',
      status: 'running',
      differences: ['k', 'lenient'],
    });
    expect(conflict.body.error).toMatch(/differs in k, lenient/);
    expect((await manifests.require('same-1')).spec.k).toBe(5);
    expect(await queue.getJobCountByTypes('wait')).toBe(1);
  });

  it('lets exactly one of many concurrent submits of one id create it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(`${base}/rebuilds`, 'POST', { id: 'race-1', ...spec(3 + (i % 3)) }),
      ),
    );
    const created = answers.filter((a) => a.status === 202);
    expect(created).toHaveLength(1);
    const manifest = await manifests.require('race-1');
    // Every other answer agrees with the creator's spec: 200 for the same k, 409 naming k for another.
    for (const a of answers.filter((x) => x.status !== 202)) {
      expect([200, 409]).toContain(a.status);
      if (a.status === 409) expect(a.body.differences).toEqual(['k']);
    }
    expect(answers.filter((a) => a.status === 200 || a.status === 202)).toHaveLength(4);
    const job = await queue.getJob('race-1');
    expect(job?.data.spec.k).toBe(manifest.spec.k);
  });

  it('answers 400 for ids the key layer would reject, 404 for unknown ones, never 500', async () => {
    for (const id of ['a.b', '%2E%2E%2Fetc', 'x'.repeat(101), 'a%00b', 'a%2Fb']) {
      expect({ id, status: (await call(`${base}/rebuilds/${id}`)).status }).toEqual({ id, status: 400 });
      expect({ id, status: (await call(`${base}/rebuilds/${id}/cancel`, 'POST')).status }).toEqual({
        id,
        status: 400,
      });
      expect({ id, status: (await call(`${base}/rebuilds/${id}/retry`, 'POST')).status }).toEqual({
        id,
        status: 400,
      });
    }
    expect((await call(`${base}/rebuilds/nope`)).status).toBe(404);
    expect((await call(`${base}/rebuilds/nope/cancel`, 'POST')).status).toBe(404);
    expect((await call(`${base}/rebuilds/nope/retry`, 'POST')).status).toBe(404);
  });

  it('does not cancel a rebuild that is over, and says so', async () => {
    const manifest: Manifest = {
      ...ManifestRepository.initial('over-1', (await manifests.require('same-1')).spec),
      status: 'completed',
      step: 'done',
    };
    await manifests.save(manifest);
    expect(await call(`${base}/rebuilds/over-1/cancel`, 'POST')).toEqual({
      status: 200,
      body: { rebuildId: 'over-1', cancelling: false, status: 'completed' },
    });
    expect(await call(`${base}/rebuilds/same-1/cancel`, 'POST')).toEqual({
      status: 202,
      body: { rebuildId: 'same-1', cancelling: true },
    });
  });

  it('retries a failed rebuild from the step where it failed, once at a time; refuses running or completed ones', async () => {
    const cancellation = new CancellationRegistry(connection, prefix);
    let attempts = 0;
    const worker: Worker = createWorker(QUEUES.rebuild, {
      connection,
      prefix,
      logger: silentLogger,
      retry: new RetryPolicy({ budgetMs: 0 }),
      handlers: {
        rebuild: defineHandler({
          schema: z.object({ rebuildId: z.string(), step: z.string() }),
          async handle(data) {
            if (data.rebuildId !== 'fail-1') return {};
            attempts++;
            // Fails the first run only, at "embed".
            if (attempts === 1) throw new UnrecoverableError('embed stage: model.json is not valid JSON');
            return { step: data.step };
          },
          async onGiveUp(data, _job, error) {
            const m = await manifests.require(data.rebuildId);
            await manifests.save({
              ...m,
              status: 'failed',
              step: 'embed',
              error: error.message,
              errorKind: 'permanent',
              stages: { ...m.stages, plan: { state: 'done' }, embed: { state: 'failed' } },
            });
            await cancellation.cancel(data.rebuildId);
          },
        }),
      },
    });
    try {
      await call(`${base}/rebuilds`, 'POST', { id: 'fail-1', ...spec(4) });
      await pollUntil(async () => (await manifests.require('fail-1')).status === 'failed', {
        timeoutMs: 10_000,
        intervalMs: 50,
      });
      const failed = await call(`${base}/rebuilds/fail-1`);
      expect(failed.body).toMatchObject({
        manifest: {
          status: 'failed',
          error: 'embed stage: model.json is not valid JSON',
          errorKind: 'permanent',
        },
      });
      // Two retries at once: one wins, the other is told.
      const [a, b] = await Promise.all([
        call(`${base}/rebuilds/fail-1/retry`, 'POST'),
        call(`${base}/rebuilds/fail-1/retry`, 'POST'),
      ]);
      expect([a.status, b.status].sort()).toEqual([202, 409]);
      expect([a, b].find((r) => r.status === 202)!.body).toEqual({
        rebuildId: 'fail-1',
        retrying: true,
        step: 'embed',
        keptShards: 0,
      });
      const manifest = await manifests.require('fail-1');
      expect(manifest).toMatchObject({
        status: 'running',
        step: 'embed',
        retries: 1,
        stages: { plan: { state: 'done' }, embed: { state: 'pending' } },
      });
      expect(manifest.error).toBeUndefined();
      expect(await cancellation.isCancelled('fail-1')).toBe(false);
      // The new run starts at the failed step.
      const job = await queue.getJob('fail-1');
      expect(job?.data).toMatchObject({ step: 'embed', started: false });
      expect((await call(`${base}/rebuilds/fail-1/retry`, 'POST')).status).toBe(409);
      expect((await call(`${base}/rebuilds/over-1/retry`, 'POST')).body.error).toMatch(
        /is completed: only a failed or cancelled/,
      );
    } finally {
      await worker.close();
    }
  });

  it('says `waiting for Redis` when the producer cannot reach it, and refuses writes with 503', async () => {
    const dead = createRedisConnection(`redis://127.0.0.1:${await freePort()}`, {
      redis: { lazyConnect: false },
    });
    dead.on('error', () => undefined);
    try {
      const url = await listen(serviceWith(dead));
      const started = Date.now();
      const status = await call(`${url}/rebuilds/same-1`);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        manifest: { rebuildId: 'same-1' },
        waiting: { for: 'redis', jobs: 0 },
      });
      const submit = await call(`${url}/rebuilds`, 'POST', { id: 'no-redis', ...spec(5) });
      expect(submit.status).toBe(503);
      expect(submit.body.error).toMatch(/^waiting for Redis: /);
    } finally {
      dead.disconnect();
    }
  });

  it('says `waiting for storage` with the last manifest it read when the storage is away, 503 for one it never read', async () => {
    expect((await call(`${base}/rebuilds/race-1`)).status).toBe(200);
    store.away = true;
    try {
      const status = await call(`${base}/rebuilds/race-1`);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        manifest: { rebuildId: 'race-1', status: 'running' },
        waiting: { for: 'storage' },
      });
      const unknown = await call(`${base}/rebuilds/never-read`);
      expect(unknown.status).toBe(503);
      expect(unknown.body).toMatchObject({ waiting: { for: 'storage' } });
      expect(unknown.body.error).toMatch(/^waiting for storage: /);
    } finally {
      store.away = false;
    }
    void server;
    void pathToFileURL;
  });
});
