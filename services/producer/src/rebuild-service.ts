import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  canonicalSpec,
  classifyFailure,
  type JobName,
  newRebuildId,
  rebuildJobSchema,
  rebuildSpecSchema,
  specDifferences,
  type EmbedResult,
  type Manifest,
  type RebuildJobData,
  type RebuildSpec,
  type RebuildStatusResponse,
  type RebuildWaiting,
} from '@lookalike/core';
import type { CancellationRegistry, RebuildClaims, WaitingRegistry } from '@lookalike/queue';
import { REBUILDS_PREFIX, rebuildIdOfPrefix, type ObjectStore } from '@lookalike/storage';
import { ManifestRepository } from './orchestrator/manifest-repository';

/** `GET /rebuilds/:id`'s answer (core's `rebuildStatusResponseSchema`). */
export type RebuildStatus = RebuildStatusResponse;

export type SubmitResult =
  | { outcome: 'created'; rebuildId: string }
  /** Same id, same spec: nothing added. */
  | { outcome: 'exists'; rebuildId: string; status: Manifest['status'] }
  /** Same id, another spec: the fields that differ. */
  | { outcome: 'conflict'; rebuildId: string; status: Manifest['status']; differences: string[] };

export type RetryResult =
  | { outcome: 'retrying'; rebuildId: string; step: string; keptShards: number }
  | { outcome: 'not-found' }
  | { outcome: 'refused'; reason: string };

export type CancelResult =
  { outcome: 'not-found' } | { outcome: 'cancelling' } | { outcome: 'over'; status: Manifest['status'] };

/** How long a status request waits for Redis before answering without it. */
const REDIS_STATUS_TIMEOUT_MS = 2000;
/** A claim whose manifest does not exist after this long was left by a creator that died. */
const ABANDONED_CLAIM_MS = 10_000;

interface ClaimValue {
  spec: string;
  at: string;
}

/** Redis is not reachable from the producer: a transient failure (`waiting for Redis`, HTTP 503). */
export class RedisUnavailableError extends Error {
  readonly retryable = true;
  readonly source = 'redis';

  constructor(address: string, state: string) {
    super(`Redis at ${address} is not reachable (${state})`);
    this.name = 'RedisUnavailableError';
  }
}

/** Submit, inspect, cancel and retry rebuilds: what the HTTP API and the CLI do. */
export class RebuildService {
  /** Last manifest read per rebuild, shown (with `waiting for storage`) while the storage is away. */
  private readonly lastManifests = new Map<string, Manifest>();

  constructor(
    private readonly deps: {
      rebuildQueue: Queue;
      manifests: ManifestRepository;
      cancellation: CancellationRegistry;
      claims: RebuildClaims;
      waiting: WaitingRegistry;
      /** The producer's Redis connection (its state tells whether Redis is reachable). */
      connection: Redis;
      store: ObjectStore;
    },
  ) {}

  private async addRebuildJob(data: RebuildJobData): Promise<void> {
    // The job id is the rebuild id: adding it twice is a no-op in BullMQ. Retries: the queue's defaults.
    await this.deps.rebuildQueue.add('rebuild' satisfies JobName, data, { jobId: data.rebuildId });
  }

  /**
   * Submits a rebuild. With an explicit `rebuildId` the call is idempotent: the same id with the
   * same spec again adds nothing and answers the state; with another spec it is a conflict naming
   * the differing fields. Of concurrent submits of one id, exactly one creates it (`SET NX`).
   */
  async submit(spec: RebuildSpec, rebuildId: string = newRebuildId()): Promise<SubmitResult> {
    this.requireRedis();
    const existing = await this.deps.manifests.get(rebuildId);
    if (existing) {
      // Rebuilds created before claims existed, or whose claim Redis lost.
      await this.deps.claims.remember(
        rebuildId,
        JSON.stringify({ spec: canonicalSpec(existing.spec), at: existing.createdAt }),
      );
      return this.compare(rebuildId, existing.spec, spec, existing.status);
    }
    const claim = await this.deps.claims.claim(
      rebuildId,
      JSON.stringify({ spec: canonicalSpec(spec), at: new Date().toISOString() }),
    );
    if (!claim.created) {
      const value = JSON.parse(claim.existing) as ClaimValue;
      const claimed = rebuildSpecSchema.parse(JSON.parse(value.spec));
      const result = this.compare(rebuildId, claimed, spec, 'running');
      if (result.outcome !== 'exists') return result;
      // The creator may have died between its claim and its manifest: finish the creation for it.
      const manifest = await this.deps.manifests.get(rebuildId);
      if (manifest) return { ...result, status: manifest.status };
      if (Date.now() - Date.parse(value.at) < ABANDONED_CLAIM_MS) return result;
      if ((await this.deps.rebuildQueue.getJob(rebuildId)) !== undefined) return result;
    }
    await this.deps.manifests.save(ManifestRepository.initial(rebuildId, spec));
    await this.addRebuildJob({ rebuildId, spec, step: 'plan', started: false });
    return { outcome: 'created', rebuildId };
  }

