import { Readable } from 'node:stream';
import { prepareRecommendJobSchema, type PrepareRecommendResult } from '@lookalike/core';
import { defineHandler } from '@lookalike/queue';
import { readNeighbourTable } from '@lookalike/rebuild-artifacts';
import { encodeModelChunks, loadDataset, prepareModel } from '@lookalike/recsys';
import { recommendModelKey, splitObjectUrl, type ObjectStore } from '@lookalike/storage';

/**
 * `prepare` job: streams the H&M CSVs (from S3 or local files) and the rebuild's neighbour table
 * into the compact recommendation model (time split, histories, popularity, cold-start links)
 * and writes it once for every `recommend` job to load.
 */
export function createPrepareHandler(deps: { store: ObjectStore; openSource: (url: string) => ObjectStore }) {
  const open = async (url: string) => {
    const { storeUrl, key } = splitObjectUrl(url);
    return deps.openSource(storeUrl).getStream(key);
  };
  return defineHandler({
    schema: prepareRecommendJobSchema,
    async handle(data, job): Promise<PrepareRecommendResult> {
      const started = Date.now();
      const { dataset, report } = await loadDataset({
        transactions: await open(data.transactions),
        customers: await open(data.customers),
        ...(data.articles ? { articles: await open(data.articles) } : {}),
        lenient: data.lenient,
        onProgress: (file, rows) => void job.updateProgress({ file, rows }).catch(() => undefined),
      });
      const neighbours = await readNeighbourTable(deps.store, data.rebuildId, data.parts);
      // Synchronous, a few linear passes: seconds at H&M size (see the recsys benchmark).
      const { model, report: prepared } = prepareModel(dataset, neighbours, { holdoutDays: data.holdoutDays });
      await deps.store.put(recommendModelKey(data.rebuildId), Readable.from(encodeModelChunks(model)));
      const skippedRows: Record<string, number> = {};
      for (const file of report.files) if (file.skipped > 0) skippedRows[file.file] = file.skipped;
      return {
        customers: model.customers.size,
        articles: model.articles.size,
        historyRows: prepared.historyRows,
        holdoutRows: prepared.holdoutRows,
        holdoutCustomers: prepared.holdoutCustomers,
        newArticles: prepared.newArticles,
        newArticlesSoldInHoldout: prepared.newArticlesSoldInHoldout,
        skippedRows,
        ms: Date.now() - started,
      };
    },
  });
}
