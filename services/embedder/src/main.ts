import {
  checkModelUrl,
  createGuardedFetch,
  modelUrlPolicyFor,
  type PaddingMode,
  QUEUES,
} from '@lookalike/core';
import { runWorkerService } from '@lookalike/service-runtime';
import { Embedder, ModelLoadError } from '@lookalike/vision';
import { createEmbedShardHandler } from './embed-shard';

/** Embedding worker: one process per GPU or CPU core, on any number of machines. */
const embedders = new Map<string, Promise<Embedder>>();

runWorkerService({
  service: 'embedder',
  queue: QUEUES.embed,
  handlers: (ctx) => {
    // A rebuild's model URL is checked again here (after the producer) and fetched from allowed addresses only.
    const modelPolicy = modelUrlPolicyFor(ctx.config);
    const guardedFetch = createGuardedFetch({ allowedHosts: ctx.config.allowedModelHosts });
    const embedderFor = async (modelUrl: string | undefined, batchSize: number, padding: PaddingMode) => {
      const model = modelUrl ?? ctx.config.modelUrl;
      const refused = await checkModelUrl(model, modelPolicy);
      if (refused !== undefined) throw new ModelLoadError(`modelUrl: ${refused}`);
      const key = `${model}#${batchSize}#${padding}`;
      let embedder = embedders.get(key);
      if (!embedder) {
        embedder = Embedder.create({
          model,
          fetch: model === ctx.config.modelUrl ? undefined : guardedFetch,
          // The configured output names a node of the configured model only.
          outputNode: model === ctx.config.modelUrl ? ctx.config.modelOutput : undefined,
          batchSize,
          preprocess: { padding },
          backend: ctx.config.backend,
          threads: ctx.config.threads,
          modelCacheDir: ctx.config.modelCacheDir,
          logger: ctx.logger,
        });
        embedder.catch(() => embedders.delete(key));
        embedders.set(key, embedder);
      }
      return embedder;
    };
    return { embed: createEmbedShardHandler({ store: ctx.store, openSource: ctx.openSource, embedderFor }) };
  },
  dispose: async () => {
    for (const embedder of embedders.values()) await (await embedder.catch(() => undefined))?.dispose();
  },
}).catch((err) => {
  process.stderr.write(`embedder: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
