import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startLocalStack, type LocalStack } from '@lookalike/cli';
import { testServerEnv } from '@lookalike/local-servers';
import { readNeighbourTable } from '@lookalike/rebuild-artifacts';
import { combineEvaluations, loadDataset, METHODS, prepareModel, recommendRange } from '@lookalike/recsys';
import { generateSample } from '@lookalike/sample-data';
import { evaluationKey, openObjectStore, submissionKey, type ObjectStore } from '@lookalike/storage';
import { api, completedJobs, servicesS3Env, testS3Options, waitForRebuild } from './helpers';

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/**
 * An independent MAP@12 of a submission: the competition's AP@12 (a prediction counts at its first position,
 * divided by min(bought, 12)) over the customers who bought in the last `days` days of the transactions file,
 * from the two CSVs alone (plain strings, no code of the project).
 */
function referenceMap12(
  transactionsCsv: string,
  submissionCsv: string,
  days = 7,
): { map12: number; customers: number } {
  const rows = transactionsCsv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const last = rows.reduce((m, r) => (r[0]! > m ? r[0]! : m), '');
  const from = new Date(Date.parse(`${last}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const bought = new Map<string, Set<string>>();
  for (const [date, customer, article] of rows) {
    if (date! >= from) bought.set(customer!, (bought.get(customer!) ?? new Set()).add(article!));
  }
  const predicted = new Map(
    submissionCsv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => [l.split(',')[0]!, l.split(',')[1]!.split(' ')] as const),
  );
  let sum = 0;
  for (const [customer, actual] of bought) {
    const list = predicted.get(customer) ?? [];
    let hits = 0;
    let score = 0;
    list.slice(0, 12).forEach((p, i) => {
      if (actual.has(p) && list.indexOf(p) === i) score += ++hits / (i + 1);
    });
    sum += score / Math.min(actual.size, 12);
  }
  return { map12: sum / bought.size, customers: bought.size };
}

/**
 * The recommend stage distributed over two recommender processes, on an H&M-shaped sample kept in
 * S3: the submission covers every customer exactly once, the MAP@12 of the distributed run equals
 * a single-process computation over the same inputs, the rebuild's recommender options reach the
 * model, and the submission's MAP@12 recomputed independently from submission.csv and the held-out
 * week equals what evaluation.json reports.
 */
describe('recommendations end to end (two recommender processes, Redis, S3)', () => {
  const env = testServerEnv();
  const s3 = testS3Options(env);
  const root = `s3://${env.LOOKALIKE_TEST_S3_BUCKET}/rec-${Date.now()}`;
  let tmp: string;
  let sampleDir: string;
  let data: ObjectStore;
  let store: ObjectStore;
  let stack: LocalStack;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'lookalike-rec-'));
    sampleDir = join(tmp, 'sample');
    await generateSample({ outDir: sampleDir, articles: 160, customers: 700, transactions: 14_000, seed: 7 });
    data = openObjectStore(`${root}/hm`, s3);
    for await (const path of walk(sampleDir)) await data.put(relative(sampleDir, path), await readFile(path));
    store = openObjectStore(`${root}/store`, s3);
    stack = await startLocalStack({
      embedders: 2,
      reducers: 1,
      indexers: 1,
      recommenders: 2,
      storageDir: join(tmp, 'storage'),
      storageUrl: `${root}/store`,
      redisUrl: env.LOOKALIKE_TEST_REDIS_URL,
      env: {
        LOG_LEVEL: 'warn',
        LOOKALIKE_QUEUE_PREFIX: `rec${Date.now()}`,
        LOOKALIKE_ALLOWED_LOCATIONS: `${root}/hm`,
        ...servicesS3Env(s3),
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await data?.close();
    await store?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('recommends 12 valid articles to every customer and evaluates exactly like one process', async () => {
    const submitted = await api<{ rebuildId: string }>(stack.apiUrl, '/rebuilds', {
      method: 'POST',
      body: JSON.stringify({
        id: 'rec-1',
        images: `${root}/hm/images`,
        articles: `${root}/hm/articles.csv`,
        transactions: `${root}/hm/transactions_train.csv`,
        customers: `${root}/hm/customers.csv`,
        shardSize: 40,
        pcaDims: 32,
        customersPerJob: 150,
        recommend: { visualWeight: 0.2 },
      }),
    });
    expect(submitted.status).toBe(202);
    const { manifest } = await waitForRebuild(stack.apiUrl, 'rec-1', 240_000);
    expect(manifest.error).toBeUndefined();
    expect(manifest.status).toBe('completed');
    expect(manifest.recommend).toMatchObject({ customers: 700, parts: 5, submissionMethod: 'hybrid' });
    expect(manifest.recommend!.options).toMatchObject({ visualWeight: 0.2, trendingWeight: 0.35 });

    // Every customer of customers.csv exactly once, with 12 distinct articles of the catalogue.
    const customerIds = (await readFile(join(sampleDir, 'customers.csv'), 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]!);
    const articleIds = new Set(
      (await readFile(join(sampleDir, 'articles.csv'), 'utf8'))
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]!),
    );
    const lines = (await store.get(submissionKey('rec-1'))).toString('utf8').trim().split('\n');
    expect(lines[0]).toBe('customer_id,prediction');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => r[0]).sort()).toEqual([...customerIds].sort());
    for (const [, prediction] of rows) {
      const ids = prediction!.split(' ');
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
      expect(ids.every((id) => articleIds.has(id))).toBe(true);
    }

    // The same computation in this process, over the same files and the same neighbour table.
    const { dataset } = await loadDataset({
      transactions: join(sampleDir, 'transactions_train.csv'),
      customers: join(sampleDir, 'customers.csv'),
      articles: join(sampleDir, 'articles.csv'),
    });
    const neighbours = await readNeighbourTable(store, 'rec-1', manifest.counts.neighbourParts);
    const { model } = prepareModel(dataset, neighbours, { holdoutDays: 7, recommend: { visualWeight: 0.2 } });
    const single = recommendRange(model, 0, model.customers.size);
    const expected = METHODS.map((m) => combineEvaluations([single.evaluation[m]!]));
    expect(manifest.recommend!.methods!.map((m) => [m.name, m.map12, m.recall12])).toEqual(
      expected.map((e) => [e.method, e.map12, e.recall12]),
    );

    // The reference check: submission.csv's MAP@12, recomputed from the CSVs alone, is what evaluation.json says.
    const evaluation = JSON.parse((await store.get(evaluationKey('rec-1'))).toString('utf8')) as {
      submissionMethod: string;
      options: Record<string, unknown>;
      methods: { method: string; map12: number; evaluated: number }[];
    };
    expect(evaluation.submissionMethod).toBe('hybrid');
    expect(evaluation.options).toMatchObject({ visualWeight: 0.2 });
    const reported = evaluation.methods.find((m) => m.method === evaluation.submissionMethod)!;
    const reference = referenceMap12(
      await readFile(join(sampleDir, 'transactions_train.csv'), 'utf8'),
      lines.join('\n'),
    );
    expect(reference.customers).toBe(reported.evaluated);
    expect(reference.map12).toBeGreaterThan(0);
    expect(reference.map12).toBeCloseTo(reported.map12, 12);

    // Both recommender processes did part of the work.
    for (const name of ['recommender-1', 'recommender-2']) {
      const jobs = await completedJobs(stack.healthUrls[name]!.replace(/\/healthz$/, '/metrics'));
      expect({ name, worked: jobs > 0 }).toEqual({ name, worked: true });
    }

    // The API answers a customer's recommendations from the published rebuild.
    const [customer, prediction] = rows[3]!;
    const answer = await api<{ articles: string[]; rebuildId: string }>(
      stack.apiUrl,
      `/customers/${customer}/recommendations`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      rebuildId: 'rec-1',
      method: 'hybrid',
      articles: prediction!.split(' '),
    });
    expect((await api(stack.apiUrl, '/customers/nobody/recommendations')).status).toBe(404);
  });
});
