import { basename } from 'node:path';
import { qualityJobSchema, type QualityResult } from '@lookalike/core';
import { labelsForRows, measureNeighbourQuality, readArticleLabels } from '@lookalike/neighbour-quality';
import { defineHandler } from '@lookalike/queue';
import { readNeighbourTable } from '@lookalike/rebuild-artifacts';
import { neighbourQualityKey, putJson, splitObjectUrl, type ObjectStore } from '@lookalike/storage';

/**
 * `quality` job: how often the rebuild's neighbours share their article's product type, group, colour, appearance
 * and product code (beside chance), from `articles.csv`; writes `neighbour-quality.json`. Linear in articles × k:
 * about a second at 105k articles.
 */
export function createQualityHandler(deps: { store: ObjectStore; openSource: (url: string) => ObjectStore }) {
  return defineHandler({
    schema: qualityJobSchema,
    async handle(data): Promise<QualityResult> {
      const started = Date.now();
      const table = await readNeighbourTable(deps.store, data.rebuildId, data.parts);
      const { storeUrl, key } = splitObjectUrl(data.articles);
      const read = await readArticleLabels(await deps.openSource(storeUrl).getStream(key), {
        file: basename(key),
        lenient: data.lenient,
      });
      const report = measureNeighbourQuality(table, labelsForRows(table.articleIds, read));
      await putJson(deps.store, neighbourQualityKey(data.rebuildId), report);
      return { report, ms: Date.now() - started };
    },
  });
}
