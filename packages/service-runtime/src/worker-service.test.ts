import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JOBS, pollUntil, PollTimeoutError, QUEUES } from '@lookalike/core';
import { freePort, startRedisServer, testServerEnv } from '@lookalike/local-servers';
import { defineHandler, HandlerMismatchError, type JobHandler } from '@lookalike/queue';
import { runWorkerService, type RunningWorkerService } from './worker-service';

const stub = (): JobHandler => defineHandler({ schema: JOBS.fit.payload, handle: async () => ({}) });
/** Handlers for the reducer's queue: one per registered job of `reduce`. */
const reducerHandlers = () => ({ fit: stub(), project: stub() });

/** Starts a worker service with `env` on top of the test's environment, on a free loopback port. */
async function start(
  env: Record<string, string>,
  handlers: Record<string, JobHandler> = reducerHandlers(),
): Promise<{ service: RunningWorkerService; base: string }> {
  const saved = { ...process.env };
  const port = await freePort();
  Object.assign(process.env, {
    LOG_LEVEL: 'silent',
    LOOKALIKE_HTTP_HOST: '127.0.0.1',
    LOOKALIKE_HTTP_PORT: String(port),
    ...env,
  });
  try {
    const service = await runWorkerService({
      service: 'reducer',
      queue: QUEUES.reduce,
      handlers: () => handlers,
    });
    return { service, base: `http://127.0.0.1:${port}` };
  } finally {
    process.env = saved;
  }
}

/** Polls `url` until it answers `status` or `timeoutMs` passes; the last status seen. */
async function waitForStatus(url: string, status: number, timeoutMs = 10_000): Promise<number> {
  let last = 0;
  await pollUntil(async () => (last = (await fetch(url)).status) === status, {
    timeoutMs,
    intervalMs: 100,
  }).catch((error: unknown) => {
    if (!(error instanceof PollTimeoutError)) throw error;
  });
  return last;
}

describe('worker service metrics', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookalike-worker-service-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start when a job of its queue has no handler, or a handler names an unknown job', async () => {
    const env = {
      LOOKALIKE_REDIS_URL: testServerEnv().LOOKALIKE_TEST_REDIS_URL,
      LOOKALIKE_STORAGE_URL: pathToFileURL(dir).href,
    };
    await expect(start(env, { fit: stub() })).rejects.toThrow(
      new HandlerMismatchError('worker on queue "reduce": no handler for "project"'),
    );
    await expect(start(env, { ...reducerHandlers(), 'fit-pca': stub() })).rejects.toThrow(
      'worker on queue "reduce": handler for unknown job "fit-pca"',
    );
  });

  it('exports its own job metrics but not queue depth (the producer exports that once per queue)', async () => {
    const { service, base } = await start({
      LOOKALIKE_REDIS_URL: testServerEnv().LOOKALIKE_TEST_REDIS_URL,
      LOOKALIKE_QUEUE_PREFIX: `wsm${Date.now()}`,
      LOOKALIKE_STORAGE_URL: pathToFileURL(dir).href,
    });
    try {
      expect(await waitForStatus(`${base}/healthz`, 200)).toBe(200);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(/^# TYPE lookalike_jobs_total counter$/m);
      expect(text).toMatch(/process_resident_memory_bytes\{service="reducer"\}/);
      expect(text).not.toMatch(/lookalike_queue_jobs/);
    } finally {
      await service.stop();
    }
  });

  it('answers /metrics while Redis is away (a liveness probe there does not restart it); /healthz says 503', async () => {
    const port = await freePort();
    let redis = await startRedisServer({ port });
    const { service, base } = await start({
      LOOKALIKE_REDIS_URL: redis.url,
      LOOKALIKE_STORAGE_URL: pathToFileURL(dir).href,
    });
    try {
      expect(await waitForStatus(`${base}/healthz`, 200)).toBe(200);
      await redis.stop();
      expect(await waitForStatus(`${base}/healthz`, 503)).toBe(503);
      const metrics = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/lookalike_jobs_total/);
    } finally {
      // Redis back on the same port, so that the graceful shutdown can close the worker.
      redis = await startRedisServer({ port });
      await waitForStatus(`${base}/healthz`, 200);
      await service.stop();
      await redis.stop();
    }
  });
});
