import { hostname } from 'node:os';
import { Worker, UnrecoverableError, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { checkHandlers, describeIssues, type Logger, type QueueName } from '@lookalike/core';
import type { CancellationRegistry } from './cancellation';
import { DEFAULT_WORKER_OPTIONS } from './defaults';
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

/** Errors BullMQ uses for control flow (a parent waiting for its children …), not failures. */
const CONTROL_FLOW_ERRORS = new Set([
  'WaitingChildrenError',
  'WaitingError',
  'DelayedError',
  'RateLimitError',
]);

/** How BullMQ reports finishing a job whose lock this worker no longer holds. */
const LOCK_LOST = ['Missing lock for job ', 'Lock mismatch for job '];

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
  /** Jobs whose handler has returned or thrown, until BullMQ reports how their end was recorded. */
  const finishing = new Map<string, { job: Job; started: number; status: 'completed' | 'failed' }>();
  /** Jobs just reported as lock-lost: BullMQ reports the lost lock twice (completing, then failing). */
  const lost = new Set<string>();
  const report = (id: string, status: JobOutcome['status']) => {
    const entry = finishing.get(id);
    if (!entry) return;
    finishing.delete(id);
    options.onOutcome?.({ job: entry.job, status, seconds: (Date.now() - entry.started) / 1000 });
  };
  const ignoreRedisFailure = (log: Logger) => (err: unknown) =>
    log.debug({ err: (err as Error).message }, 'could not update the waiting list');

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
    const waitingKey = typeof rebuildId === 'string' && job.id !== undefined ? rebuildId : undefined;
    if (
      options.cancellation &&
      typeof rebuildId === 'string' &&
      (await options.cancellation.isCancelled(rebuildId))
    ) {
      log.info('skipped: rebuild cancelled');
      return { cancelled: true };
    }
    const started = Date.now();
    const finished = (status: 'completed' | 'failed') => {
      if (job.id === undefined) return;
      // Forget entries BullMQ never reported on (a worker closing mid-way), so the map stays small.
      for (const [id, entry] of finishing) if (started - entry.started > 3_600_000) finishing.delete(id);
      finishing.set(job.id, { job, started, status });
    };
    log.debug('job started');
    let result: unknown;
    try {
      result = await handler.handle(parsed.data, job, token, log);
    } catch (err) {
      if (err instanceof Error && CONTROL_FLOW_ERRORS.has(err.name)) throw err;
      finished('failed');
      const attempt = job.attemptsMade + 1;
      const decision = policy.decide(err, attempt);
      if (decision.retry) {
        const message = err instanceof Error ? err.message : String(err);
        log.warn(
          { err: message, kind: decision.kind, waitingFor: decision.waitingFor, retryInMs: decision.delayMs },
          decision.waitingFor ? `waiting for ${decision.waitingFor}: will retry` : 'failed: will retry',
        );
        if (waitingKey && decision.waitingFor && options.waiting) {
          const entry = {
            jobId: job.id!,
            waitingFor: decision.waitingFor,
            attempt,
            error: message,
            at: new Date().toISOString(),
            retryInMs: decision.delayMs,
          };
          // Not awaited: Redis may be the thing that is away.
          options.waiting.record(waitingKey, entry).catch(ignoreRedisFailure(log));
        }
        throw err;
      }
      const final =
        decision.kind === 'permanent' && err instanceof UnrecoverableError
          ? err
          : new UnrecoverableError(decision.message);
      log.warn({ err: final.message, kind: decision.kind }, 'failed for good');
      if (waitingKey && options.waiting)
        options.waiting.clear(waitingKey, job.id!).catch(ignoreRedisFailure(log));
      await handler
        .onGiveUp?.(parsed.data, job, final, decision, log)
        .catch((hookError: unknown) =>
          log.error({ err: (hookError as Error).message }, 'could not record the failure'),
        );
      throw final;
    }
    finished('completed');
    if (waitingKey && options.waiting)
      options.waiting.clear(waitingKey, job.id!).catch(ignoreRedisFailure(log));
    log.info({ ms: Date.now() - started }, 'job completed');
    return result;
  };
  const worker = new Worker(queue, processor, {
    connection: options.connection,
    prefix: options.prefix,
    name: defaultWorkerName(),
    ...DEFAULT_WORKER_OPTIONS,
    concurrency: options.concurrency ?? DEFAULT_WORKER_OPTIONS.concurrency,
    settings: { backoffStrategy: (attemptsMade: number) => policy.backoff(attemptsMade) },
    ...options.worker,
  });
  worker.on('completed', (job) => {
    if (job.id !== undefined) report(job.id, 'completed');
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    if (job.id !== undefined) report(job.id, 'failed');
    const level = err.name === 'WaitingChildrenError' ? 'debug' : 'warn';
    options.logger[level]({ ...jobLogFields(job), err: err.message }, 'job failed');
  });
  worker.on('error', (err) => {
    const lockPrefix = LOCK_LOST.find((prefix) => err.message.startsWith(prefix));
    if (lockPrefix) {
      const rest = err.message.slice(lockPrefix.length);
      const id = [...finishing.keys(), ...lost].find(
        (key) => rest.startsWith(`${key}.`) || rest.startsWith(`${key} `),
      );
      if (id !== undefined) {
        const entry = finishing.get(id);
        if (entry) {
          report(id, 'lock-lost');
          lost.add(id);
          if (lost.size > 1000) lost.delete(lost.values().next().value!);
          options.logger.warn(
            { ...jobLogFields(entry.job), err: err.message },
            'job lock lost: another worker may redo it',
          );
        }
        return;
      }
    }
    options.logger.error({ err: err.message, queue }, 'worker error');
  });
  return worker;
}
