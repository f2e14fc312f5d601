import { UnrecoverableError, WaitingChildrenError, type Job, type Queue } from 'bullmq';
import {
  JOB_NAMES,
  REBUILD_STEPS,
  rebuildJobSchema,
  shardFailuresSchema,
  type EmbedResult,
  type FitResult,
  type Logger,
  type Manifest,
  type RebuildJobData,
  type RebuildStep,
  type BuildIndexResult,
  type PrepareRecommendResult,
  type QualityResult,
} from '@lookalike/core';
import { defineHandler, type CancellationRegistry } from '@lookalike/queue';
import {
  currentPointerKey,
  embeddingsFailuresKey,
  embeddingsPrefix,
  embeddingsShardKey,
  getJson,
  indexKey,
  neighboursPartKey,
  neighboursPrefix,
  putJson,
  recommendationsEvalKey,
  recommendationsPrefix,
  reducedPrefix,
  reducedShardKey,
  type ObjectStore,
} from '@lookalike/storage';
import { addStageChildren, stageFailures, stageResults, type ChildSpec } from './stage-children';
import { ManifestRepository } from './manifest-repository';
import { planRebuild } from './planner';
import { mergeNeighbours } from './merge-neighbours';
import { writeGallery } from './gallery-writer';
import { combinePartEvaluations, methodFigures, writeEvaluation, writeSubmission } from './recommend-outputs';

export interface OrchestratorDeps {
  store: ObjectStore;
  openSource: (url: string) => ObjectStore;
  manifests: ManifestRepository;
  cancellation: CancellationRegistry;
  queues: { embed: Queue; reduce: Queue; index: Queue; recommend: Queue };
}

/** A rebuild that cannot succeed (bad input, a stage whose jobs failed after their retries). */
export class RebuildFailedError extends UnrecoverableError {
  constructor(message: string) {
    super(message);
    this.name = 'RebuildFailedError';
  }
}

const MAX_FAILURE_EXAMPLES = 20;

interface StepContext {
  job: Job;
  data: RebuildJobData;
  manifest: Manifest;
  log: Logger;
}

/** One step of a rebuild: fan out child jobs (or do the work inline), then check and record. */
interface StepDefinition {
  /** Child jobs to wait for; [] when the step ran inline or has nothing to do. */
  start(ctx: StepContext): Promise<ChildSpec[]>;
  /** After the children completed: verify every output exists and update the manifest. */
  finish?(ctx: StepContext): Promise<void>;
  /** After the manifest recording the step as done was saved (publish moves `current`). */
  afterSave?(ctx: StepContext): Promise<void>;
}

function nextStep(step: RebuildStep): RebuildStep {
  return REBUILD_STEPS[REBUILD_STEPS.indexOf(step) + 1] ?? 'done';
}

async function countKeys(store: ObjectStore, prefix: string, suffix: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const entry of store.list(prefix)) if (entry.key.endsWith(suffix)) keys.add(entry.key);
  return keys;
}

/**
 * The rebuild orchestrator: one parent job per rebuild on the `rebuild` queue, advancing
 * plan → embed → fit → project → build-index → neighbours → merge → prepare-recommend → recommend → publish. Each step fans out
 * child jobs with deterministic ids and waits for them (BullMQ `moveToWaitingChildren`). Its state
 * is the job's data (`step`, `started`) and the manifest, so a restart of any process, this one
 * included, resumes where it was.
 */
