import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startLocalStack, type LocalStack } from '@lookalike/cli';
import { testServerEnv } from '@lookalike/local-servers';
import { generateCorpus } from './corpus';
import { api, pollRebuild, waitForRebuild, type StatusBody } from './helpers';

/**
 * Crashes during a rebuild: a worker killed mid-job has its shard redone by another (not lost,
 * not doubled), and a killed orchestrator resumes where it was. Short job locks make the stalled
 * job visible in seconds instead of a minute.
 */
describe('rebuild survives crashed processes', () => {
  const env = testServerEnv();
  let stack: LocalStack;
  let tmp: string;
  let imagesDir: string;
  let otherImagesDir: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'lookalike-crash-'));
    imagesDir = join(tmp, 'corpus', 'images');
    otherImagesDir = join(tmp, 'other', 'images');
    // 6 shapes × 5 colours × 4 = 120 images each, different bytes (no embedding-cache hits between them).
    for (const [dir, first] of [
      [imagesDir, 0],
      [otherImagesDir, 20],
    ] as const) {
      for (const image of await generateCorpus(4, first)) {
        const path = join(dir, image.key);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, image.bytes);
      }
    }
    stack = await startLocalStack({
      embedders: 2,
      reducers: 1,
      indexers: 1,
      storageDir: join(tmp, 'storage'),
      redisUrl: env.LOOKALIKE_TEST_REDIS_URL,
      allowedLocations: [join(tmp, 'corpus'), join(tmp, 'other')],
      restartDelayMs: 500,
      env: {
        LOG_LEVEL: 'warn',
        LOOKALIKE_QUEUE_PREFIX: `crash${Date.now()}`,
        LOOKALIKE_LOCK_MS: '4000',
        LOOKALIKE_STALLED_INTERVAL_MS: '1000',
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  const waitFor = (rebuildId: string, predicate: (s: StatusBody) => boolean) =>
    pollRebuild(stack.apiUrl, rebuildId, predicate, 60_000, 100);

  it('redoes the shard of a killed embedder and resumes after the orchestrator is killed', async () => {
    const submitted = await api<{ rebuildId: string }>(stack.apiUrl, '/rebuilds', {
      method: 'POST',
      body: JSON.stringify({ images: imagesDir, shardSize: 10, pcaDims: 8, k: 10, id: 'crash-1' }),
    });
    expect(submitted.status).toBe(202);
    // Kill an embedder in the middle of the embed stage: its active job loses its lock and is redone.
    await waitFor('crash-1', (s) => s.manifest.step === 'embed' && s.progress.done >= 2);
    stack.group.signal('embedder-1', 'SIGKILL');
    // Kill the orchestrator while the embed stage is still running.
    stack.group.signal('producer', 'SIGKILL');
    const { manifest } = await waitForRebuild(stack.apiUrl, 'crash-1', 240_000);
    expect(manifest.error).toBeUndefined();
    expect(manifest.status).toBe('completed');
    expect(manifest.counts).toMatchObject({
      planned: 120,
      embedded: 120,
      failed: 0,
      indexed: 120,
      shards: 12,
    });
    expect(Object.values(manifest.stages).every((s) => s.state === 'done' || s.state === 'skipped')).toBe(
      true,
    );
  });

  it('cancels a running rebuild', async () => {
    await api(stack.apiUrl, '/rebuilds', {
      method: 'POST',
      body: JSON.stringify({
        images: otherImagesDir,
        shardSize: 10,
        pcaDims: 8,
        k: 10,
        id: 'cancel-1',
        publish: false,
      }),
    });
    await waitFor('cancel-1', (s) => s.manifest.step === 'embed');
    const cancel = await api<{ cancelling: boolean }>(stack.apiUrl, '/rebuilds/cancel-1/cancel', {
      method: 'POST',
    });
    expect(cancel).toEqual({ status: 202, body: { rebuildId: 'cancel-1', cancelling: true } });
    const { manifest } = await waitForRebuild(stack.apiUrl, 'cancel-1', 120_000);
    expect(manifest.status).toBe('cancelled');
    // The interrupted stage says so (not `running`), and cancelling again changes nothing.
    expect(Object.values(manifest.stages).filter((s) => s.state === 'running')).toEqual([]);
    expect(manifest.stages[manifest.step]!.state).toBe('cancelled');
    expect(await api(stack.apiUrl, '/rebuilds/cancel-1/cancel', { method: 'POST' })).toEqual({
      status: 200,
      body: { rebuildId: 'cancel-1', cancelling: false, status: 'cancelled' },
    });
    expect((await api(stack.apiUrl, '/rebuilds/nope/cancel', { method: 'POST' })).status).toBe(404);
  });
});
