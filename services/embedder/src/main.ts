import { QUEUES } from '@lookalike/core';
import { runWorkerService } from '@lookalike/service-runtime';
import { Embedder } from '@lookalike/vision';
import { createEmbedShardHandler } from './embed-shard';

/** Embedding worker: one process per GPU or CPU core, on any number of machines. */
const embedders = new Map<string, Promise<Embedder>>();

runWorkerService({
  service: 'embedder',
  queue: QUEUES.embed,
  handlers: (ctx) => {
    const embedderFor = (modelUrl: string | undefined, batchSize: number) => {
      const model = modelUrl ?? ctx.config.modelUrl;
      const key = `${model}#${batchSize}`;
      let embedder = embedders.get(key);
      if (!embedder) {
        embedder = Embedder.create({ model, batchSize, backend: ctx.config.backend, logger: ctx.logger });
        embedder.catch(() => embedders.delete(key));
        embedders.set(key, embedder);
      }
      return embedder;
    };
    return { embed: createEmbedShardHandler({ store: ctx.store, openSource: ctx.openSource, embedderFor }) };
  },
  dispose: async () => {
    for (const embedder of embedders.values()) (await embedder.catch(() => undefined))?.dispose();
  },
}).catch((err) => {
  process.stderr.write(`embedder: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
