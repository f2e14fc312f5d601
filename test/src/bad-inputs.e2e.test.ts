import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli, startLocalStack, type LocalStack } from '@lookalike/cli';
import { testServerEnv } from '@lookalike/local-servers';
import { generateSample } from '@lookalike/sample-data';
import { openObjectStore, type ObjectStore } from '@lookalike/storage';
import { api, pollRebuild, servicesS3Env, testS3Options, type StatusBody } from './helpers';

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/**
 * Inputs that can never work fail the rebuild at once, with the reason — naming the file, and the
 * line for a CSV — in the manifest, `GET /rebuilds/:id` and `lookalike rebuild status`; those the
 * location policy refuses are a 400 naming the field; `lenient` skips and counts malformed rows; a
 * failed rebuild whose input was fixed completes with `lookalike rebuild retry` (issue 11).
 */
describe('bad inputs fail fast and say why (real processes, Redis, S3)', () => {
  const env = testServerEnv();
  const s3 = testS3Options(env);
  const root = `s3://${env.LOOKALIKE_TEST_S3_BUCKET}/bad-${Date.now()}`;
  const hm = `${root}/hm`;
  const missingBucket = `s3://no-such-bucket-${Date.now()}`;
  let tmp: string;
  let data: ObjectStore;
  let stack: LocalStack;
  let modelDir: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'lookalike-bad-'));
    const sample = join(tmp, 'sample');
    await generateSample({ outDir: sample, articles: 40, customers: 100, transactions: 1500, seed: 5 });
    data = openObjectStore(hm, s3);
    for await (const path of walk(sample)) await data.put(relative(sample, path), await readFile(path));
    const articles = (await readFile(join(sample, 'articles.csv'), 'utf8')).split('\n');
    const transactions = (await readFile(join(sample, 'transactions_train.csv'), 'utf8')).split('\n');
    const header = articles[0]!;
    await data.put(
      'no-id.csv',
      Buffer.from([header.replace('article_id', 'article'), ...articles.slice(1)].join('\n')),
    );
    await data.put(
      'bad-id.csv',
      Buffer.from([header, articles[1], `x${articles[2]}`, ...articles.slice(3)].join('\n')),
    );
    await data.put(
      'quote.csv',
      Buffer.from(`${articles.slice(0, 3).join('\n')}\n0108775099,"an unterminated quote\n`),
    );
    const sale = transactions[5]!.split(',');
    await data.put(
      'tx-unknown.csv',
      Buffer.from(
        [
          ...transactions.slice(0, 5),
          [sale[0], sale[1], '0999999999', ...sale.slice(3)].join(','),
          ...transactions.slice(6),
        ].join('\n'),
      ),
    );
    await data.put(
      'tx-negative.csv',
      Buffer.from(
        [
          ...transactions.slice(0, 5),
          [...sale.slice(0, 3), '-0.02', sale[4]].join(','),
          ...transactions.slice(6),
        ].join('\n'),
      ),
    );
    modelDir = join(tmp, 'models');
    await mkdir(join(modelDir, 'junk'), { recursive: true });
    await writeFile(
      join(modelDir, 'junk', 'model.json'),
      '{"format": "not-a-model", "secret": "do not echo"}',
    );
    stack = await startLocalStack({
      embedders: 1,
      reducers: 1,
      indexers: 1,
      recommenders: 1,
      storageDir: join(tmp, 'storage'),
      storageUrl: `${root}/store`,
      redisUrl: env.LOOKALIKE_TEST_REDIS_URL,
      allowedLocations: [hm, missingBucket, modelDir],
      env: { LOG_LEVEL: 'warn', LOOKALIKE_QUEUE_PREFIX: `bad${Date.now()}`, ...servicesS3Env(s3) },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await data?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const base = () => ({ images: `${hm}/images`, shardSize: 20, pcaDims: 8, k: 5, publish: false });
  const withRecommend = () => ({
    ...base(),
    articles: `${hm}/articles.csv`,
    transactions: `${hm}/transactions_train.csv`,
    customers: `${hm}/customers.csv`,
  });

  async function submit(id: string, body: Record<string, unknown>): Promise<number> {
    const res = await api<{ rebuildId: string }>(stack.apiUrl, '/rebuilds', {
      method: 'POST',
      body: JSON.stringify({ id, ...body }),
    });
    expect({ id, status: res.status }).toEqual({ id, status: 202 });
    return Date.now();
  }

  const ended = (id: string, timeoutMs = 120_000) =>
    pollRebuild(stack.apiUrl, id, (s: StatusBody) => s.manifest.status !== 'running', timeoutMs, 100);

  /** What `lookalike rebuild status <id>` prints, and its exit code. */
  async function cliStatus(id: string): Promise<{ code: number; text: string }> {
    let text = '';
    const out = { write: (chunk: string) => (text += chunk) };
    const code = await runCli(['rebuild', 'status', id], {
      env: { NO_COLOR: '1', LOOKALIKE_API_URL: stack.apiUrl },
      cwd: tmp,
      stdout: out,
      stderr: out,
      signals: { on: () => undefined, off: () => undefined } as never,
    });
    return { code, text };
  }

  it('a missing articles.csv fails the rebuild within 10 s, naming the file in `rebuild status`; once it is there, `rebuild retry` completes it', async () => {
    const started = await submit('no-articles', { ...base(), articles: `${hm}/absent/articles.csv` });
    const { manifest } = await ended('no-articles', 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(manifest).toMatchObject({
      status: 'failed',
      step: 'plan',
      errorKind: 'permanent',
      stages: { plan: { state: 'failed' } },
    });
    expect(manifest.error).toBe(`plan stage: articles: ${hm}/absent/articles.csv does not exist`);
    const status = await cliStatus('no-articles');
    expect(status.code).toBe(1);
    expect(status.text).toContain(`${hm}/absent/articles.csv does not exist`);
    expect(status.text).toContain('lookalike rebuild retry no-articles');

    await data.put('absent/articles.csv', await data.get('articles.csv'));
    let text = '';
    const out = { write: (chunk: string) => (text += chunk) };
    const code = await runCli(['rebuild', 'retry', 'no-articles'], {
      env: { NO_COLOR: '1', LOOKALIKE_API_URL: stack.apiUrl },
      cwd: tmp,
      stdout: out,
      stderr: out,
      signals: { on: () => undefined, off: () => undefined } as never,
    });
    expect({ code, text }).toEqual({ code: 0, text: 'retrying rebuild no-articles from step plan\n' });
    const retried = await ended('no-articles');
    expect(retried.manifest).toMatchObject({
      status: 'completed',
      retries: 1,
      counts: { planned: 40, embedded: 40 },
    });
    expect(retried.manifest.error).toBeUndefined();
  });

  it.each([
    ['bucket', () => ({ ...base(), images: `${missingBucket}/images` }), /^plan stage: .*NoSuchBucket/],
    [
      'no-id',
      () => ({ ...base(), articles: `${hm}/no-id.csv` }),
      /^plan stage: s3:\/\/.*\/no-id\.csv:1: header lacks column article_id/,
    ],
    [
      'bad-id',
      () => ({ ...base(), articles: `${hm}/bad-id.csv` }),
      /^plan stage: s3:\/\/.*\/bad-id\.csv:3: article_id is not 1-10 digits/,
    ],
    [
      'quote',
      () => ({ ...base(), articles: `${hm}/quote.csv` }),
      /^plan stage: s3:\/\/.*\/quote\.csv:4: unterminated quoted field/,
    ],
    [
      'model',
      () => ({ ...base(), modelUrl: pathToFileURL(join(modelDir, 'junk', 'model.json')).href }),
      /^embed stage: .*model\.json/,
    ],
  ])('%s: fails at once (permanent) with the reason', async (id, body, reason) => {
    const started = await submit(`bad-${id}`, body());
    const { manifest } = await ended(`bad-${id}`, 20_000);
    expect({
      took: Date.now() - started < 20_000,
      status: manifest.status,
      kind: manifest.errorKind,
    }).toEqual({ took: true, status: 'failed', kind: 'permanent' });
    expect(manifest.error).toMatch(reason);
    // Errors quote no file contents beyond the offending field.
    expect(manifest.error).not.toContain('do not echo');
  });

  it.each([
    [
      'tx-missing',
      `${hm}/absent/transactions.csv`,
      /^prepare-recommend stage: .*transactions: s3:\/\/.*\/absent\/transactions\.csv does not exist/,
    ],
    [
      'tx-unknown',
      `${hm}/tx-unknown.csv`,
      /tx-unknown\.csv:6: article_id 0999999999 is not in articles\.csv/,
    ],
    ['tx-negative', `${hm}/tx-negative.csv`, /tx-negative\.csv:6: price is negative: "-0\.02"/],
  ])('%s: the recommend step fails with the file and line', async (id, transactions, reason) => {
    await submit(id, { ...withRecommend(), transactions });
    const { manifest } = await ended(id);
    expect({ status: manifest.status, step: manifest.step, kind: manifest.errorKind }).toEqual({
      status: 'failed',
      step: 'prepare-recommend',
      kind: 'permanent',
    });
    expect(manifest.error).toMatch(reason);
  });

  it('lenient: malformed rows are skipped and counted, at plan and in the transactions', async () => {
    await submit('lenient', {
      ...withRecommend(),
      articles: `${hm}/bad-id.csv`,
      transactions: `${hm}/tx-negative.csv`,
      lenient: true,
    });
    const { manifest } = await ended('lenient');
    expect(manifest.error).toBeUndefined();
    expect(manifest.status).toBe('completed');
    expect(manifest.counts.skippedArticleRows).toBe(1);
    const skipped = manifest.recommend!.skippedRows;
    expect(skipped[`${hm}/bad-id.csv`]).toBe(1);
    // The negative price, and sales of the article whose id was spoilt (no longer in articles.csv).
    expect(skipped[`${hm}/tx-negative.csv`]).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['images', { images: 'file:///proc' }],
    ['images', { images: `${hm}/images/../..` }],
    ['articles', { images: `${hm}/images`, articles: 'file:///etc/passwd' }],
  ])('refuses %s outside the allowed locations with a 400 naming it', async (field, body) => {
    const res = await api<{ issues: { field: string }[] }>(stack.apiUrl, '/rebuilds', {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i) => i.field)).toContain(field);
  });
});
