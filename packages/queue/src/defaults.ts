import type { DefaultJobOptions, WorkerOptions } from 'bullmq';

/** Job options every queue of the system uses unless a job overrides them. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  // Transient failures (network, S3 5xx, a crashed worker's stalled job) are retried with backoff.
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
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