  private compare(
    rebuildId: string,
    existing: RebuildSpec,
    spec: RebuildSpec,
    status: Manifest['status'],
  ): SubmitResult {
    const differences = specDifferences(existing, spec);
    return differences.length > 0
      ? { outcome: 'conflict', rebuildId, status, differences }
      : { outcome: 'exists', rebuildId, status };
  }

  /** The manifest, or the last one read when the storage is away (`waiting`); undefined when unknown. */
  private async readManifest(
    rebuildId: string,
  ): Promise<{ manifest: Manifest; stale?: unknown } | undefined> {
    try {
      const manifest = await this.deps.manifests.get(rebuildId);
      if (manifest) {
        this.lastManifests.delete(rebuildId);
        this.lastManifests.set(rebuildId, manifest);
        if (this.lastManifests.size > 200) this.lastManifests.delete(this.lastManifests.keys().next().value!);
      }
      return manifest ? { manifest } : undefined;
    } catch (err) {
      if (classifyFailure(err).kind !== 'transient') throw err;
      const last = this.lastManifests.get(rebuildId);
      if (!last) throw err;
      return { manifest: last, stale: err };
    }
  }

  /** Throws RedisUnavailableError unless the producer's Redis connection is up (commands would wait for it). */
  private requireRedis(): void {
    if (this.deps.connection.status !== 'ready') throw this.redisAway();
  }

  private redisAway(): RedisUnavailableError {
    const { host, port } = this.deps.connection.options;
    return new RedisUnavailableError(`${host ?? '?'}:${port ?? '?'}`, this.deps.connection.status);
  }

