import { listenTestApp } from '../../test/test-app';
import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import {
  cancelResponseSchema,
  errorResponseSchema,
  QUEUES,
  rebuildListResponseSchema,
  rebuildStatusResponseSchema,
  submitResponseSchema,
} from '@lookalike/core';
import { testServerEnv } from '@lookalike/local-servers';
import {
  CancellationRegistry,
  createQueue,
  createRedisConnection,
  RebuildClaims,
  WaitingRegistry,
} from '@lookalike/queue';
import { FsObjectStore } from '@lookalike/storage';
import { ManifestRepository } from '../orchestrator/manifest-repository';
import { RebuildService } from '../rebuild-service';

/** Every route that takes a rebuild id, as [method, path of the id]. */
const REBUILD_ROUTES: [string, (id: string) => string][] = [
  ['GET', (id) => `/rebuilds/${id}`],
  ['POST', (id) => `/rebuilds/${id}/cancel`],
  ['POST', (id) => `/rebuilds/${id}/retry`],
  ['GET', (id) => `/rebuilds/${id}/manifest.json`],
  ['GET', (id) => `/rebuilds/${id}/gallery/`],
  ['GET', (id) => `/rebuilds/${id}/gallery/thumbs/0108775015.jpg`],
];

describe('HTTP routes: answers match core schemas, bad ids are 400 naming the field (real Redis, file store)', () => {
  const env = testServerEnv();
  const connection = createRedisConnection(env.LOOKALIKE_TEST_REDIS_URL);
  const prefix = `routes${Date.now()}`;
  let dir: string;
  let queue: Queue;
  let server: Server;
  let base: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookalike-routes-'));
    const store = new FsObjectStore({ root: join(dir, 'store') });
    queue = createQueue(QUEUES.rebuild, { connection, prefix });
    const manifests = new ManifestRepository(store);
    const rebuilds = new RebuildService({
      rebuildQueue: queue,
      manifests,
      cancellation: new CancellationRegistry(connection, prefix),
      claims: new RebuildClaims(connection, prefix),
      waiting: new WaitingRegistry(connection, prefix),
      connection,
      store,
    });
    ({ server, base } = await listenTestApp({ store, rebuilds }));
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['a:b', 'a.b', '%2E%2E%2Fetc', 'a%2Fb', 'x'.repeat(101), 'a%00b'])(
    'answers 400 naming `id` for the rebuild id %j on every rebuild route',
    async (id) => {
      for (const [method, path] of REBUILD_ROUTES) {
        const answer = await call(method, path(id));
        expect({ route: `${method} ${path(':id')}`, status: answer.status }).toEqual({
          route: `${method} ${path(':id')}`,
          status: 400,
        });
        const body = errorResponseSchema.parse(answer.body);
        expect(body.issues).toEqual([
          { field: 'id', message: 'expected a rebuild id (1-100 of A-Z a-z 0-9 _ -)' },
        ]);
        expect(body.error).toMatch(/^invalid request: id: /);
      }
    },
  );

  it('answers 404 for a well-formed id that does not exist, on every rebuild route', async () => {
    for (const [method, path] of REBUILD_ROUTES) {
      const answer = await call(method, path('nope-1'));
      expect({ route: `${method} ${path(':id')}`, status: answer.status }).toEqual({
        route: `${method} ${path(':id')}`,
        status: 404,
      });
      expect(errorResponseSchema.parse(answer.body).error).toMatch(/unknown rebuild nope-1|not found/);
    }
  });

  it('refuses a bad id in the body, and transactions without customers, naming the fields', async () => {
    const badId = await call('POST', '/rebuilds', { id: 'a:b', images: 'file:///data/images' });
    expect(badId.status).toBe(400);
    expect(errorResponseSchema.parse(badId.body).issues?.map((i) => i.field)).toEqual(['id']);

    const half = await call('POST', '/rebuilds', {
      images: 'file:///data/images',
      transactions: 'file:///data/transactions_train.csv',
    });
    expect(half.status).toBe(400);
    expect(errorResponseSchema.parse(half.body).issues).toEqual([
      { field: 'customers', message: 'transactions and customers must be given together' },
    ]);
    expect(await queue.getJobCountByTypes('wait')).toBe(0);
  });

  it('answers submit, status, list and cancel in the shapes core declares', async () => {
    const created = await call('POST', '/rebuilds', {
      id: 'shape-1',
      images: 'file:///data/images',
      pcaDims: 8,
    });
    expect(created.status).toBe(202);
    expect(submitResponseSchema.parse(created.body)).toEqual({ rebuildId: 'shape-1', created: true });

    const status = await call('GET', '/rebuilds/shape-1');
    expect(status.status).toBe(200);
    const parsed = rebuildStatusResponseSchema.parse(status.body);
    expect(parsed.manifest).toMatchObject({ rebuildId: 'shape-1', status: 'running', step: 'plan' });
    expect(parsed.job).toMatchObject({ state: 'waiting', attemptsMade: 0 });
    // The schema keeps every field the producer sends: nothing is answered that the contract does not name.
    expect(parsed).toEqual(status.body);

    const list = await call('GET', '/rebuilds');
    expect(rebuildListResponseSchema.parse(list.body).rebuilds.map((r) => r.rebuildId)).toContain('shape-1');

    const cancel = await call('POST', '/rebuilds/shape-1/cancel');
    expect(cancel.status).toBe(202);
    expect(cancelResponseSchema.parse(cancel.body)).toEqual({ rebuildId: 'shape-1', cancelling: true });
  });
});
