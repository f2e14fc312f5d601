import { embedJobSchema, type EmbedResult } from '@lookalike/core';
import { embedShard, type EmbedShardDeps } from '@lookalike/embedding';
import { defineHandler } from '@lookalike/queue';

/** `embed` job: one plan shard through `embedShard`, its progress reported on the job. */
export function createEmbedShardHandler(deps: EmbedShardDeps) {
  return defineHandler({
    schema: embedJobSchema,
    async handle(data, job, _token, log): Promise<EmbedResult> {
      return embedShard(deps, data, {
        log,
        onProgress: (done, total) => job.updateProgress({ done, total }),
      });
    },
  });
}