  /** Runs a Redis read, or throws RedisUnavailableError at once when Redis is not connected (or too slow). */
  private async redis<T>(read: () => Promise<T>): Promise<T> {
    this.requireRedis();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.redisAway()), REDIS_STATUS_TIMEOUT_MS);
    });
    try {
      return await Promise.race([read(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async status(rebuildId: string): Promise<RebuildStatus | undefined> {
    const read = await this.readManifest(rebuildId);
    if (!read) return undefined;
    let manifest = read.manifest;
    let progress: RebuildStatus['progress'] = { step: manifest.step, done: 0, failed: 0, total: 0 };
    let job: RebuildStatus['job'];
    let waiting: RebuildWaiting | undefined =
      read.stale !== undefined
        ? {
            for: 'storage',
            jobs: 0,
            error: (read.stale as Error).message ?? String(read.stale),
            at: new Date().toISOString(),
          }
        : undefined;
    try {
      const found = await this.redis(() => this.deps.rebuildQueue.getJob(rebuildId));
      if (found) {
        const state = await this.redis(() => found.getState());
        job = {
          state,
          attemptsMade: found.attemptsMade,
          ...(found.failedReason ? { failedReason: found.failedReason } : {}),
        };
        // The job failed but could not say so in the manifest (the storage was away when it gave up).
        if (state === 'failed' && manifest.status === 'running') {
          manifest = {
            ...manifest,
            status: 'failed',
            error: found.failedReason || 'the rebuild job failed',
            finishedAt: new Date(found.finishedOn ?? Date.now()).toISOString(),
          };
        }
        if (manifest.status === 'running')
          progress = await this.redis(() => this.progressOf(found, manifest));
      }
      if (manifest.status === 'running' && !waiting) {
        const jobs = await this.redis(() => this.deps.waiting.list(rebuildId));
        if (jobs.length > 0) {
          const latest = jobs[0]!;
          waiting = { for: latest.waitingFor, jobs: jobs.length, error: latest.error, at: latest.at };
        }
      }
    } catch (err) {
      if (!(err instanceof RedisUnavailableError)) throw err;
      waiting = { for: 'redis', jobs: 0, error: err.message, at: new Date().toISOString() };
    }
    return {
      manifest,
      progress,
      ...(job ? { job } : {}),
      ...(waiting && manifest.status === 'running' ? { waiting } : {}),
    };
  }

  private async progressOf(job: Job, manifest: Manifest): Promise<RebuildStatus['progress']> {
    const counts = await job.getDependenciesCount();
    const stage = manifest.stages[manifest.step];
    const total = stage?.jobs ?? 0;
    const failed = counts.ignored ?? 0;
    // Only the current step's children can still be pending: earlier steps all finished.
    // Before the step has added its children (`started`), none of them is done.
    const added = (job.data as { started?: boolean }).started === true;
    const pending = (counts.unprocessed ?? 0) + failed;
    const progress: RebuildStatus['progress'] = {
      step: manifest.step,
      done: added ? Math.max(0, total - pending) : 0,
      failed,
      total,
    };
    if (manifest.step === 'embed') {
      // Images embedded so far: the results of the shards that are done (kept shards of a retry included).
      const data = rebuildJobSchema.safeParse(job.data);
      const results = new Map<string, EmbedResult>(
        Object.entries(data.success ? (data.data.resume?.embed ?? {}) : {}),
      );
      if (added) {
        for (const [key, value] of Object.entries(await job.getChildrenValues<Partial<EmbedResult>>())) {
          const at = key.lastIndexOf(`:${manifest.rebuildId}.embed.`);
          if (at >= 0 && typeof value?.embedded === 'number')
            results.set(String(Number(key.slice(key.lastIndexOf('.') + 1))), value as EmbedResult);
        }
      }
      let embedded = 0;
      let failedImages = 0;
      for (const result of results.values()) {
        embedded += result.embedded;
        failedImages += result.failed;
      }
      progress.embedded = embedded;
      progress.failedImages = failedImages;
    }
    return progress;
  }

  /** Cancels a running rebuild; a finished one is left as it is. */
  async cancel(rebuildId: string): Promise<CancelResult> {
    this.requireRedis();
    const read = await this.readManifest(rebuildId);
    if (!read) return { outcome: 'not-found' };
    if (read.manifest.status !== 'running') return { outcome: 'over', status: read.manifest.status };
    await this.deps.cancellation.cancel(rebuildId);
    return { outcome: 'cancelling' };
  }

  /**
   * Runs a failed or cancelled rebuild again from the step where it stopped: earlier steps' outputs
   * are kept, and in the stopped step only the missing outputs are made (embed shards a previous
   * run completed keep their results). The previous run's jobs are removed from the queues first.
   */
  async retry(rebuildId: string): Promise<RetryResult> {
    this.requireRedis();
    const locked = await this.deps.claims.withLock(rebuildId, 30_000, async (): Promise<RetryResult> => {
      const manifest = await this.deps.manifests.get(rebuildId);
      if (!manifest) return { outcome: 'not-found' };
      const old = await this.deps.rebuildQueue.getJob(rebuildId);
      const state = old ? await old.getState() : undefined;
      const over =
        manifest.status === 'failed' ||
        manifest.status === 'cancelled' ||
        (manifest.status === 'running' && state === 'failed');
      if (!over) {
        return {
          outcome: 'refused',
          reason: `rebuild ${rebuildId} is ${manifest.status}: only a failed or cancelled rebuild can be retried`,
        };
      }
      if (state === 'active' || state === 'waiting-children' || state === 'waiting' || state === 'delayed') {
        return {
          outcome: 'refused',
          reason: `rebuild ${rebuildId} is still stopping (its job is ${state}): retry in a moment`,
        };
      }
      const resume: NonNullable<RebuildJobData['resume']> = {};
      if (old && manifest.step === 'embed') {
        const embed: Record<string, EmbedResult> = {};
        const carried = rebuildJobSchema.safeParse(old.data);
        Object.assign(embed, carried.success ? (carried.data.resume?.embed ?? {}) : {});
        for (const [key, value] of Object.entries(await old.getChildrenValues<Partial<EmbedResult>>())) {
          if (key.includes(`:${rebuildId}.embed.`) && typeof value?.embedded === 'number') {
            embed[String(Number(key.slice(key.lastIndexOf('.') + 1)))] = value as EmbedResult;
          }
        }
        resume.embed = embed;
      }
      if (old) {
        try {
          await old.remove({ removeChildren: true });
        } catch (err) {
          return {
            outcome: 'refused',
            reason: `jobs of the previous run of ${rebuildId} are still running (${(err as Error).message}): retry in a moment`,
          };
        }
      }
      await this.deps.cancellation.clear(rebuildId);
      await this.deps.waiting.clearAll(rebuildId);
      const stages = Object.fromEntries(
        Object.entries(manifest.stages).map(([name, stage]) =>
          stage.state === 'failed' || stage.state === 'cancelled' || stage.state === 'running'
            ? [name, { state: 'pending' as const }]
            : [name, stage],
        ),
      );
      const { error: _error, errorKind: _kind, finishedAt: _finished, ...rest } = manifest;
      await this.deps.manifests.save({
        ...rest,
        status: 'running',
        stages,
        retries: (manifest.retries ?? 0) + 1,
      });
      const step = manifest.step === 'done' ? 'publish' : manifest.step;
      await this.addRebuildJob({
        rebuildId,
        spec: manifest.spec,
        step,
        started: false,
        ...(resume.embed ? { resume } : {}),
      });
      return { outcome: 'retrying', rebuildId, step, keptShards: Object.keys(resume.embed ?? {}).length };
    });
    return locked?.value ?? { outcome: 'refused', reason: `rebuild ${rebuildId} is being retried already` };
  }

  /** Every rebuild's manifest, newest first. */
  async list(): Promise<Manifest[]> {
    const manifests: Manifest[] = [];
    for await (const prefix of this.deps.store.listPrefixes(REBUILDS_PREFIX)) {
      const id = rebuildIdOfPrefix(prefix);
      if (id === undefined) continue;
      const manifest = await this.deps.manifests.get(id);
      if (manifest) manifests.push(manifest);
    }
    return manifests.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }
}
