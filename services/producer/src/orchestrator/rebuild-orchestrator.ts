import { WaitingChildrenError, type Job, type Queue } from 'bullmq';
import {
  rebuildJobSchema,
  type Manifest,
  type QueueName,
  type RebuildJobData,
  type RebuildResult,
  type RebuildStep,
} from '@lookalike/core';
import { defineHandler, type CancellationRegistry } from '@lookalike/queue';
import type { ObjectStore } from '@lookalike/storage';
import { ManifestRepository } from './manifest-repository';
import { RebuildFailedError } from './rebuild-failed-error';
import { addStageChildren, stageFailures, stageResults } from './stage-children';
import { nextStep, STEPS, type StepContext } from './steps';

export { RebuildFailedError } from './rebuild-failed-error';

export interface OrchestratorDeps {
  store: ObjectStore;
  openSource: (url: string) => ObjectStore;
  manifests: ManifestRepository;
  cancellation: CancellationRegistry;
  /** The queues child jobs are added to, by name (each job's queue comes from the job registry). */
  queues: Partial<Record<QueueName, Queue>>;
}

/** Marks the stage a rebuild stopped in (cancelled, failed) with that state and its time. */
function endStage(manifest: Manifest, step: RebuildStep, state: 'failed' | 'cancelled', at: Date): void {
  const stage = manifest.stages[step];
  if (!stage || (stage.state !== 'running' && stage.state !== 'pending')) return;
  manifest.stages[step] = {
    ...stage,
    state,
    finishedAt: at.toISOString(),
    ...(stage.startedAt ? { ms: at.getTime() - Date.parse(stage.startedAt) } : {}),
  };
}

/**
 * The rebuild orchestrator: one parent job per rebuild on the `rebuild` queue, running the steps of
 * `steps/` in the order of REBUILD_STEPS. Each step fans out child jobs with deterministic ids and the
 * runner waits for them (BullMQ `moveToWaitingChildren`); the runner alone records stage states, checks
 * for cancellation and records failures. Its state is the job's data (`step`, `started`) and the
 * manifest, so a restart of any process, this one included, resumes where it was.
 */
export function createRebuildOrchestrator(deps: OrchestratorDeps) {
  const { store, manifests } = deps;

  const contextOf = (
    job: Job,
    data: RebuildJobData,
    manifest: Manifest,
    step: RebuildStep,
    log: StepContext['log'],
  ): StepContext => ({
    rebuildId: data.rebuildId,
    spec: data.spec,
    data,
    manifest,
    store,
    openSource: deps.openSource,
    log,
    results: (name) => stageResults(job, data.rebuildId, step, name),
    async result(name) {
      const single = (await stageResults(job, data.rebuildId, step, name)).get(0);
      return single ?? this.failed();
    },
    async failed() {
      const reasons = await stageFailures(job, data.rebuildId, step);
      throw new RebuildFailedError(
        `${step} stage: ${reasons.length > 0 ? reasons.slice(0, 5).join('; ') : 'outputs are missing'}`,
        // Jobs that gave up waiting out an outage (see RetryPolicy) spent their budget; others met input that cannot work.
        reasons.some((reason) => reason.includes(': gave up after ')) ? 'budget' : 'permanent',
      );
    },
  });

  return defineHandler({
    schema: rebuildJobSchema,
    async handle(input, job, token, log): Promise<RebuildResult> {
      let data = input;
      let manifest = await manifests.require(data.rebuildId);
      const save = async () => {
        manifest = await manifests.save(manifest);
      };
      while (data.step !== 'done') {
        if (await deps.cancellation.isCancelled(data.rebuildId)) {
          const at = new Date();
          endStage(manifest, data.step, 'cancelled', at);
          manifest.status = 'cancelled';
          manifest.finishedAt = at.toISOString();
          await save();
          log.info('rebuild cancelled');
          return { status: 'cancelled' };
        }
        const step = data.step;
        const definition = STEPS[step];
        const runs = definition.when(data.spec);
        const ctx = contextOf(job, data, manifest, step, log.child({ step }));
        if (!data.started) {
          manifest.step = step;
          manifest.stages[step] = { state: 'running', startedAt: new Date().toISOString() };
          const children = runs ? await definition.start(ctx) : [];
          manifest.stages[step]!.jobs = children.length;
          await save();
          if (children.length > 0) {
            await addStageChildren(job, deps.queues, data.rebuildId, step, children);
            data = { ...data, started: true };
            await job.updateData(data);
            // Children still running: park the parent until they have all finished (or one failed).
            if (await job.moveToWaitingChildren(token!)) throw new WaitingChildrenError();
          }
        }
        if (runs) await definition.finish?.({ ...ctx, manifest });
        const stage = manifest.stages[step]!;
        const finishedAt = new Date();
        manifest.stages[step] = {
          ...stage,
          state: runs ? 'done' : 'skipped',
          finishedAt: finishedAt.toISOString(),
          ms: stage.startedAt ? finishedAt.getTime() - Date.parse(stage.startedAt) : 0,
        };
        // `took` covers publishing: the rebuild finishes when its last stage does.
        if (nextStep(step) === 'done') manifest.finishedAt = finishedAt.toISOString();
        const next = nextStep(step);
        manifest.step = next;
        await save();
        if (runs) await definition.afterSave?.({ ...ctx, manifest });
        data = { ...data, step: next, started: false };
        await job.updateData(data);
        await job.updateProgress({ step: data.step });
      }
      return { status: manifest.status, counts: manifest.counts };
    },
    /** The rebuild failed for good (a permanent failure, or retries spent): say so in the manifest. */
    async onGiveUp(input, job, error, decision, log) {
      const data = rebuildJobSchema.parse(job.data ?? input);
      const manifest = await manifests.require(data.rebuildId);
      if (manifest.status !== 'running') return;
      const at = new Date();
      endStage(manifest, data.step, 'failed', at);
      manifest.status = 'failed';
      manifest.error = error.message.startsWith(`${data.step} stage`)
        ? error.message
        : `${data.step} stage: ${error.message}`;
      manifest.errorKind = error instanceof RebuildFailedError ? error.kind : decision.kind;
      manifest.finishedAt = at.toISOString();
      await manifests.save(manifest);
      // Jobs of the rebuild still queued are skipped (a retry lifts this).
      await deps.cancellation.cancel(data.rebuildId);
      log.warn({ err: manifest.error, kind: decision.kind }, 'rebuild failed');
    },
  });
}
