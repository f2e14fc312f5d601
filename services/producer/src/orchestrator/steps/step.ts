import type {
  JobName,
  JobResultOf,
  Logger,
  Manifest,
  RebuildJobData,
  RebuildSpec,
  RebuildStep,
} from '@lookalike/core';
import type { ObjectStore } from '@lookalike/storage';
import type { ChildJob } from '../stage-children';

/** What a step sees: the rebuild, its manifest (which it updates), the stores, and its children's results. */
export interface StepContext {
  rebuildId: string;
  spec: RebuildSpec;
  /** The parent job's data (a retry's `resume`). */
  data: RebuildJobData;
  manifest: Manifest;
  store: ObjectStore;
  openSource: (url: string) => ObjectStore;
  log: Logger;
  /** The step's completed `name` children, by shard/part number, each parsed with the job's result schema. */
  results<N extends JobName>(name: N): Promise<Map<number, JobResultOf<N>>>;
  /** The result of the step's single `name` child; fails the rebuild (as `failed`) when it has none. */
  result<N extends JobName>(name: N): Promise<JobResultOf<N>>;
  /** Fails the rebuild with the reasons of the step's children that failed for good (or "outputs are missing"). */
  failed(): Promise<never>;
}

/**
 * One step of a rebuild. The runner calls `start` (fan out child jobs, or do the work inline), waits for the
 * children it returned, then calls `finish` (check every output exists, record results in the manifest).
 * A step whose `when` is false is recorded as skipped and neither started nor finished.
 */
export interface Step {
  name: Exclude<RebuildStep, 'done'>;
  /** Whether the step runs for this spec: its skip rule, stated here only. */
  when(spec: RebuildSpec): boolean;
  /** Child jobs to wait for; [] when the step ran inline or has nothing left to do. */
  start(ctx: StepContext): Promise<ChildJob[]>;
  /** After the children completed: verify every output exists and update the manifest. */
  finish?(ctx: StepContext): Promise<void>;
  /** After the manifest recording the step as done was saved (publish moves `current`). */
  afterSave?(ctx: StepContext): Promise<void>;
}

/** A step that always runs. */
export const always = (): boolean => true;

/** The keys under `prefix` that end with `suffix`: the outputs a step's children wrote. */
export async function outputKeys(store: ObjectStore, prefix: string, suffix: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const entry of store.list(prefix)) if (entry.key.endsWith(suffix)) keys.add(entry.key);
  return keys;
}
