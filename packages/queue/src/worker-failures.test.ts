import { QueueEvents, type Job } from 'bullmq';
import { z } from 'zod';
import { newRebuildId, pollUntil, silentLogger } from '@lookalike/core';
import { testServerEnv } from '@lookalike/local-servers';
import { createRedisConnection } from './connection';
import { createQueue } from './queue-factory';
import { RetryPolicy } from './retry-policy';
import { WaitingRegistry, type WaitingJob } from './waiting-registry';
import { createWorker, defineHandler, type JobOutcome } from './worker-factory';

const env = testServerEnv();

function storageAway(): Error {
  return Object.assign(new Error('S3 put s3://b/k failed: connect ECONNREFUSED 127.0.0.1:9'), {
    retryable: true,
    source: 'storage',
  });
}

describe('worker failure handling against a real Redis', () => {
  const connection = createRedisConnection(env.LOOKALIKE_TEST_REDIS_URL);
  let prefix: string;
  let events: QueueEvents;
  let eventsConnection: ReturnType<typeof connection.duplicate>;

  beforeEach(async () => {
    prefix = `wf${Math.random().toString(36).slice(2, 10)}`;
    eventsConnection = connection.duplicate();
    events = new QueueEvents('embed', { connection: eventsConnection, prefix });
    await events.waitUntilReady();
  });
  afterEach(async () => {
    await events.close();
    await eventsConnection.quit();
  });
  afterAll(async () => {
    await connection.quit();
  });

  /** A worker whose handler runs `behaviour(attempt)`; records give-ups, outcomes and the waiting list seen. */
  function start(behaviour: (attempt: number, job: Job) => Promise<unknown>, retry: RetryPolicy) {
    const waiting = new WaitingRegistry(connection, prefix);
    const gaveUp: { message: string; kind: string }[] = [];
    const outcomes: JobOutcome['status'][] = [];
    const seenWaiting: WaitingJob[][] = [];
    const worker = createWorker('embed', {
      connection,
      prefix,
      logger: silentLogger,
      retry,
      waiting,
      onOutcome: (o) => outcomes.push(o.status),
      handlers: {
        embed: defineHandler({
          schema: z.object({ rebuildId: z.string() }),
          handle: async (data, job) => {
            seenWaiting.push(await waiting.list(data.rebuildId));
            return behaviour(job.attemptsMade + 1, job);
          },
          onGiveUp: async (_data, _job, error, decision) => {
            gaveUp.push({ message: error.message, kind: decision.kind });
          },
        }),
      },
    });
    return { worker, waiting, gaveUp, outcomes, seenWaiting };
  }

  const fast = (budgetMs: number) => new RetryPolicy({ budgetMs, baseDelayMs: 100, maxDelayMs: 200 });

  it('retries a transient failure with backoff, listing the job as waiting for storage meanwhile', async () => {
    const queue = createQueue('embed', { connection, prefix });
    const rebuildId = newRebuildId();
    const { worker, waiting, outcomes, seenWaiting, gaveUp } = start(async (attempt) => {
      if (attempt < 3) throw storageAway();
      return { ok: attempt };
    }, fast(10_000));
    const job = await queue.add('embed', { rebuildId }, { jobId: `${rebuildId}.embed.00000` });
    await expect(job.waitUntilFinished(events, 10_000)).resolves.toEqual({ ok: 3 });
    // The third attempt saw the entry of the second failure; success removed it.
    expect(seenWaiting[0]).toEqual([]);
    expect(seenWaiting[2]).toEqual([
      expect.objectContaining({
        jobId: job.id,
        waitingFor: 'storage',
        attempt: 2,
        error: expect.stringContaining('ECONNREFUSED'),
      }),
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(await waiting.list(rebuildId)).toEqual([]);
    expect(gaveUp).toEqual([]);
    expect(outcomes).toEqual(['failed', 'failed', 'completed']);
    await worker.close();
    await queue.close();
  });

  it('fails a permanent error after one attempt, with its message, and tells the handler', async () => {
    const queue = createQueue('embed', { connection, prefix });
    const missing = Object.assign(new Error('object not found: articles.csv'), {
      retryable: false,
      source: 'storage',
    });
    const { worker, gaveUp } = start(async () => {
      throw missing;
    }, fast(10_000));
    const job = await queue.add('embed', { rebuildId: newRebuildId() });
    const started = Date.now();
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow('object not found: articles.csv');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(((await queue.getJob(job.id!)) as Job).attemptsMade).toBe(1);
    expect(gaveUp).toEqual([{ message: 'object not found: articles.csv', kind: 'permanent' }]);
    await worker.close();
    await queue.close();
  });

  it('gives up a transient failure once the backoff budget is spent', async () => {
    const queue = createQueue('embed', { connection, prefix });
    // 100 + 200 + 200 ms of backoff fit in 500 ms: four attempts, then the job fails.
    const { worker, gaveUp } = start(async () => {
      throw storageAway();
    }, fast(500));
    const job = await queue.add('embed', { rebuildId: newRebuildId() });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(
      /^gave up after 4 attempts .* waiting for storage: S3 put/,
    );
    expect(((await queue.getJob(job.id!)) as Job).attemptsMade).toBe(4);
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]!.kind).toBe('budget');
    await worker.close();
    await queue.close();
  });

  it('gives an error of unknown kind five attempts', async () => {
    const queue = createQueue('embed', { connection, prefix });
    const { worker } = start(async () => {
      throw new Error('odd');
    }, fast(60_000));
    const job = await queue.add('embed', { rebuildId: newRebuildId() });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow('failed 5 times: odd');
    expect(((await queue.getJob(job.id!)) as Job).attemptsMade).toBe(5);
    await worker.close();
    await queue.close();
  });

  it('reports a job whose lock was lost while it ran (BullMQ records nothing for it)', async () => {
    const queue = createQueue('embed', { connection, prefix });
    const { worker, outcomes } = start(async (_attempt, job) => {
      // As if the lock had expired while this worker was stalled: the stalled checker of another worker takes it.
      await connection.del(`${prefix}:embed:${job.id}:lock`);
      return { done: true };
    }, fast(10_000));
    await queue.add('embed', { rebuildId: newRebuildId() });
    await pollUntil(() => outcomes.length > 0, { timeoutMs: 5000, intervalMs: 50 });
    expect(outcomes).toEqual(['lock-lost']);
    await worker.close();
    await queue.close();
  });
});
