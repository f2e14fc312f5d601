import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pingRedis } from '@lookalike/local-servers';
import type { ProcessEvent } from './process-group';
import { fakeRepo } from '../test/fake-services';
import { startLocalStack, type LocalStack, type LocalStackOptions } from './local-stack';
import { findRepoRoot } from './repo-root';

async function health(url: string): Promise<{ service: string; env: Record<string, string | undefined> }> {
  return (await (await fetch(url)).json()) as { service: string; env: Record<string, string | undefined> };
}

describe('startLocalStack', () => {
  let repoRoot: string;
  let work: string;
  let stack: LocalStack | undefined;

  beforeEach(async () => {
    repoRoot = await fakeRepo();
    work = await mkdtemp(join(tmpdir(), 'lookalike-cli-work-'));
  });
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
    await rm(repoRoot, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('runs a producer and N workers of each kind with the right environment, and stops them', async () => {
    const lines: string[] = [];
    stack = await startLocalStack({
      repoRoot,
      embedders: 2,
      reducers: 1,
      indexers: 2,
      recommenders: 0,
      storageDir: join(work, 'storage'),
      redisUrl: 'redis://127.0.0.1:6399',
      env: { EXTRA: 'yes' },
      serviceEnv: { embedder: { ONLY_EMBEDDER: '1' } },
      onLine: (name, line) => lines.push(`${name}: ${line}`),
    });
    expect(stack.processes.map((p) => p.name)).toEqual([
      'producer',
      'embedder-1',
      'embedder-2',
      'reducer-1',
      'indexer-1',
      'indexer-2',
    ]);
    expect(stack.storageDir).toBe(join(work, 'storage'));
    expect(stack.storageUrl).toBe(`file://${join(work, 'storage')}`);
    expect(existsSync(stack.storageDir)).toBe(true);
    expect(stack.redisUrl).toBe('redis://127.0.0.1:6399');

    const producer = await health(`${stack.apiUrl}/healthz`);
    expect(producer.service).toBe('producer');
    expect(producer.env).toMatchObject({
      LOOKALIKE_REDIS_URL: 'redis://127.0.0.1:6399',
      LOOKALIKE_STORAGE_URL: stack.storageUrl,
      LOOKALIKE_HTTP_HOST: '127.0.0.1',
      EXTRA: 'yes',
    });
    expect(producer.env.OMP_NUM_THREADS).toBeUndefined();
    const ports = new Set<string>();
    for (const [name, url] of Object.entries(stack.healthUrls)) {
      const answer = await health(url);
      expect(answer.service).toBe(name.replace(/-\d+$/, ''));
      ports.add(answer.env.LOOKALIKE_HTTP_PORT!);
      if (name.startsWith('indexer'))
        expect(answer.env).toMatchObject({
          OMP_NUM_THREADS: '1',
          OPENBLAS_NUM_THREADS: '1',
          OMP_WAIT_POLICY: 'PASSIVE',
        });
      expect(answer.env.ONLY_EMBEDDER).toBe(name.startsWith('embedder') ? '1' : undefined);
    }
    expect(ports.size).toBe(6);
    expect(lines.some((l) => l.startsWith('indexer-2: ') && l.includes('indexer ready'))).toBe(true);

    await stack.stop();
    expect(lines.filter((l) => l.includes('shutting down'))).toHaveLength(6);
    expect(stack.processes.every((p) => p.pid === undefined)).toBe(true);
  });

  it('starts its own Redis (append-only, in its own session) next to the storage folder, and stops it last', async () => {
    stack = await startLocalStack({
      repoRoot,
      embedders: 1,
      reducers: 0,
      indexers: 0,
      storageDir: join(work, 'storage'),
    });
    const port = Number(new URL(stack.redisUrl).port);
    expect(await pingRedis(port)).toBe(true);
    expect(existsSync(join(work, 'redis'))).toBe(true);
    const redisPid = execFileSync('ps', ['-eo', 'pid=,sid=,args='])
      .toString()
      .split('\n')
      .find((l) => l.includes('redis-server') && l.includes(`:${port}`));
    expect(redisPid).toBeDefined();
    const [pid, sid] = redisPid!.trim().split(/\s+/);
    expect(sid).toBe(pid);
    await stack.stop();
    expect(await pingRedis(port)).toBe(false);
  });

  it('fails fast, naming what is not built', async () => {
    await rm(join(repoRoot, 'services', 'reducer'), { recursive: true });
    await expect(
      startLocalStack({ repoRoot, storageDir: join(work, 'storage'), redisUrl: 'redis://x:1' }),
    ).rejects.toThrow(/not built: .*services\/reducer\/dist\/main\.js/);
    // …unless none of it is wanted.
    stack = await startLocalStack({
      repoRoot,
      reducers: 0,
      embedders: 0,
      indexers: 1,
      recommenders: 0,
      storageDir: join(work, 'storage'),
      redisUrl: 'redis://x:1',
    });
    expect(stack.processes.map((p) => p.name)).toEqual(['producer', 'indexer-1']);
  });

  /** A producer and one embedder (on an unreachable Redis) whose producer exits at once. */
  const startWithFailingProducer = (options: Partial<LocalStackOptions>) =>
    startLocalStack({
      repoRoot,
      embedders: 1,
      reducers: 0,
      indexers: 0,
      storageDir: join(work, 'storage'),
      redisUrl: 'redis://x:1',
      env: { FAIL_SERVICE: 'producer' },
      ...options,
    });

  it('rejects with the last output of a process that cannot start, having stopped the others', async () => {
    const events: ProcessEvent[] = [];
    const failing = startWithFailingProducer({
      restartDelayMs: 10,
      maxRestarts: 2,
      onEvent: (e) => events.push(e),
    });
    await expect(failing).rejects.toThrow(
      /producer could not start \(gave up after 2 restarts\); its last output:\nproducer: invalid configuration: boom/,
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'exited', name: 'embedder-1', expected: true }),
    );
  });

  it('refuses a producer port that is taken, before starting anything', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(startLocalStack({ repoRoot, port, storageDir: join(work, 'storage') })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is in use`,
      );
      expect(existsSync(join(work, 'redis'))).toBe(false);
    } finally {
      taken.close();
    }
  });

  it('stops starting when aborted', async () => {
    const abort = new AbortController();
    const starting = startWithFailingProducer({ restartDelayMs: 5000, signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    await expect(starting).rejects.toThrow('start-up interrupted');
  });

  it('finds the monorepo root from its own folder', () => {
    expect(existsSync(join(findRepoRoot(), 'pnpm-workspace.yaml'))).toBe(true);
    expect(existsSync(join(findRepoRoot(), 'services', 'cli'))).toBe(true);
  });
});
