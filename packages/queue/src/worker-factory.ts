import { hostname } from 'node:os';
import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { checkHandlers, type Logger, type QueueName } from '@lookalike/core';
import type { CancellationRegistry } from './cancellation';
import { DEFAULT_WORKER_OPTIONS } from './defaults';
import { JobOutcomes } from './job-outcomes';
import { createJobProcessor, jobLogFields } from './job-processor';
import { DEFAULT_RETRY_BUDGET_MS, RetryPolicy, type RetryDecision } from './retry-policy';
import type { WaitingRegistry } from './waiting-registry';

/** A processor for one job name: validated data in, JSON-serialisable result out. */
export interface JobHandler<S extends z.ZodType = z.ZodType, R = unknown> {
  schema: S;
  handle(data: z.output<S>, job: Job, token: string | undefined, logger: Logger): Promise<R>;
  /**
   * Called once when the job fails for good (a permanent failure, or retries spent), before BullMQ
   * records it: e.g. the orchestrator writes the failed manifest. Its own errors are logged only.
   */
  onGiveUp?(
    data: z.output<S>,
    job: Job,
    error: Error,
    decision: RetryDecision & { retry: false },
    logger: Logger,
  ): Promise<void>;
}

/** Builds a handler with its payload type inferred from the schema. */
export function defineHandler<S extends z.ZodType, R>(handler: JobHandler<S, R>): JobHandler<S, R> {
  return handler;
}

/**
 * How one job's processing ended, as this worker saw it: `lock-lost` when the handler finished but
 * the job's lock had expired (another worker may have it now), so BullMQ recorded nothing for it.
 */
export interface JobOutcome {
  job: Job;
  status: 'completed' | 'failed' | 'lock-lost';
  seconds: number;
}

export interface CreateWorkerOptions {
  connection: Redis;
  prefix: string;
  logger: Logger;
  /**
   * Handlers by job name: exactly the jobs of the queue in the job registry (`JOBS` in core), or the
   * worker refuses to start. A job with another name that still reaches the queue fails without retry.
   */
  handlers: Record<string, JobHandler>;
  concurrency?: number;
  /** Jobs of a cancelled rebuild complete at once with `{ cancelled: true }` instead of running. */
  cancellation?: CancellationRegistry;
  /** Which failures are retried, and for how long. Default: transient ones for DEFAULT_RETRY_BUDGET_MS. */
  retry?: RetryPolicy;
  /** Where jobs waiting out a transient failure are listed, by rebuild (`waiting for storage`). */
  waiting?: WaitingRegistry;
  /** Every processed job's end, including jobs whose lock was lost (metrics). */
  onOutcome?: (outcome: JobOutcome) => void;
  /** Extra BullMQ worker options (tests shorten lock and stalled intervals). */
  worker?: Partial<WorkerOptions>;
}

/** The name workers record as `processedBy` of the jobs they take: host and process id. */
export function defaultWorkerName(): string {
  return `${hostname()}:${process.pid}`;
}

/** A worker's handlers do not match the job registry: it refuses to start. */
export class HandlerMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlerMismatchError';
  }
}

/** Throws a HandlerMismatchError unless `handlers` are exactly the registered jobs of `queue`. */
export function assertHandlers(queue: QueueName, handlers: Record<string, JobHandler>): void {
  const problem = checkHandlers(queue, Object.keys(handlers));
  if (problem !== undefined) throw new HandlerMismatchError(problem);
}

/**
 * A BullMQ worker with the project's defaults: its handlers checked against the job registry (it
 * throws a HandlerMismatchError before taking any job when they differ), payloads validated with zod (a malformed payload
 * fails at once, without retries), structured logs per job, the lock/stall settings in
 * `DEFAULT_WORKER_OPTIONS`, and failures sorted by the RetryPolicy: permanent ones (and those that
 * spent their budget) fail the job at once as an `UnrecoverableError`, transient ones are retried
 * with backoff and listed in the WaitingRegistry meanwhile.
 */
export function createWorker(queue: QueueName, options: CreateWorkerOptions): Worker {
  assertHandlers(queue, options.handlers);
  const policy = options.retry ?? new RetryPolicy({ budgetMs: DEFAULT_RETRY_BUDGET_MS });
  const outcomes = new JobOutcomes(options.onOutcome);
  const worker = new Worker(queue, createJobProcessor(queue, options, policy, outcomes), {
    connection: options.connection,
    prefix: options.prefix,
    name: defaultWorkerName(),
    ...DEFAULT_WORKER_OPTIONS,
    concurrency: options.concurrency ?? DEFAULT_WORKER_OPTIONS.concurrency,
    settings: { backoffStrategy: (attemptsMade: number) => policy.backoff(attemptsMade) },
    ...options.worker,
  });
  worker.on('completed', (job) => outcomes.report(job.id, 'completed'));
  worker.on('failed', (job, err) => {
    if (!job) return;
    outcomes.report(job.id, 'failed');
    const level = err.name === 'WaitingChildrenError' ? 'debug' : 'warn';
    options.logger[level]({ ...jobLogFields(job), err: err.message }, 'job failed');
  });
  worker.on('error', (err) => {
    const lost = outcomes.lockLost(err);
    if (lost?.job)
      options.logger.warn(
        { ...jobLogFields(lost.job), err: err.message },
        'job lock lost: another worker may redo it',
      );
    else if (!lost) options.logger.error({ err: err.message, queue }, 'worker error');
  });
  return worker;
}
