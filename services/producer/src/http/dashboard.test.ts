import { listenTestApp } from '../../test/test-app';
import type { Server } from 'node:http';
import { ALL_QUEUES, CredentialVerifier, createLocationPolicy } from '@lookalike/core';
import { testServerEnv } from '@lookalike/local-servers';
import { createQueue, createRedisConnection } from '@lookalike/queue';
import { createDashboard } from './dashboard';

describe('Bull dashboard', () => {
  const connection = createRedisConnection(testServerEnv().LOOKALIKE_TEST_REDIS_URL);
  const prefix = `dash${Date.now()}`;
  const queues = ALL_QUEUES.map((name) => createQueue(name, { connection, prefix }));
  let server: Server;
  let base: string;
  const auth = (user: string, password: string) => ({
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  });

  beforeAll(async () => {
    await queues[1]!.add('embed', { n: 1 });
    let root: string;
    ({ server, base: root } = await listenTestApp({
      dashboard: createDashboard({ queues, readOnly: true }),
      credentials: new CredentialVerifier({ basic: { user: 'admin', password: 's3cret' } }),
      inputPolicy: { locations: createLocationPolicy({ storageUrl: 'file:///nowhere' }), allowedHosts: [] },
    }));
    base = `${root}/admin/queues`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await Promise.all(queues.map((q) => q.obliterate({ force: true }).then(() => q.close())));
    await connection.quit();
  });

  it('asks for credentials', async () => {
    const res = await fetch(base);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await fetch(base, { headers: auth('admin', 'wrong') })).status).toBe(401);
  });

  it('lists every queue of the system with its counts', async () => {
    const page = await fetch(base, { headers: auth('admin', 's3cret') });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const res = await fetch(`${base}/api/queues`, { headers: auth('admin', 's3cret') });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      queues: { name: string; counts: Record<string, number>; readOnlyMode: boolean }[];
    };
    expect(body.queues.map((q) => q.name).sort()).toEqual([...ALL_QUEUES].sort());
    expect(body.queues.find((q) => q.name === 'embed')!.counts.waiting).toBe(1);
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
  });
});
