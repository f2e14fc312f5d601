import { UnrecoverableError, type Job } from 'bullmq';
import { describeIssues, type Logger, type QueueName } from '@lookalike/core';
import type { JobOutcomes } from './job-outcomes';
import type { RetryPolicy } from './retry-policy';
import type { CreateWorkerOptions, JobHandler } from './worker-factory';

/** Fields that every log line of a job carries. */
export function jobLogFields(job: Job): Record<string, unknown> {
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

type ProcessorOptions = Pick<CreateWorkerOptions, 'handlers' | 'logger' | 'cancellation' | 'waiting'>;

/** One job being processed: its handler, parsed payload, logger and waiting-list key. */
interface JobRun {
  job: Job;
  handler: JobHandler;
  data: unknown;
  log: Logger;
  /** The rebuild whose waiting list the job appears in while it waits out a transient failure. */
  waitingKey: string | undefined;
}

const ignoreRedisFailure = (log: Logger) => (err: unknown) =>
  log.debug({ err: (err as Error).message }, 'could not update the waiting list');

/** The job's handler and zod-parsed payload; an unknown name or a malformed payload fails it for good. */
function parseJob(queue: QueueName, job: Job, handlers: CreateWorkerOptions['handlers']) {
  const handler = handlers[job.name];
  if (!handler) throw new UnrecoverableError(`no handler for job name "${job.name}" on queue "${queue}"`);
  const parsed = handler.schema.safeParse(job.data);
  if (!parsed.success) {
    const fields = describeIssues(parsed.error)
      .map((i) => `${i.field}: ${i.message}`)
      .join('; ');
    throw new UnrecoverableError(`invalid ${job.name} job payload: ${fields}`);
  }
  return { handler, data: parsed.data as unknown };
}

/**
 * A handler threw: a transient failure is logged, listed as waiting and rethrown (BullMQ retries
 * it with backoff); anything else becomes an UnrecoverableError, after the handler's `onGiveUp`.
 */
async function failJob(
  run: JobRun,
  err: unknown,
  policy: RetryPolicy,
  waiting: CreateWorkerOptions['waiting'],
): Promise<never> {
  const { job, log, waitingKey } = run;
  const attempt = job.attemptsMade + 1;
  const decision = policy.decide(err, attempt);
  if (decision.retry) {
    const message = err instanceof Error ? err.message : String(err);
    log.warn(
      { err: message, kind: decision.kind, waitingFor: decision.waitingFor, retryInMs: decision.delayMs },
      decision.waitingFor ? `waiting for ${decision.waitingFor}: will retry` : 'failed: will retry',
    );
    if (waitingKey && decision.waitingFor && waiting) {
      const entry = {
        jobId: job.id!,
        waitingFor: decision.waitingFor,
        attempt,
        error: message,
        at: new Date().toISOString(),
        retryInMs: decision.delayMs,
      };
      // Not awaited: Redis may be the thing that is away.
      waiting.record(waitingKey, entry).catch(ignoreRedisFailure(log));
    }
    throw err;
  }
  const final =
    decision.kind === 'permanent' && err instanceof UnrecoverableError
      ? err
      : new UnrecoverableError(decision.message);
  log.warn({ err: final.message, kind: decision.kind }, 'failed for good');
  if (waitingKey && waiting) waiting.clear(waitingKey, job.id!).catch(ignoreRedisFailure(log));
  await run.handler
    .onGiveUp?.(run.data, job, final, decision, log)
    .catch((hookError: unknown) =>
      log.error({ err: (hookError as Error).message }, 'could not record the failure'),
    );
  throw final;
}

/**
 * The BullMQ processor of a worker: finds the job's handler, validates its payload, skips jobs of
 * cancelled rebuilds, runs the handler and sorts its failures with `policy` (see `failJob`).
 */
export function createJobProcessor(
  queue: QueueName,
  options: ProcessorOptions,
  policy: RetryPolicy,
  outcomes: JobOutcomes,
) {
  return async (job: Job, token?: string): Promise<unknown> => {
    const log = options.logger.child(jobLogFields(job));
    const { handler, data } = parseJob(queue, job, options.handlers);
    const rebuildId = (data as { rebuildId?: unknown }).rebuildId;
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
    log.debug('job started');
    let result: unknown;
    try {
      result = await handler.handle(data, job, token, log);
    } catch (err) {
      if (err instanceof Error && CONTROL_FLOW_ERRORS.has(err.name)) throw err;
      outcomes.finished(job, started, 'failed');
      return failJob({ job, handler, data, log, waitingKey }, err, policy, options.waiting);
    }
    outcomes.finished(job, started, 'completed');
    if (waitingKey && options.waiting)
      options.waiting.clear(waitingKey, job.id!).catch(ignoreRedisFailure(log));
    log.info({ ms: Date.now() - started }, 'job completed');
    return result;
  };
}
