import { Worker, UnrecoverableError, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { describeIssues, type Logger, type QueueName } from '@lookalike/core';
import type { CancellationRegistry } from './cancellation';
import { DEFAULT_WORKER_OPTIONS } from './defaults';

/** A processor for one job name: validated data in, JSON-serialisable result out. */
export interface JobHandler<S extends z.ZodType = z.ZodType, R = unknown> {
  schema: S;
  handle(data: z.output<S>, job: Job, token: string | undefined, logger: Logger): Promise<R>;
}

/** Builds a handler with its payload type inferred from the schema. */
export function defineHandler<S extends z.ZodType, R>(handler: JobHandler<S, R>): JobHandler<S, R> {
  return handler;
}

export interface CreateWorkerOptions {
  connection: Redis;
  prefix: string;
  logger: Logger;
  /** Handlers by job name; a job with another name fails without retry. */
  handlers: Record<string, JobHandler>;
  concurrency?: number;
  /** Jobs of a cancelled rebuild complete at once with `{ cancelled: true }` instead of running. */
  cancellation?: CancellationRegistry;
  /** Extra BullMQ worker options (tests shorten lock and stalled intervals). */
  worker?: Partial<WorkerOptions>;
}

/** Fields that every log line of a job carries. */
function jobLogFields(job: Job): Record<string, unknown> {
  const data = (job.data ?? {}) as Record<string, unknown>;
  return {
    queue: job.queueName,
    jobId: job.id,
    stage: job.name,
    rebuildId: data.rebuildId,
    ...(typeof data.shard === 'number' ? { shard: data.shard } : {}),
    ...(typeof data.part === 'number' ? { part: data.part } : {}),
    attempt: job.attemptsMade + 1,
  };
}

/**
 * A BullMQ worker with the project's defaults: payloads validated with zod (a malformed payload
 * fails at once, without retries), structured logs per job, and the lock/stall settings in
 * `DEFAULT_WORKER_OPTIONS`.
 */
export function createWorker(queue: QueueName, options: CreateWorkerOptions): Worker {
  const processor = async (job: Job, token?: string) => {
    const log = options.logger.child(jobLogFields(job));
    const handler = options.handlers[job.name];
    if (!handler) throw new UnrecoverableError(`no handler for job name "${job.name}" on queue "${queue}"`);
    const parsed = handler.schema.safeParse(job.data);
    if (!parsed.success) {
      const fields = describeIssues(parsed.error)
        .map((i) => `${i.field}: ${i.message}`)
        .join('; ');
      throw new UnrecoverableError(`invalid ${job.name} job payload: ${fields}`);
    }
    const rebuildId = (parsed.data as { rebuildId?: unknown }).rebuildId;
    if (options.cancellation && typeof rebuildId === 'string' && (await options.cancellation.isCancelled(rebuildId))) {
      log.info('skipped: rebuild cancelled');
      return { cancelled: true };
    }
    const started = Date.now();
    log.debug('job started');
    const result = await handler.handle(parsed.data, job, token, log);
    log.info({ ms: Date.now() - started }, 'job completed');
    return result;
  };
  const worker = new Worker(queue, processor, {
    connection: options.connection,
    prefix: options.prefix,
    ...DEFAULT_WORKER_OPTIONS,
    concurrency: options.concurrency ?? DEFAULT_WORKER_OPTIONS.concurrency,
    ...options.worker,
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    const level = err.name === 'WaitingChildrenError' ? 'debug' : 'warn';
    options.logger[level]({ ...jobLogFields(job), err: err.message }, 'job failed');
  });
  worker.on('error', (err) => options.logger.error({ err: err.message, queue }, 'worker error'));
  return worker;
}
