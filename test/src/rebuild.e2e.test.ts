import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bruteForceNeighbours } from '@lookalike/ann';
import { startLocalStack, type LocalStack } from '@lookalike/cli';
import { shardFailuresSchema } from '@lookalike/core';
import { testServerEnv } from '@lookalike/local-servers';
import {
  decodeVectorShard,
  embeddingsFailuresKey,
  getJson,
  neighboursCsvKey,
  openObjectStore,
  reducedShardKey,
  type ObjectStore,
} from '@lookalike/storage';
import { mkdirSync } from 'node:fs';
import { ALL_QUEUES } from '@lookalike/core';
import { launchChromium } from './browser';
import { generateCorpus, imageKey, renderImage } from './corpus';
import {
  api,
  basicAuth,
  completedJobs,
  servicesS3Env,
  testS3Options,
  waitForRebuild,
  type ApiTarget,
} from './helpers';

/**
 * The whole system, as in production but on one machine: the producer, two embedders, a reducer
 * and two indexers as separate OS processes, sharing work through BullMQ on a real Redis, with
 * the corpus and every output in a real S3 endpoint (s3rver).
 */
describe('corpus rebuild end to end (real processes, Redis, S3)', () => {
  const env = testServerEnv();
  const s3 = testS3Options(env);
  const root = `s3://${env.LOOKALIKE_TEST_S3_BUCKET}/e2e-${Date.now()}`;
  const imagesUrl = `${root}/corpus/images`;
  const K = 20;
  /** Screenshots kept as test artifacts. */
  const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
  let images: ObjectStore;
  let store: ObjectStore;
  let stack: LocalStack;
  let tmp: string;
  let readable: string[];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'lookalike-e2e-'));
    images = openObjectStore(imagesUrl, s3);
    store = openObjectStore(`${root}/store`, s3);
    const corpus = await generateCorpus(10); // 6 shapes × 5 colours × 10 = 300 images
    readable = corpus.map((c) => c.articleId);
    for (const image of corpus) await images.put(image.key, image.bytes);
    await images.put(imageKey('0108779990'), Buffer.from('this is not an image, whatever its name says'));
    await images.put(imageKey('0108779991'), Buffer.alloc(0));
    await images.put('README.txt', Buffer.from('not an article image'));
    stack = await startLocalStack({
      embedders: 2,
      reducers: 1,
      indexers: 2,
      storageDir: join(tmp, 'storage'),
      storageUrl: `${root}/store`,
      redisUrl: env.LOOKALIKE_TEST_REDIS_URL,
      env: {
        LOG_LEVEL: 'warn',
        LOOKALIKE_QUEUE_PREFIX: `e2e${Date.now()}`,
        LOOKALIKE_DASHBOARD_USER: 'admin',
        LOOKALIKE_DASHBOARD_PASSWORD: 'e2e-secret',
        LOOKALIKE_ALLOWED_LOCATIONS: `${root}/corpus`,
        ...servicesS3Env(s3),
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await images?.close();
    await store?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  /** The dashboard user's credentials are the API's too. */
  const target = (): ApiTarget => ({ url: stack.apiUrl, headers: basicAuth('admin', 'e2e-secret') });
  const metricsUrl = (name: string) => stack.healthUrls[name]!.replace(/\/healthz$/, '/metrics');
  const spec = { images: imagesUrl, shardSize: 25, pcaDims: 32, k: K, neighbourRowsPerJob: 40 };

  it('rebuilds the corpus across separate worker processes and publishes exact neighbours', async () => {
    const submitted = await api<{ rebuildId: string; created: boolean }>(target(), '/rebuilds', {
      method: 'POST',
      body: JSON.stringify({ ...spec, id: 'e2e-first' }),
    });
    expect(submitted).toEqual({ status: 202, body: { rebuildId: 'e2e-first', created: true } });
    const { manifest } = await waitForRebuild(target(), 'e2e-first', 240_000);
    expect(manifest.error).toBeUndefined();
    expect(manifest.status).toBe('completed');

    // The two bad files are reported and counted; the counts add up.
    expect(manifest.counts).toMatchObject({ planned: 302, embedded: 300, failed: 2, ignoredFiles: 1, indexed: 300, shards: 13 });
    expect(manifest.counts.embedded + manifest.counts.failed).toBe(manifest.counts.planned);
    expect(manifest.failures.byReason).toEqual({ empty: 1, unsupported: 1 });
    const failures = await getJson(store, embeddingsFailuresKey('e2e-first', 12), (v) => shardFailuresSchema.parse(v));
    expect(failures.failures.map((f) => [f.articleId, f.reason]).sort()).toEqual([
      ['0108779990', 'unsupported'],
      ['0108779991', 'empty'],
    ]);
    expect(manifest.pca).toMatchObject({ inputDim: 1792, dims: 32, sampled: 300 });

    // Every readable article has exactly k neighbours, ranked 1..k, never itself.
    const csv = (await store.get(neighboursCsvKey('e2e-first'))).toString('utf8').trim().split('\n');
    expect(csv[0]).toBe('article_id,neighbour_id,rank,score');
    const byArticle = new Map<string, { id: string; rank: number; score: number }[]>();
    for (const line of csv.slice(1)) {
      const [a, b, rank, score] = line.split(',');
      byArticle.set(a!, [...(byArticle.get(a!) ?? []), { id: b!, rank: Number(rank), score: Number(score) }]);
    }
    expect([...byArticle.keys()].sort()).toEqual(readable);
    for (const [article, list] of byArticle) {
      expect(list.map((n) => n.rank)).toEqual(Array.from({ length: K }, (_, i) => i + 1));
      expect(list.some((n) => n.id === article)).toBe(false);
    }

    // The table equals a brute-force cosine computation over the same reduced vectors.
    const ids: string[] = [];
    const parts: Float32Array[] = [];
    let dim = 0;
    for (let shard = 0; shard < manifest.counts.shards; shard++) {
      const reduced = decodeVectorShard(await store.get(reducedShardKey('e2e-first', shard)));
      ids.push(...reduced.ids);
      parts.push(reduced.vectors);
      dim = reduced.dim || dim;
    }
    expect(dim).toBe(32);
    const vectors = new Float32Array(ids.length * dim);
    parts.reduce((offset, p) => (vectors.set(p, offset), offset + p.length), 0);
    const expected = bruteForceNeighbours(vectors, dim, 0, ids.length, K);
    let compared = 0;
    ids.forEach((article, row) => {
      const got = byArticle.get(article)!;
      for (let j = 0; j < K; j++) {
        const want = { id: ids[expected.ids[row * K + j]!]!, score: expected.scores[row * K + j]! };
        expect(Math.abs(got[j]!.score - want.score)).toBeLessThan(1e-5);
        // Where two candidates score the same to 1e-5, FAISS's and JS's rounding may order them differently.
        const rowScores = expected.scores.subarray(row * K, (row + 1) * K);
        const tied = rowScores.some((s, i) => i !== j && Math.abs(s - want.score) < 1e-5);
        if (!tied) {
          expect(got[j]!.id).toBe(want.id);
          compared += 1;
        }
      }
    });
    expect(compared).toBeGreaterThan(300 * K * 0.9);

    // Both workers of each kind processed jobs.
    for (const name of ['embedder-1', 'embedder-2', 'indexer-1', 'indexer-2', 'reducer-1']) {
      expect({ name, processedJobs: (await completedJobs(metricsUrl(name))) > 0 }).toEqual({ name, processedJobs: true });
    }

    // The published rebuild answers the similarity API.
    const similar = await api<{ rebuildId: string; similar: { articleId: string; score: number }[] }>(
      target(),
      `/articles/${readable[0]}/similar?k=5`,
    );
    expect(similar.status).toBe(200);
    expect(similar.body.rebuildId).toBe('e2e-first');
    expect(similar.body.similar.map((s) => s.articleId)).toEqual(byArticle.get(readable[0]!)!.slice(0, 5).map((n) => n.id));
    expect((await api(target(), '/articles/0999999999/similar')).status).toBe(404);
  });

  it('does no extra work when the same rebuild is submitted again', async () => {
    const before = await Promise.all(['embedder-1', 'embedder-2'].map((n) => completedJobs(metricsUrl(n))));
    const again = await api<{ rebuildId: string; created: boolean }>(target(), '/rebuilds', {
      method: 'POST',
      body: JSON.stringify({ ...spec, id: 'e2e-first' }),
    });
    // A no-op that says what state the rebuild is in.
    expect(again).toEqual({ status: 200, body: { rebuildId: 'e2e-first', created: false, status: 'completed' } });
    await new Promise((r) => setTimeout(r, 2000));
    const after = await Promise.all(['embedder-1', 'embedder-2'].map((n) => completedJobs(metricsUrl(n))));
    expect(after).toEqual(before);
    expect((await waitForRebuild(target(), 'e2e-first', 10_000)).manifest.status).toBe('completed');
  });

  it('re-embeds exactly the changed images in the next rebuild', async () => {
    for (const [i, articleId] of readable.slice(0, 3).entries()) {
      await images.put(imageKey(articleId), await renderImage(i, i + 2, 40 + i));
    }
    const submitted = await api<{ rebuildId: string }>(target(), '/rebuilds', {
      method: 'POST',
      body: JSON.stringify({ ...spec, id: 'e2e-second' }),
    });
    expect(submitted.status).toBe(202);
    const { manifest } = await waitForRebuild(target(), 'e2e-second', 240_000);
    expect(manifest.status).toBe('completed');
    expect(manifest.counts.embedded).toBe(300);
    expect(manifest.counts.embedded - manifest.counts.cached).toBe(3);
  });

  it('rejects a malformed request with a 400 naming the field', async () => {
    const res = await api<{ error: string; issues: { field: string }[] }>(target(), '/rebuilds', {
      method: 'POST',
      body: JSON.stringify({ images: imagesUrl, shardSize: 0, k: 'twenty' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i) => i.field).sort()).toEqual(['k', 'shardSize']);
  });

  it('shows every queue with its counts in the Bull dashboard, behind credentials', async () => {
    expect((await fetch(`${stack.apiUrl}/admin/queues`)).status).toBe(401);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ httpCredentials: { username: 'admin', password: 'e2e-secret' } });
      const page = await context.newPage();
      await page.goto(`${stack.apiUrl}/admin/queues`);
      for (const queue of ALL_QUEUES) await page.getByText(queue, { exact: true }).first().waitFor({ timeout: 20_000 });
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
      // The dashboard's own API: every queue with its job counts.
      const api = await context.request.get(`${stack.apiUrl}/admin/queues/api/queues`);
      const body = (await api.json()) as { queues: { name: string; counts: Record<string, number> }[] };
      expect(body.queues.map((q) => q.name).sort()).toEqual([...ALL_QUEUES].sort());
      expect(body.queues.find((q) => q.name === 'embed')!.counts.completed).toBeGreaterThanOrEqual(13);
    } finally {
      await browser.close();
    }
  });

  it('renders the gallery of the published rebuild with every image loaded and the manifest figures', async () => {
    const { manifest } = await waitForRebuild(target(), 'e2e-first', 10_000);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ httpCredentials: { username: 'admin', password: 'e2e-secret' } });
      const page = await context.newPage();
      await page.goto(`${stack.apiUrl}/rebuilds/e2e-first/gallery/`, { waitUntil: 'load' });
      const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), w: (i as unknown as { naturalWidth: number }).naturalWidth })));
      expect(images.length).toBeGreaterThanOrEqual(12 * (K + 1));
      expect(images.filter((i) => !(i.w > 0))).toEqual([]);
      const shown = await page.$$eval('[data-count]', (els) => els.map((e) => [e.getAttribute('data-count'), Number(e.textContent)]));
      expect(Object.fromEntries(shown)).toEqual(manifest.counts);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'gallery.png'), fullPage: false });
      // The rebuilds page links to it.
      await page.goto(`${stack.apiUrl}/`);
      expect(await page.locator('tr[data-rebuild="e2e-first"] a', { hasText: 'gallery' }).count()).toBe(1);
    } finally {
      await browser.close();
    }
  });
});
