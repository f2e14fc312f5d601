import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rebuildSpecSchema, silentLogger } from '@lookalike/core';
import { getJson, openObjectStore, type ObjectStore } from '@lookalike/storage';
import { MAX_LISTED_IGNORED_FILES, planRebuild } from './planner';

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
});
