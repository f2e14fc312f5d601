import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pollUntil } from '@lookalike/core';
import { startLocalStack, type LocalStack } from '@lookalike/cli';
import { testServerEnv } from '@lookalike/local-servers';
import { generateCorpus } from './corpus';
import { api } from './helpers';

/** A local HTTP listener that records every request: it must receive none. */
async function listener(): Promise<{ port: number; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end('{"modelTopology":{}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Refusal {
  error: string;
  issues: { field: string; message: string }[];
}

const SECRET = 'TOP-SECRET-0123456789-do-not-echo';

/**
 * Locations and model URLs a rebuild may not use: each is a 400 naming the field, no rebuild starts, and
 * no process reads the file or sends a request to the address. The embedder checks the model URL again
 * (its producer here is configured to allow more than it does), and a file that is not a model is not
 * quoted in any error.
 */
describe('rebuild locations and model URLs are policed (real processes)', () => {
  const env = testServerEnv();
  let stack: LocalStack;
  let tmp: string;
  let data: string;
  let images: string;
  let local: Awaited<ReturnType<typeof listener>>;
  let allowedByProducer: Awaited<ReturnType<typeof listener>>;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'lookalike-bad-locations-'));
    data = join(tmp, 'data');
    images = join(data, 'images');
    for (const image of (await generateCorpus(1)).slice(0, 2)) {
      await mkdir(join(images, image.key, '..'), { recursive: true });
      await writeFile(join(images, image.key), image.bytes);
    }
    await mkdir(join(data, 'empty'), { recursive: true });
    await writeFile(join(data, 'secret.json'), `${SECRET} {"password":"${SECRET}"}`);
    await symlink('/etc', join(data, 'etc-link'));
    local = await listener();
    allowedByProducer = await listener();
    stack = await startLocalStack({
      embedders: 1,
      reducers: 0,
      indexers: 0,
      recommenders: 0,
      storageDir: join(tmp, 'storage'),
      redisUrl: env.LOOKALIKE_TEST_REDIS_URL,
      allowedLocations: [data],
      env: { LOG_LEVEL: 'warn', LOOKALIKE_QUEUE_PREFIX: `badloc${Date.now()}` },
      // The producer lets `localhost` models through; the embedder does not.
      serviceEnv: { producer: { LOOKALIKE_ALLOWED_MODEL_HOSTS: 'localhost' } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await local?.close();
    await allowedByProducer?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const submit = (body: Record<string, unknown>) =>
    api<Refusal & { rebuildId: string }>(stack.apiUrl, '/rebuilds', {
      method: 'POST',
      body: JSON.stringify(body),
    });
  const rebuildIds = async () =>
    (await api<{ rebuilds: { rebuildId: string }[] }>(stack.apiUrl, '/rebuilds')).body.rebuilds.map(
      (r) => r.rebuildId,
    );

  it.each([
    ['a model file outside the allowed locations', { modelUrl: 'file:///etc/passwd' }, ['modelUrl']],
    ['a model on this machine', { modelUrl: 'http://127.0.0.1:LOCAL/model.json' }, ['modelUrl']],
    ['a model on this machine (IPv6)', { modelUrl: 'http://[::1]:LOCAL/model.json' }, ['modelUrl']],
    ['a model on this machine (hex IPv4)', { modelUrl: 'http://0x7f000001:LOCAL/model.json' }, ['modelUrl']],
    [
      'cloud metadata',
      { modelUrl: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' },
      ['modelUrl'],
    ],
    ['a private address', { modelUrl: 'https://10.0.0.1/model.json' }, ['modelUrl']],
    ['another scheme', { modelUrl: 'gopher://127.0.0.1:6379/_INFO' }, ['modelUrl']],
    ['images from /etc', { images: 'file:///etc' }, ['images']],
    ['images through ..', { images: 'DATA/../../../etc' }, ['images']],
    ['images through an encoded ..', { images: 'file://DATA/%2e%2e/%2e%2e/etc' }, ['images']],
    ['images through a symbolic link', { images: 'DATA/etc-link' }, ['images']],
    ['images from another bucket', { images: 's3://someone-elses-bucket/images' }, ['images']],
    ['articles from /etc', { articles: 'file:///etc/passwd' }, ['articles']],
    [
      'transactions and customers outside',
      { transactions: '/etc/passwd', customers: 'file:///etc/shadow', articles: 'DATA/articles.csv' },
      ['transactions', 'customers'],
    ],
  ])('refuses %s with a 400 naming the field', async (_what, fields, expected) => {
    const body = JSON.parse(
      JSON.stringify({ images, id: `refused-${expected.join('-')}`, ...fields })
        .replaceAll('LOCAL', String(local.port))
        .replaceAll('DATA', data),
    ) as Record<string, unknown>;
    const res = await submit(body);
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i) => i.field)).toEqual(expected);
    for (const field of expected) expect(res.body.error).toContain(`${field}: `);
    expect(await rebuildIds()).not.toContain(body.id);
  });

  it('accepts what is allowed: inputs under the allowed roots, the bundled model, a model file under a root', async () => {
    expect(
      (
        await submit({
          images: join(data, 'empty'),
          id: 'allowed-1',
          modelUrl: 'bundled:mobilenet_v2_140_224',
        })
      ).status,
    ).toBe(202);
    expect(
      (await submit({ images: pathToFileURL(join(data, 'empty')).href, id: 'allowed-2', publish: false }))
        .status,
    ).toBe(202);
    expect(local.seen).toEqual([]);
  });

  /** Waits until the embedder has logged a line matching `pattern`; every line it printed so far. */
  async function embedderSays(pattern: RegExp, timeoutMs = 60_000): Promise<string[]> {
    const lines = () => stack.group.recentOutput('embedder-1');
    return pollUntil(() => lines().some((l) => pattern.test(l)) && lines(), {
      timeoutMs,
      intervalMs: 250,
      timeoutMessage: () => `the embedder did not log ${pattern}; it printed:\n${lines().join('\n')}`,
    });
  }

  it('checks the model URL again in the embedder, which sends nothing to an address it does not allow', async () => {
    const modelUrl = `http://localhost:${allowedByProducer.port}/model.json`;
    const res = await submit({ images, id: 'embedder-refuses', modelUrl, publish: false });
    expect(res.status).toBe(202);
    await embedderSays(/modelUrl: localhost resolves to [^,]+, a loopback address/);
    expect(allowedByProducer.seen).toEqual([]);
    expect(local.seen).toEqual([]);
    await api(stack.apiUrl, '/rebuilds/embedder-refuses/cancel', { method: 'POST' });
  });

  it('never quotes a file that is not a model in an error', async () => {
    const res = await submit({
      images,
      id: 'no-echo',
      modelUrl: pathToFileURL(join(data, 'secret.json')).href,
      publish: false,
    });
    expect(res.status).toBe(202);
    const lines = await embedderSays(/secret\.json: model\.json is not valid JSON/);
    expect(lines.filter((l) => l.includes(SECRET))).toEqual([]);
    const status = await api<unknown>(stack.apiUrl, '/rebuilds/no-echo');
    expect(JSON.stringify(status.body)).not.toContain(SECRET);
    await api(stack.apiUrl, '/rebuilds/no-echo/cancel', { method: 'POST' });
  });
});
