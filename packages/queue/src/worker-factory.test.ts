import { z } from 'zod';
import { silentLogger } from '@lookalike/core';
import { testServerEnv } from '@lookalike/local-servers';
import { createRedisConnection } from './connection';
import { createWorker, defineHandler, HandlerMismatchError, type JobHandler } from './worker-factory';

const env = testServerEnv();

const stub = (): JobHandler => defineHandler({ schema: z.object({}), handle: async () => ({}) });

describe('createWorker checks its handlers against the job registry', () => {
  const connection = createRedisConnection(env.LOOKALIKE_TEST_REDIS_URL);
  const prefix = `wf${Math.random().toString(36).slice(2, 10)}`;
  afterAll(async () => {
    await connection.quit();
  });

  const start = (queue: 'reduce' | 'index', handlers: Record<string, JobHandler>) =>
    createWorker(queue, { connection, prefix, logger: silentLogger, handlers, worker: { autorun: false } });

  it('refuses to start when a job of its queue has no handler', () => {
    expect(() => start('index', { 'build-index': stub(), neighbours: stub() })).toThrow(HandlerMismatchError);
    // Names the missing job(s), whatever else the index queue gains.
    expect(() => start('index', { 'build-index': stub(), neighbours: stub() })).toThrow(
      /^worker on queue "index": no handler for (".+", )*"quality"/,
    );
  });

  it('refuses to start when a handler names an unknown job or a job of another queue', () => {
    expect(() => start('reduce', { fit: stub(), project: stub(), projet: stub() })).toThrow(
      'worker on queue "reduce": handler for unknown job "projet"',
    );
    expect(() => start('reduce', { fit: stub(), project: stub(), embed: stub() })).toThrow(
      'handler for "embed", a job of queue "embed"',
    );
  });

  it('starts with a handler for every job of its queue', async () => {
    const worker = start('reduce', { fit: stub(), project: stub() });
    expect(worker.name).toBe('reduce');
    await worker.close();
  });
});
