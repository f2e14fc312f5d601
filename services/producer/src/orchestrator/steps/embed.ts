import { shardFailuresSchema, type EmbedResult, type Manifest } from '@lookalike/core';
import {
  embeddingsFailuresKey,
  embeddingsPrefix,
  embeddingsShardKey,
  getJson,
  OUTPUT_SUFFIX,
} from '@lookalike/storage';
import { RebuildFailedError } from '../rebuild-failed-error';
import { childJob } from '../stage-children';
import { always, outputKeys, type Step, type StepContext } from './step';

const MAX_FAILURE_EXAMPLES = 20;

/** Embed shards a previous run completed: carried results whose output still exists. */
async function keptShards({ data, store, rebuildId }: StepContext): Promise<Map<number, EmbedResult>> {
  const kept = new Map<number, EmbedResult>();
  for (const [shard, result] of Object.entries(data.resume?.embed ?? {})) {
    if (await store.exists(embeddingsShardKey(rebuildId, Number(shard)))) kept.set(Number(shard), result);
  }
  return kept;
}

/** One `embed` job per plan shard; records counts, failures by reason and the model. */
export const embed: Step = {
  name: 'embed',
  when: always,
  async start(ctx) {
    const { rebuildId, spec, manifest } = ctx;
    // A retried rebuild keeps the shards a previous run completed (their results and outputs).
    const kept = await keptShards(ctx);
    return Array.from({ length: manifest.counts.shards }, (_, shard) => shard)
      .filter((shard) => !kept.has(shard))
      .map((shard) =>
        childJob(
          'embed',
          {
            rebuildId,
            shard,
            modelUrl: spec.modelUrl,
            batchSize: spec.batchSize,
            padding: spec.padding,
          },
          shard,
        ),
      );
  },
  async finish(ctx) {
    const { rebuildId, spec, manifest, store } = ctx;
    const results = await ctx.results('embed');
    for (const [shard, result] of await keptShards(ctx)) if (!results.has(shard)) results.set(shard, result);
    const shards = manifest.counts.shards;
    const outputs = await outputKeys(store, embeddingsPrefix(rebuildId), OUTPUT_SUFFIX.embeddingsShard);
    if (results.size !== shards || outputs.size !== shards) await ctx.failed();
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
        const file = await getJson(store, embeddingsFailuresKey(rebuildId, shard), (v) =>
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
    if (counts.embedded <= spec.k) {
      throw new RebuildFailedError(
        `only ${counts.embedded} images could be embedded: k=${spec.k} neighbours need at least ${spec.k + 1}`,
      );
    }
  },
};
