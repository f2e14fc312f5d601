import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { classifyFailure, rebuildSpecSchema, silentLogger } from '@lookalike/core';
import { getJson, openObjectStore, type ObjectStore } from '@lookalike/storage';
import { MAX_LISTED_IGNORED_FILES, planRebuild } from './corpus-plan';

describe('planRebuild', () => {
  let dir: string;
  let store: ObjectStore;
  let images: ObjectStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookalike-planner-'));
    store = openObjectStore(pathToFileURL(join(dir, 'store')).href);
    images = openObjectStore(pathToFileURL(join(dir, 'images')).href);
    await images.put('010/0108775015.jpg', Buffer.from('x'));
    for (let i = 0; i < MAX_LISTED_IGNORED_FILES + 50; i++)
      await images.put(`junk/file-${String(i).padStart(3, '0')}.txt`, Buffer.from('y'));
  });
  afterAll(async () => {
    await store.close();
    await images.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts every ignored file but lists a capped number, relative to the images folder', async () => {
    const spec = rebuildSpecSchema.parse({ images: pathToFileURL(join(dir, 'images')).href });
    const summary = await planRebuild('plan-test', spec, store, (url) => openObjectStore(url), silentLogger);
    expect(summary.planned).toBe(1);
    expect(summary.ignoredFiles).toHaveLength(MAX_LISTED_IGNORED_FILES + 50);
    const ignored = await getJson(
      store,
      'rebuilds/plan-test/plan/ignored.json',
      (v) => v as { ignoredCount: number; ignoredFiles: { key: string }[] },
    );
    expect(ignored.ignoredCount).toBe(MAX_LISTED_IGNORED_FILES + 50);
    expect(ignored.ignoredFiles).toHaveLength(MAX_LISTED_IGNORED_FILES);
    expect(ignored.ignoredFiles.every((f) => /^junk\/file-\d{3}\.txt$/.test(f.key))).toBe(true);
    expect(JSON.stringify(ignored)).not.toContain(dir);
  });

  describe('articles.csv', () => {
    const articlesUrl = (name: string) => pathToFileURL(join(dir, 'csv', name)).href;
    const plan = (name: string, lenient = false) =>
      planRebuild(
        'plan-articles',
        rebuildSpecSchema.parse({
          images: pathToFileURL(join(dir, 'images')).href,
          articles: articlesUrl(name),
          lenient,
        }),
        store,
        (url) => openObjectStore(url),
        silentLogger,
      );
    beforeAll(async () => {
      const csv = openObjectStore(pathToFileURL(join(dir, 'csv')).href);
      await csv.put('good.csv', Buffer.from('article_id,prod_name\n0108775015,a\n108775044,b\n'));
      await csv.put('no-id.csv', Buffer.from('product_code,prod_name\n108775,a\n'));
      await csv.put('bad-id.csv', Buffer.from('article_id,prod_name\n0108775015,a\nabc,b\n0108775099,c\n'));
      await csv.put('quote.csv', Buffer.from('article_id,prod_name\n0108775015,"open\n'));
      await csv.close();
    });

    it('lists the articles without an image and counts no skipped rows', async () => {
      const summary = await plan('good.csv');
      expect(summary.missingImages).toEqual(['0108775044']);
      expect(summary.skippedArticleRows).toBe(0);
    });

    it.each([
      ['no-id.csv', /no-id\.csv:1: header lacks column article_id/],
      ['bad-id.csv', /bad-id\.csv:3: article_id is not 1-10 digits/],
      ['quote.csv', /quote\.csv:2: unterminated quoted field/],
    ])('fails on %s, naming the file and line', async (name, message) => {
      const error = await plan(name).catch((e: unknown) => e);
      expect((error as Error).name).toBe('RecsysParseError');
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain(articlesUrl(name));
    });

    it('skips and counts malformed rows when lenient', async () => {
      const summary = await plan('bad-id.csv', true);
      expect(summary.skippedArticleRows).toBe(1);
      expect(summary.missingImages).toEqual(['0108775099']);
    });

    it('says which file is missing, as a permanent failure', async () => {
      const error = await plan('absent.csv').catch((e: unknown) => e);
      expect((error as Error).name).toBe('PlanInputError');
      expect(classifyFailure(error)).toEqual({ kind: 'permanent' });
      expect((error as Error).message).toBe(`articles: ${articlesUrl('absent.csv')} does not exist`);
    });
  });
});
