import type { Job, Queue } from 'bullmq';
import { jobId, type RebuildStep } from '@lookalike/core';

/** One child job of a stage: its queue, job name, data and shard/part number. */
export interface ChildSpec {
  queue: Queue;
  name: string;
  data: Record<string, unknown>;
  /** Shard or part number; omitted for a stage's single job. */
  n?: number;
}

/**
 * Adds a stage's child jobs under the parent rebuild job. Ids are deterministic
 * (`<rebuildId>.<stage>.<n>`), so adding them again after a crash is a no-op. A child that fails
 * for good (a permanent failure, or its retry budget spent) wakes the parent at once
 * (`continueParentOnFailure`), which then sees the missing output, reads the failure reasons and
 * fails the rebuild with them, without waiting for the other children.
 */
export async function addStageChildren(
  parent: Job,
  rebuildId: string,
  stage: RebuildStep,
  children: ChildSpec[],
): Promise<void> {
  const byQueue = new Map<Queue, ChildSpec[]>();
  for (const child of children) byQueue.set(child.queue, [...(byQueue.get(child.queue) ?? []), child]);
  for (const [queue, specs] of byQueue) {
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

/** Return values of the parent's completed children of one stage, keyed by shard/part number. */
export async function stageResults<T>(
  parent: Job,
  rebuildId: string,
  stage: RebuildStep,
): Promise<Map<number, T>> {
  const values = await parent.getChildrenValues<T>();
  const marker = `:${rebuildId}.${stage}`;
  const results = new Map<number, T>();
  for (const [key, value] of Object.entries(values)) {
    const at = key.lastIndexOf(marker);
    if (at < 0) continue;
    const rest = key.slice(at + marker.length);
    results.set(rest === '' ? 0 : Number(rest.slice(1)), value);
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
