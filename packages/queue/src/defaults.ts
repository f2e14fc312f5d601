import type { DefaultJobOptions, WorkerOptions } from 'bullmq';
import { RETRY_BACKOFF_TYPE } from './retry-policy';

/** Job options every queue of the system uses unless a job overrides them. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  // Whether a failed attempt is retried is the workers' RetryPolicy's decision (permanent failures
  // fail at once, transient ones are retried within a time budget, unknown ones a few times): it
  // fails a job for good with an UnrecoverableError, so this is only a bound that is never reached.
  attempts: 10_000,
  backoff: { type: RETRY_BACKOFF_TYPE },
  // Keep history for the dashboard, bounded so Redis does not grow without end.
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
};

/** Worker settings: long-running CPU-bound jobs with a lock that survives short event-loop stalls. */
export const DEFAULT_WORKER_OPTIONS: Pick<
  WorkerOptions,
  'lockDuration' | 'stalledInterval' | 'maxStalledCount' | 'concurrency'
> = {
  // A job's lock is renewed every lockDuration/2; a worker that dies loses it after lockDuration,
  // and the stalled-job checker hands the job to another worker.
  lockDuration: 60_000,
  stalledInterval: 30_000,
  // A job that stalls twice (e.g. it crashes its worker) fails instead of looping forever.
  maxStalledCount: 2,
  concurrency: 1,
};
