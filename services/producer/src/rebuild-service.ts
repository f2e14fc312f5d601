import type { Queue } from 'bullmq';
import { JOB_NAMES, newRebuildId, type Manifest, type RebuildJobData, type RebuildSpec } from '@lookalike/core';
import type { CancellationRegistry } from '@lookalike/queue';
import type { ObjectStore } from '@lookalike/storage';
import { ManifestRepository } from './orchestrator/manifest-repository';

export interface RebuildStatus {
  manifest: Manifest;
  /** Live progress of the current step's child jobs. */
  progress: { step: string; done: number; failed: number; total: number };
  job: { state: string; attemptsMade: number; failedReason?: string } | undefined;
}

/** Submit, inspect and cancel rebuilds: what the HTTP API and the CLI do. */
export class RebuildService {
  constructor(
    private readonly deps: {
      rebuildQueue: Queue;
      manifests: ManifestRepository;
      cancellation: CancellationRegistry;
      store: ObjectStore;
    },
  ) {}

  /**
   * Submits a rebuild. With an explicit `rebuildId` the call is idempotent: submitting the same id
   * again returns the existing rebuild and adds no work.
   */
  async submit(spec: RebuildSpec, rebuildId: string = newRebuildId()): Promise<{ rebuildId: string; created: boolean }> {
    const existing = await this.deps.manifests.get(rebuildId);
    if (!existing) await this.deps.manifests.save(ManifestRepository.initial(rebuildId, spec));
    const data: RebuildJobData = { rebuildId, spec, step: 'plan', started: false };
    // The job id is the rebuild id: adding it twice is a no-op in BullMQ.
    const job = await this.deps.rebuildQueue.add(JOB_NAMES.rebuild, data, {
      jobId: rebuildId,
      attempts: 10,
      backoff: { type: 'exponential', delay: 5000 },
    });
    return { rebuildId: job.id ?? rebuildId, created: !existing };
  }

  async status(rebuildId: string): Promise<RebuildStatus | undefined> {
    const manifest = await this.deps.manifests.get(rebuildId);
    if (!manifest) return undefined;
    const job = await this.deps.rebuildQueue.getJob(rebuildId);
    let progress = { step: manifest.step, done: 0, failed: 0, total: 0 };
    if (job && manifest.status === 'running') {
      const counts = await job.getDependenciesCount();
      const stage = manifest.stages[manifest.step];
      const total = stage?.jobs ?? 0;
      const failed = counts.ignored ?? 0;
      // Only the current step's children can still be pending: earlier steps all finished.
      // Before the step has added its children (`started`), none of them is done.
      const added = (job.data as { started?: boolean }).started === true;
      const pending = (counts.unprocessed ?? 0) + failed;
      progress = { step: manifest.step, done: added ? Math.max(0, total - pending) : 0, failed, total };
    }
    const state = job ? await job.getState() : undefined;
    return {
      manifest,
      progress,
      job: job && state ? { state, attemptsMade: job.attemptsMade, failedReason: job.failedReason || undefined } : undefined,
    };
  }

  async cancel(rebuildId: string): Promise<boolean> {
    const manifest = await this.deps.manifests.get(rebuildId);
    if (!manifest) return false;
    await this.deps.cancellation.cancel(rebuildId);
    return true;
  }

  /** Every rebuild's manifest, newest first. */
  async list(): Promise<Manifest[]> {
    const manifests: Manifest[] = [];
    for await (const entry of this.deps.store.list('rebuilds/')) {
      if (!entry.key.endsWith('/manifest.json')) continue;
      const id = entry.key.split('/')[1]!;
      const manifest = await this.deps.manifests.get(id);
      if (manifest) manifests.push(manifest);
    }
    return manifests.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }
}
