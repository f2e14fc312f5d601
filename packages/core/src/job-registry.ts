import { z } from 'zod';
import {
  buildIndexJobSchema,
  buildIndexResultSchema,
  embedJobSchema,
  embedResultSchema,
  evaluateJobSchema,
  evaluateResultSchema,
  fitJobSchema,
  fitResultSchema,
  galleryJobSchema,
  galleryResultSchema,
  mergeJobSchema,
  mergeResultSchema,
  neighboursJobSchema,
  neighboursResultSchema,
  prepareRecommendJobSchema,
  prepareRecommendResultSchema,
  projectJobSchema,
  projectResultSchema,
  qualityJobSchema,
  qualityResultSchema,
  rebuildJobSchema,
  recommendJobSchema,
  recommendResultSchema,
} from './jobs';
import { manifestSchema, REBUILD_STATUSES } from './manifest';
import { QUEUES, type QueueName } from './queues';

/** What the orchestrator's parent job returns: the rebuild's final status (and its counts unless cancelled). */
export const rebuildResultSchema = z.object({
  status: z.enum(REBUILD_STATUSES),
  counts: manifestSchema.shape.counts.optional(),
});
export type RebuildResult = z.infer<typeof rebuildResultSchema>;

/** One kind of job: the queue it is added to, the payload its handler accepts and the result it returns. */
export interface JobDefinition<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  queue: QueueName;
  payload: P;
  result: R;
}

/**
 * Every job of the system by name: the one contract between the orchestrator (which adds jobs and reads
 * their results) and the workers (which must handle every job of their queue, and only those). A worker
 * refuses to start when a job of its queue has no handler or a handler names a job not listed here
 * (`checkHandlers`).
 */
export const JOBS = {
  rebuild: { queue: QUEUES.rebuild, payload: rebuildJobSchema, result: rebuildResultSchema },
  embed: { queue: QUEUES.embed, payload: embedJobSchema, result: embedResultSchema },
  fit: { queue: QUEUES.reduce, payload: fitJobSchema, result: fitResultSchema },
  project: { queue: QUEUES.reduce, payload: projectJobSchema, result: projectResultSchema },
  'build-index': { queue: QUEUES.index, payload: buildIndexJobSchema, result: buildIndexResultSchema },
  neighbours: { queue: QUEUES.index, payload: neighboursJobSchema, result: neighboursResultSchema },
  merge: { queue: QUEUES.index, payload: mergeJobSchema, result: mergeResultSchema },
  quality: { queue: QUEUES.index, payload: qualityJobSchema, result: qualityResultSchema },
  gallery: { queue: QUEUES.index, payload: galleryJobSchema, result: galleryResultSchema },
  prepare: {
    queue: QUEUES.recommend,
    payload: prepareRecommendJobSchema,
    result: prepareRecommendResultSchema,
  },
  recommend: { queue: QUEUES.recommend, payload: recommendJobSchema, result: recommendResultSchema },
  evaluate: { queue: QUEUES.recommend, payload: evaluateJobSchema, result: evaluateResultSchema },
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOBS;
/** A job's payload as its producer writes it (defaults may be left out). */
export type JobPayloadInput<N extends JobName> = z.input<(typeof JOBS)[N]['payload']>;
/** A job's result after parsing with its schema. */
export type JobResultOf<N extends JobName> = z.output<(typeof JOBS)[N]['result']>;

export const JOB_NAME_LIST = Object.keys(JOBS) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

/** The names of the jobs added to `queue`, in registry order. */
export function jobsOfQueue(queue: QueueName): JobName[] {
  return JOB_NAME_LIST.filter((name) => JOBS[name].queue === queue);
}

/** The queue a job is added to. */
export function queueOf(name: JobName): QueueName {
  return JOBS[name].queue;
}

/**
 * Why a worker on `queue` with handlers for `handled` must not start, or undefined when it may: every
 * job of the queue needs a handler, and every handler must name a job of the queue.
 */
export function checkHandlers(queue: QueueName, handled: readonly string[]): string | undefined {
  const problems: string[] = [];
  const missing = jobsOfQueue(queue).filter((name) => !handled.includes(name));
  if (missing.length > 0) problems.push(`no handler for ${missing.map((n) => `"${n}"`).join(', ')}`);
  for (const name of handled) {
    if (!isJobName(name)) problems.push(`handler for unknown job "${name}"`);
    else if (JOBS[name].queue !== queue)
      problems.push(`handler for "${name}", a job of queue "${JOBS[name].queue}"`);
  }
  return problems.length > 0 ? `worker on queue "${queue}": ${problems.join('; ')}` : undefined;
}
