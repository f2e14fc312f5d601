import { QueueEvents, type Job } from 'bullmq';
import { z } from 'zod';
import { jobId, newRebuildId, silentLogger } from '@lookalike/core';
import { testServerEnv } from '@lookalike/local-servers';
import { createRedisConnection } from './connection';
import { createQueue } from './queue-factory';
import { createWorker, defineHandler } from './worker-factory';

const env = testServerEnv();

describe('queue helpers against a real Redis', () => {
  const connection = createRedisConnection(env.LOOKALIKE_TEST_REDIS_URL);
  let prefix: string;
  beforeEach(() => {
    prefix = `t${Math.random().toString(36).slice(2, 10)}`;
  });
  afterAll(async () => {
    await connection.quit();
  });

  it('accepts the project job ids, and adding the same id twice is a no-op', async () => {
    const queue = createQueue('embed', { connection, prefix });
    const rebuildId = newRebuildId();
    const id = jobId(rebuildId, 'embed', 3);
    const a = await queue.add('embed', { rebuildId, shard: 3 }, { jobId: id });
    const b = await queue.add('embed', { rebuildId, shard: 3 }, { jobId: id });
    expect(a.id).toBe(id);
    expect(b.id).toBe(id);
    expect(await queue.getJobCountByTypes('wait')).toBe(1);
    // A job-level id with three dot-separated parts is not mistaken for a repeatable id.
    const job = await queue.getJob(id);
    expect(job?.data).toEqual({ rebuildId, shard: 3 });
    await queue.close();
  });

  it('validates payloads: a malformed job fails once, without retries, naming the field', async () => {
    const queue = createQueue('embed', { connection, prefix });
    const eventsConnection = connection.duplicate();
    const events = new QueueEvents('embed', { connection: eventsConnection, prefix });
    await events.waitUntilReady();
    const seen: number[] = [];
    const worker = createWorker('embed', {
      connection,
      prefix,
      logger: silentLogger,
      handlers: {
        embed: defineHandler({
          schema: z.object({ shard: z.int().min(0) }),
          handle: async (data) => {
            seen.push(data.shard);
            return { doubled: data.shard * 2 };
          },
        }),
      },
    });
    const good = await queue.add('embed', { shard: 21 });
    const bad = await queue.add('embed', { shard: 'x' });
    const unknown = await queue.add('mystery', {});
    await good.waitUntilFinished(events, 10_000);
    await expect(bad.waitUntilFinished(events, 10_000)).rejects.toThrow(/invalid embed job payload: shard/);
    await expect(unknown.waitUntilFinished(events, 10_000)).rejects.toThrow(
      /no handler for job name "mystery"/,
    );
    const failed = (await queue.getJob(bad.id!)) as Job;
    expect(failed.attemptsMade).toBe(1);
    expect(seen).toEqual([21]);
    expect((await queue.getJob(good.id!))?.returnvalue).toEqual({ doubled: 42 });
    await worker.close();
    await events.close();
    await eventsConnection.quit();
    await queue.close();
  });
});
