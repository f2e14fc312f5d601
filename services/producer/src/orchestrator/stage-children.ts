import type { Job, Queue } from 'bullmq';
import {
  JOBS,
  jobId,
  queueOf,
  describeIssues,
  type JobName,
  type JobPayloadInput,
  type JobResultOf,
  type QueueName,
  type RebuildStep,
} from '@lookalike/core';
import { RebuildFailedError } from './rebuild-failed-error';

/** One child job of a stage: its job name (which gives its queue), data and shard/part number. */
export interface ChildJob<N extends JobName = JobName> {
  name: N;
  data: JobPayloadInput<N>;
  /** Shard or part number; omitted for a stage's single job. */
  n?: number;
}

/** A child job, its data checked against the job's payload type. */
export function childJob<N extends JobName>(name: N, data: JobPayloadInput<N>, n?: number): ChildJob<N> {
  return n === undefined ? { name, data } : { name, data, n };
}

/** The queues the orchestrator adds children to, by queue name. */
export type ChildQueues = Partial<Record<QueueName, Queue>>;

/**
 * Adds a stage's child jobs under the parent rebuild job, each on its job's queue (the job registry's).
 * Ids are deterministic (`<rebuildId>.<stage>.<n>`), so adding them again after a crash is a no-op. A
 * child that fails for good (a permanent failure, or its retry budget spent) wakes the parent at once
 * (`continueParentOnFailure`), which then sees the missing output, reads the failure reasons and fails
 * the rebuild with them, without waiting for the other children.
 */
export async function addStageChildren(
  parent: Job,
  queues: ChildQueues,
  rebuildId: string,
  stage: RebuildStep,
  children: readonly ChildJob[],
): Promise<void> {
  const byQueue = new Map<QueueName, ChildJob[]>();
  for (const child of children) {
    const queue = queueOf(child.name);
    byQueue.set(queue, [...(byQueue.get(queue) ?? []), child]);
  }
  for (const [name, specs] of byQueue) {
    const queue = queues[name];
    if (!queue) throw new Error(`the orchestrator has no "${name}" queue for job "${specs[0]!.name}"`);
    await queue.addBulk(
      specs.map((child) => ({
        name: child.name,
        data: child.data,
        opts: {
          jobId: jobId(rebuildId, stage, child.n),
          parent: { id: parent.id!, queue: parent.queueQualifiedName },
          continueParentOnFailure: true,
        },
      })),
    );
  }
}

/**
 * Return values of the parent's completed `name` children of one stage, keyed by shard/part number, each
 * parsed with the job's result schema (a result that does not match fails the rebuild, naming the job).
 */
export async function stageResults<N extends JobName>(
  parent: Job,
  rebuildId: string,
  stage: RebuildStep,
  name: N,
): Promise<Map<number, JobResultOf<N>>> {
  const values = await parent.getChildrenValues<unknown>();
  const marker = `:${rebuildId}.${stage}`;
  const schema = JOBS[name].result;
  const results = new Map<number, JobResultOf<N>>();
  for (const [key, value] of Object.entries(values)) {
    const at = key.lastIndexOf(marker);
    if (at < 0) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const fields = describeIssues(parsed.error)
        .map((i) => `${i.field}: ${i.message}`)
        .join('; ');
      throw new RebuildFailedError(
        `${stage} stage: job ${key.slice(key.lastIndexOf(':') + 1)} returned an invalid ${name} result: ${fields}`,
      );
    }
    const rest = key.slice(at + marker.length);
    results.set(rest === '' ? 0 : Number(rest.slice(1)), parsed.data as JobResultOf<N>);
  }
  return results;
}

/** Failure reasons of the parent's children of one stage that failed for good. */
export async function stageFailures(parent: Job, rebuildId: string, stage: RebuildStep): Promise<string[]> {
  const failures = await parent.getIgnoredChildrenFailures();
  const marker = `:${rebuildId}.${stage}`;
  return Object.entries(failures)
    .filter(([key]) => key.includes(marker))
    .map(([key, reason]) => `${key.slice(key.lastIndexOf(':') + 1)}: ${reason}`);
}