export function createRebuildOrchestrator(deps: OrchestratorDeps) {
  const { store, manifests } = deps;

  async function failedChildren(ctx: StepContext, step: RebuildStep): Promise<never> {
    const reasons = await stageFailures(ctx.job, ctx.data.rebuildId, step);
    throw new RebuildFailedError(
      `${step} stage: ${reasons.length > 0 ? reasons.slice(0, 5).join('; ') : 'outputs are missing'}`,
    );
  }

  /** Embed shards a previous run completed: carried results whose output still exists. */
  async function keptEmbedShards(data: RebuildJobData): Promise<Map<number, EmbedResult>> {
    const kept = new Map<number, EmbedResult>();
    for (const [shard, result] of Object.entries(data.resume?.embed ?? {})) {
      if (await store.exists(embeddingsShardKey(data.rebuildId, Number(shard))))
        kept.set(Number(shard), result);
    }
    return kept;
  }

  const steps: Record<Exclude<RebuildStep, 'done'>, StepDefinition> = {
    plan: {
      async start({ data, manifest, log }) {
        const summary = await planRebuild(data.rebuildId, data.spec, store, deps.openSource, log);
        manifest.counts.planned = summary.planned;
        manifest.counts.shards = summary.shards;
        manifest.counts.ignoredFiles = summary.ignoredFiles.length;
        manifest.counts.missingImages = summary.missingImages.length;
        if (data.spec.articles) manifest.counts.skippedArticleRows = summary.skippedArticleRows;
        if (summary.planned === 0)
          throw new RebuildFailedError(`no article images found under ${data.spec.images}`);
        return [];
      },
    },
    embed: {
      async start({ data, manifest }) {
        // A retried rebuild keeps the shards a previous run completed (their results and outputs).
        const kept = await keptEmbedShards(data);
        return Array.from({ length: manifest.counts.shards }, (_, shard) => shard)
          .filter((shard) => !kept.has(shard))
          .map((shard) => ({
            queue: deps.queues.embed,
            name: JOB_NAMES.embed,
            n: shard,
            data: {
              rebuildId: data.rebuildId,
              shard,
              modelUrl: data.spec.modelUrl,
              batchSize: data.spec.batchSize,
              padding: data.spec.padding,
            },
          }));
      },
      async finish(ctx) {
        const { data, manifest } = ctx;
        const results = await stageResults<EmbedResult>(ctx.job, data.rebuildId, 'embed');
        for (const [shard, result] of await keptEmbedShards(data))
          if (!results.has(shard)) results.set(shard, result);
        const shards = manifest.counts.shards;
        const outputs = await countKeys(store, embeddingsPrefix(data.rebuildId), '.vec');
        if (results.size !== shards || outputs.size !== shards) await failedChildren(ctx, 'embed');
        const counts = { embedded: 0, failed: 0, cached: 0 };
        const byReason: Record<string, number> = {};
        const examples: Manifest['failures']['examples'] = [];
        let maxEventLoopDelayMs: number | undefined;
        let provider: string | undefined;
        for (let shard = 0; shard < shards; shard++) {
          const result = results.get(shard)!;
          counts.embedded += result.embedded;
          counts.failed += result.failed;
          counts.cached += result.cached;
          manifest.model = { id: result.modelId, dim: result.dim };
          provider ??= result.provider;
          if (result.maxEventLoopDelayMs !== undefined) {
            maxEventLoopDelayMs = Math.max(maxEventLoopDelayMs ?? 0, result.maxEventLoopDelayMs);
          }
          if (result.failed > 0) {
            const file = await getJson(store, embeddingsFailuresKey(data.rebuildId, shard), (v) =>
              shardFailuresSchema.parse(v),
            );
            for (const failure of file.failures) {
              byReason[failure.reason] = (byReason[failure.reason] ?? 0) + 1;
              if (examples.length < MAX_FAILURE_EXAMPLES) examples.push(failure);
            }
          }
        }
        Object.assign(manifest.counts, counts);
        manifest.failures = { byReason, examples };
        manifest.embedding = {
          ...(provider !== undefined ? { provider } : {}),
          ...(maxEventLoopDelayMs !== undefined ? { maxEventLoopDelayMs } : {}),
        };
        if (counts.embedded + counts.failed !== manifest.counts.planned) {
          throw new RebuildFailedError(
            `embed stage: embedded ${counts.embedded} + failed ${counts.failed} != planned ${manifest.counts.planned}`,
          );
        }
        if (counts.embedded <= data.spec.k) {
          throw new RebuildFailedError(
            `only ${counts.embedded} images could be embedded: k=${data.spec.k} neighbours need at least ${data.spec.k + 1}`,
          );
        }
      },
    },
    fit: {
      async start({ data, manifest }) {
        if (data.spec.pcaDims === 0) return [];
        return [
          {
            queue: deps.queues.reduce,
            name: JOB_NAMES.fit,
            data: {
              rebuildId: data.rebuildId,
              shards: manifest.counts.shards,
              dims: data.spec.pcaDims,
              sampleSize: data.spec.pcaSampleSize,
              powerNorm: data.spec.powerNorm,
            },
          },
        ];
      },
      async finish(ctx) {
        if (ctx.data.spec.pcaDims === 0) return;
        const result = (await stageResults<FitResult>(ctx.job, ctx.data.rebuildId, 'fit')).get(0);
        if (!result) await failedChildren(ctx, 'fit');
        const { ms: _ms, ...pca } = result!;
        ctx.manifest.pca = pca;
      },
    },
    project: {
      async start({ data, manifest }) {
        const done = await countKeys(store, reducedPrefix(data.rebuildId), '.vec');
        return Array.from({ length: manifest.counts.shards }, (_, shard) => ({
          queue: deps.queues.reduce,
          name: JOB_NAMES.project,
          n: shard,
          data: {
            rebuildId: data.rebuildId,
            shard,
            reduce: data.spec.pcaDims > 0,
            powerNorm: data.spec.powerNorm,
            whiten: data.spec.pcaWhiten,
          },
        })).filter((child) => !done.has(reducedShardKey(data.rebuildId, child.n)));
      },
      async finish(ctx) {
        const outputs = await countKeys(store, reducedPrefix(ctx.data.rebuildId), '.vec');
        if (outputs.size !== ctx.manifest.counts.shards) await failedChildren(ctx, 'project');
      },
    },
    'build-index': {
      async start({ data, manifest }) {
        return [
          {
            queue: deps.queues.index,
            name: JOB_NAMES.buildIndex,
            data: { rebuildId: data.rebuildId, shards: manifest.counts.shards },
          },
        ];
      },
      async finish(ctx) {
        const result = (await stageResults<BuildIndexResult>(ctx.job, ctx.data.rebuildId, 'build-index')).get(
          0,
        );
        if (!result || !(await store.exists(indexKey(ctx.data.rebuildId))))
          await failedChildren(ctx, 'build-index');
        if (result!.rows !== ctx.manifest.counts.embedded) {
          throw new RebuildFailedError(
            `index has ${result!.rows} rows, ${ctx.manifest.counts.embedded} were embedded`,
          );
        }
      },
    },
    neighbours: {
      async start({ data, manifest }) {
        const rows = manifest.counts.embedded;
        const perJob = data.spec.neighbourRowsPerJob;
        const parts = Math.ceil(rows / perJob);
        manifest.counts.neighbourParts = parts;
        const done = await countKeys(store, neighboursPrefix(data.rebuildId), '.bin');
        return Array.from({ length: parts }, (_, part) => ({
          queue: deps.queues.index,
          name: JOB_NAMES.neighbours,
          n: part,
          data: {
            rebuildId: data.rebuildId,
            part,
            start: part * perJob,
            end: Math.min(rows, (part + 1) * perJob),
            k: data.spec.k,
          },
        })).filter((child) => !done.has(neighboursPartKey(data.rebuildId, child.n)));
      },
      async finish(ctx) {
        const outputs = await countKeys(store, neighboursPrefix(ctx.data.rebuildId), '.bin');
        if (outputs.size !== ctx.manifest.counts.neighbourParts) await failedChildren(ctx, 'neighbours');
      },
    },
    merge: {
      async start({ data, manifest }) {
        const summary = await mergeNeighbours(store, data.rebuildId, manifest.counts.neighbourParts);
        manifest.counts.indexed = summary.rows;
        return [];
      },
    },
    quality: {
      async start({ data, manifest }) {
        if (!data.spec.articles) return [];
        return [
          {
            queue: deps.queues.index,
            name: JOB_NAMES.quality,
            data: {
              rebuildId: data.rebuildId,
              articles: data.spec.articles,
              parts: manifest.counts.neighbourParts,
              lenient: data.spec.lenient,
            },
          },
        ];
      },
      async finish(ctx) {
        if (!ctx.data.spec.articles) return;
        const result = (await stageResults<QualityResult>(ctx.job, ctx.data.rebuildId, 'quality')).get(0);
        if (!result) await failedChildren(ctx, 'quality');
        else ctx.manifest.quality = result.report;
      },
    },
    'prepare-recommend': {
      async start({ data, manifest }) {
        const { transactions, customers, articles } = data.spec;
        if (!transactions || !customers) return [];
        return [
          {
            queue: deps.queues.recommend,
            name: JOB_NAMES.prepareRecommend,
            data: {
              rebuildId: data.rebuildId,
              transactions,
              customers,
              ...(articles ? { articles } : {}),
              holdoutDays: data.spec.holdoutDays,
              parts: manifest.counts.neighbourParts,
              lenient: data.spec.lenient,
              ...(data.spec.recommend ? { recommend: data.spec.recommend } : {}),
            },
          },
        ];
      },
      async finish(ctx) {
        if (!ctx.data.spec.transactions) return;
        const result = (
          await stageResults<PrepareRecommendResult>(ctx.job, ctx.data.rebuildId, 'prepare-recommend')
        ).get(0);
        if (!result) await failedChildren(ctx, 'prepare-recommend');
        const r = result!;
        ctx.manifest.recommend = {
          customers: r.customers,
          holdoutCustomers: r.holdoutCustomers,
          newArticles: r.newArticles,
          newArticlesSoldInHoldout: r.newArticlesSoldInHoldout,
          parts: Math.ceil(r.customers / ctx.data.spec.customersPerJob),
          skippedRows: r.skippedRows,
          ...(r.submissionMethod ? { submissionMethod: r.submissionMethod } : {}),
          ...(r.recommendOptions ? { options: r.recommendOptions } : {}),
          ...(r.unlistedCustomers !== undefined ? { unlistedCustomers: r.unlistedCustomers } : {}),
        };
      },
    },
    recommend: {
      async start({ data, manifest }) {
        if (!manifest.recommend) return [];
        const per = data.spec.customersPerJob;
        const done = await countKeys(store, recommendationsPrefix(data.rebuildId), '.eval.json');
        return Array.from({ length: manifest.recommend.parts }, (_, part) => ({
          queue: deps.queues.recommend,
          name: JOB_NAMES.recommend,
          n: part,
          data: {
            rebuildId: data.rebuildId,
            part,
            start: part * per,
            end: Math.min(manifest.recommend!.customers, (part + 1) * per),
          },
        })).filter((child) => !done.has(recommendationsEvalKey(data.rebuildId, child.n)));
      },
      async finish(ctx) {
        const { manifest, data } = ctx;
        if (!manifest.recommend) return;
        const parts = manifest.recommend.parts;
        const outputs = await countKeys(store, recommendationsPrefix(data.rebuildId), '.eval.json');
        if (outputs.size !== parts) await failedChildren(ctx, 'recommend');
        await writeSubmission(store, data.rebuildId, parts);
        const results = await combinePartEvaluations(store, data.rebuildId, parts);
        manifest.recommend.methods = methodFigures(results);
        await writeEvaluation(store, manifest, results);
      },
    },
    publish: {
      async start({ manifest, log }) {
        // The gallery shows the rebuild as completed; `finishedAt` is set again once publishing is over.
        manifest.status = 'completed';
        manifest.finishedAt = new Date().toISOString();
        await writeGallery(store, deps.openSource, manifest, log);
        return [];
      },
      async afterSave({ data, manifest }) {
        // The manifest first, then the pointer: a reader that follows `current` finds a complete rebuild.
        if (data.spec.publish) {
          await putJson(store, currentPointerKey(), {
            rebuildId: data.rebuildId,
            publishedAt: manifest.finishedAt,
          });
        }
      },
    },
  };

  const skipped = (data: RebuildJobData, step: RebuildStep) =>
    (step === 'fit' && data.spec.pcaDims === 0) ||
    (step === 'quality' && !data.spec.articles) ||
    ((step === 'prepare-recommend' || step === 'recommend') && !data.spec.transactions);

  /** Marks the stage a rebuild stopped in (cancelled, failed) with that state and its time. */
  const endStage = (manifest: Manifest, step: RebuildStep, state: 'failed' | 'cancelled', at: Date) => {
    const stage = manifest.stages[step];
    if (!stage || (stage.state !== 'running' && stage.state !== 'pending')) return;
    manifest.stages[step] = {
      ...stage,
      state,
      finishedAt: at.toISOString(),
      ...(stage.startedAt ? { ms: at.getTime() - Date.parse(stage.startedAt) } : {}),
    };
  };

  return defineHandler({
    schema: rebuildJobSchema,
    async handle(input, job, token, log) {
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
        const definition = steps[step];
        const ctx: StepContext = { job, data, manifest, log: log.child({ step }) };
        if (!data.started) {
          manifest.step = step;
          manifest.stages[step] = { state: 'running', startedAt: new Date().toISOString() };
          const children = await definition.start(ctx);
          manifest.stages[step]!.jobs = children.length;
          await save();
          if (children.length > 0) {
            await addStageChildren(job, data.rebuildId, step, children);
            data = { ...data, started: true };
            await job.updateData(data);
            // Children still running: park the parent until they have all finished (or one failed).
            if (await job.moveToWaitingChildren(token!)) throw new WaitingChildrenError();
          }
        }
        await definition.finish?.({ ...ctx, manifest });
        const stage = manifest.stages[step]!;
        const finishedAt = new Date();
        manifest.stages[step] = {
          ...stage,
          state: skipped(data, step) ? 'skipped' : 'done',
          finishedAt: finishedAt.toISOString(),
          ms: stage.startedAt ? finishedAt.getTime() - Date.parse(stage.startedAt) : 0,
        };
        // `took` covers publishing: the rebuild finishes when its last stage does.
        if (step === 'publish') manifest.finishedAt = finishedAt.toISOString();
        const next = nextStep(step);
        manifest.step = next;
        await save();
        await definition.afterSave?.({ ...ctx, manifest });
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
      manifest.errorKind = decision.kind;
      manifest.finishedAt = at.toISOString();
      await manifests.save(manifest);
      // Jobs of the rebuild still queued are skipped (a retry lifts this).
      await deps.cancellation.cancel(data.rebuildId);
      log.warn({ err: manifest.error, kind: decision.kind }, 'rebuild failed');
    },
  });
}
