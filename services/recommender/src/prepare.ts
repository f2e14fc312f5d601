import { Readable } from 'node:stream';
import { prepareRecommendJobSchema, type PrepareRecommendResult } from '@lookalike/core';
import { defineHandler, UnrecoverableError } from '@lookalike/queue';
import { readNeighbourTable } from '@lookalike/rebuild-artifacts';
import { DEFAULT_METHOD, encodeModelChunks, loadDataset, prepareModel } from '@lookalike/recsys';
import { ObjectNotFoundError, recommendModelKey, splitObjectUrl, type ObjectStore } from '@lookalike/storage';

/**
 * `prepare` job: streams the H&M CSVs (from S3 or local files) and the rebuild's neighbour table
 * into the compact recommendation model (time split, histories, popularity, cold-start links)
 * and writes it once for every `recommend` job to load, with the rebuild's recommender options recorded in it.
 */
export function createPrepareHandler(deps: { store: ObjectStore; openSource: (url: string) => ObjectStore }) {
  const open = async (field: string, url: string) => {
    const { storeUrl, key } = splitObjectUrl(url);
    try {
      return await deps.openSource(storeUrl).getStream(key);
    } catch (err) {
      // Permanent: the rebuild fails at once, naming the file.
      if (err instanceof ObjectNotFoundError) throw new UnrecoverableError(`${field}: ${url} does not exist`);
      throw err;
    }
  };
  return defineHandler({
    schema: prepareRecommendJobSchema,
    async handle(data, job): Promise<PrepareRecommendResult> {
      const started = Date.now();
      const { dataset, report } = await loadDataset({
        transactions: await open('transactions', data.transactions),
        customers: await open('customers', data.customers),
        ...(data.articles ? { articles: await open('articles', data.articles) } : {}),
        // Errors name the files as given; with articles.csv, a sale of an article not in it is a malformed row.
        names: {
          transactions: data.transactions,
          customers: data.customers,
          ...(data.articles ? { articles: data.articles } : {}),
        },
        knownArticlesOnly: data.articles !== undefined,
        lenient: data.lenient,
        onProgress: (file, rows) => void job.updateProgress({ file, rows }).catch(() => undefined),
      });
      const neighbours = await readNeighbourTable(deps.store, data.rebuildId, data.parts);
      // Synchronous, a few linear passes: seconds at H&M size (see the recsys benchmark).
      const { model, report: prepared } = prepareModel(dataset, neighbours, {
        holdoutDays: data.holdoutDays,
        ...(data.recommend ? { recommend: data.recommend } : {}),
      });
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
        recommendOptions: { ...model.recommendOptions },
        submissionMethod: DEFAULT_METHOD,
        unlistedCustomers: report.unlistedCustomers,
        ms: Date.now() - started,
      };
    },
  });
}
