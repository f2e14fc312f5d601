import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startS3Server, testServerEnv } from '@lookalike/local-servers';
import { S3ObjectStore, StorageError, ObjectNotFoundError, type S3ObjectStoreOptions } from '../src';
import { describeObjectStoreConformance } from './object-store-conformance';
import { FaultProxy } from './fault-proxy';
import { chunkedStream, collectList, collectPrefixes, randomBuffer, sha256, utf8Sorted } from './helpers';

function s3Options(overrides: Partial<S3ObjectStoreOptions> = {}): S3ObjectStoreOptions {
  const env = testServerEnv();
  return {
    bucket: env.LOOKALIKE_TEST_S3_BUCKET,
    prefix: `storage-tests/${randomUUID()}`,
    endpoint: env.LOOKALIKE_TEST_S3_ENDPOINT,
    region: env.LOOKALIKE_TEST_S3_REGION,
    credentials: {
      accessKeyId: env.LOOKALIKE_TEST_S3_ACCESS_KEY_ID,
      secretAccessKey: env.LOOKALIKE_TEST_S3_SECRET_ACCESS_KEY,
    },
    ...overrides,
  };
}

describeObjectStoreConformance('S3ObjectStore (s3rver)', async () => ({
  store: new S3ObjectStore(s3Options()),
}));

describe('S3ObjectStore', () => {
  it('keeps stores with different prefixes apart and lists keys relative to the prefix', async () => {
    const a = new S3ObjectStore(s3Options());
    const b = new S3ObjectStore(s3Options());
    try {
      await a.put('same/key', Buffer.from('a'));
      await b.put('same/key', Buffer.from('b'));
      expect((await a.get('same/key')).toString()).toBe('a');
      expect((await b.get('same/key')).toString()).toBe('b');
      expect(await collectList(a, '')).toEqual([{ key: 'same/key', size: 1 }]);
      expect(a.url).toBe(`s3://${a.bucket}/${a.prefix}`);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('works without a prefix (keys at the bucket root)', async () => {
    const store = new S3ObjectStore(s3Options({ prefix: '' }));
    const key = `root-level-${randomUUID()}`;
    try {
      await store.put(key, Buffer.from('root'));
      expect((await store.get(key)).toString()).toBe('root');
      expect((await collectList(store, key)).map((e) => e.key)).toEqual([key]);
      await store.delete(key);
      expect(await store.exists(key)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('keeps the content type', async () => {
    const store = new S3ObjectStore(s3Options());
    try {
      await store.put('t.json', Buffer.from('{}'), { contentType: 'application/json' });
      expect((await store.head('t.json'))?.contentType).toBe('application/json');
    } finally {
      await store.close();
    }
  });

  it('uploads big streams and buffers in parts, small ones in one PUT', async () => {
    const proxy = await new FaultProxy(testServerEnv().LOOKALIKE_TEST_S3_ENDPOINT).start();
    const store = new S3ObjectStore(s3Options({ endpoint: proxy.endpoint }));
    try {
      const data = randomBuffer(11 * 1024 * 1024);
      await store.put('mp.bin', chunkedStream(data));
      const requests = proxy.seen.map((r) => `${r.method} ${r.url.replace(/uploadId=[^&]+/, 'uploadId=*')}`);
      expect(requests.filter((r) => r.startsWith('POST') && /\?uploads=?$/.test(r))).toHaveLength(1);
      expect(requests.filter((r) => /^PUT .*partNumber=\d/.test(r))).toHaveLength(2); // 8 MiB parts
      expect(requests.filter((r) => /^POST .*uploadId=/.test(r))).toHaveLength(1);
      expect(sha256(await store.get('mp.bin'))).toBe(sha256(data));

      proxy.clear();
      await store.put('big-buffer.bin', data);
      expect(proxy.seen.filter((r) => /partNumber=/.test(r.url))).toHaveLength(2);

      proxy.clear();
      await store.put('small.bin', chunkedStream(randomBuffer(1000)));
      await store.put('small-buffer.bin', randomBuffer(1000));
      expect(proxy.seen.map((r) => r.method)).toEqual(['PUT', 'PUT']);
      expect(proxy.seen.every((r) => !/partNumber|uploads/.test(r.url))).toBe(true);
    } finally {
      await store.close();
      await proxy.stop();
    }
  });

  it('sends a large listPageSize so that s3rver can answer in one page', async () => {
    const proxy = await new FaultProxy(testServerEnv().LOOKALIKE_TEST_S3_ENDPOINT).start();
    const store = new S3ObjectStore(s3Options({ endpoint: proxy.endpoint, listPageSize: 1_000_000 }));
    try {
      const keys = [
        'r/neighbours/00000.bin',
        'r/neighbours/00001.bin',
        'r/neighbours.csv',
        'r/neighbours.json',
        'r/pca.bin',
      ];
      for (const key of keys) await store.put(key, Buffer.from(key));
      proxy.clear();
      expect((await collectList(store, 'r/')).map((e) => e.key)).toEqual(utf8Sorted(keys));
      expect(proxy.seen).toHaveLength(1);
      expect(proxy.seen[0]!.url).toContain('max-keys=1000000');
    } finally {
      await store.close();
      await proxy.stop();
    }
  });

  it("lists prefixes with Delimiter '/' across pages, each prefix once", async () => {
    const proxy = await new FaultProxy(testServerEnv().LOOKALIKE_TEST_S3_ENDPOINT).start();
    const store = new S3ObjectStore(s3Options({ endpoint: proxy.endpoint, listPageSize: 1 }));
    try {
      const keys = ['p/a', 'p/b/1', 'p/c', 'p/d/1', 'p/d/2', 'p/e', 'p/f/1'];
      for (const key of keys) await store.put(key, Buffer.from(key));
      proxy.clear();
      expect(await collectPrefixes(store, 'p/')).toEqual(['p/b/', 'p/d/', 'p/f/']);
      expect(proxy.seen.length).toBeGreaterThan(1);
      expect(proxy.seen.every((request) => request.url.includes('delimiter=%2F'))).toBe(true);
    } finally {
      await store.close();
      await proxy.stop();
    }
  });

  it('reports a missing bucket as a StorageError, not as a missing object', async () => {
    const store = new S3ObjectStore(s3Options({ bucket: `no-such-bucket-${Date.now()}` }));
    try {
      const error = await store.get('x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).not.toBeInstanceOf(ObjectNotFoundError);
      // Waiting will not create the bucket: permanent.
      expect((error as StorageError).retryable).toBe(false);
      expect((error as Error).message).toMatch(/NoSuchBucket/);
    } finally {
      await store.close();
    }
  });

  describe('retries (through a fault-injecting proxy)', () => {
    let proxy: FaultProxy;
    let store: S3ObjectStore;

    beforeAll(async () => {
      proxy = await new FaultProxy(testServerEnv().LOOKALIKE_TEST_S3_ENDPOINT).start();
    });

    afterAll(async () => {
      await proxy.stop();
    });

    beforeEach(() => {
      proxy.clear();
      store = new S3ObjectStore(s3Options({ endpoint: proxy.endpoint, maxAttempts: 4 }));
    });

    afterEach(async () => {
      await store.close();
    });

    it('retries a transient 503 and succeeds', async () => {
      proxy.inject({
        method: 'PUT',
        fault: { kind: 'status', status: 503, code: 'ServiceUnavailable' },
        times: 2,
      });
      await store.put('r/503', Buffer.from('payload'));
      expect(proxy.seen.map((r) => `${r.method} ${r.fault}`)).toEqual([
        'PUT status',
        'PUT status',
        'PUT forwarded',
      ]);
      expect((await store.get('r/503')).toString()).toBe('payload');
    });

    it('retries 500 on reads and SlowDown throttling', async () => {
      await store.put('r/500', Buffer.from('read me'));
      proxy.clear();
      proxy.inject({ method: 'GET', fault: { kind: 'status', status: 500, code: 'InternalError' } });
      proxy.inject({ method: 'GET', fault: { kind: 'status', status: 503, code: 'SlowDown' } });
      expect((await store.get('r/500')).toString()).toBe('read me');
      expect(proxy.seen.map((r) => r.fault)).toEqual(['status', 'status', 'forwarded']);
    });

    it('retries a dropped connection', async () => {
      proxy.inject({ method: 'PUT', fault: { kind: 'reset' } });
      await store.put('r/reset', Buffer.from('after reset'));
      expect(proxy.seen.map((r) => r.fault)).toEqual(['reset', 'forwarded']);
      expect((await store.get('r/reset')).toString()).toBe('after reset');
    });

    it('re-reads a response body that breaks off mid-way', async () => {
      const data = randomBuffer(256 * 1024);
      await store.put('r/body', data);
      proxy.clear();
      proxy.inject({ method: 'GET', fault: { kind: 'truncate-body' } });
      expect(sha256(await store.get('r/body'))).toBe(sha256(data));
      expect(proxy.seen.map((r) => r.fault)).toEqual(['truncate-body', 'forwarded']);
    });

    it('retries a failed part of a multipart upload', async () => {
      const data = randomBuffer(11 * 1024 * 1024);
      // The first PUT is the first UploadPart (CreateMultipartUpload is a POST).
      proxy.inject({ method: 'PUT', fault: { kind: 'status', status: 503, code: 'ServiceUnavailable' } });
      await store.put('r/multipart', chunkedStream(data));
      expect(proxy.seen.filter((r) => r.fault === 'status')).toHaveLength(1);
      expect(sha256(await store.get('r/multipart'))).toBe(sha256(data));
    });

    it('gives up after maxAttempts', async () => {
      proxy.inject({
        method: 'PUT',
        fault: { kind: 'status', status: 503, code: 'ServiceUnavailable' },
        times: Infinity,
      });
      const error = await store.put('r/down', Buffer.from('x')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).statusCode).toBe(503);
      expect((error as StorageError).retryable).toBe(true);
      expect(proxy.seen).toHaveLength(4);
    });

    it.each([
      [400, 'InvalidArgument'],
      [403, 'AccessDenied'],
      [409, 'OperationAborted'],
    ])('does not retry a %i', async (status, code) => {
      proxy.inject({ fault: { kind: 'status', status, code } });
      const error = await store.put('r/4xx', Buffer.from('x')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).statusCode).toBe(status);
      expect((error as Error).message).toContain(code);
      expect((error as StorageError).retryable).toBe(false);
      expect(proxy.seen).toHaveLength(1);
    });

    it('does not retry a 404 and reports it as ObjectNotFoundError', async () => {
      const error = await store.get('r/missing').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ObjectNotFoundError);
      expect((error as StorageError).retryable).toBe(false);
      expect(proxy.seen).toHaveLength(1);
    });

    it('retries each request on its own: an outage of many failed requests leaves no retry quota drained', async () => {
      // 60 requests × 4 attempts of dropped connections: 180 retries, enough to drain the SDK's
      // shared quota (500 tokens, 10 per network-error retry) three times over.
      proxy.inject({ fault: { kind: 'reset' }, times: 60 * 4 });
      const failures = await Promise.all(
        Array.from({ length: 60 }, (_, i) => store.get(`r/outage-${i}`).catch((e: unknown) => e)),
      );
      for (const error of failures) {
        expect(error).toBeInstanceOf(StorageError);
        expect((error as StorageError).retryable).toBe(true);
      }
      // Back up: a connection dropped once (a keep-alive socket the server had closed) is still retried.
      await store.put('r/after-outage', Buffer.from('ok'));
      proxy.clear();
      proxy.inject({ method: 'GET', fault: { kind: 'reset' } });
      expect((await store.get('r/after-outage')).toString()).toBe('ok');
      expect(proxy.seen.map((r) => r.fault)).toEqual(['reset', 'forwarded']);
    });
  });
});

describe('S3ObjectStore across a storage outage (s3rver stopped and started again)', () => {
  it('fails fast with a retryable error while the server is down, and works at once when it is back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookalike-s3-outage-'));
    const port = await freePort();
    let server = await startS3Server({ port, dir, buckets: ['outage'] });
    const store = new S3ObjectStore({
      bucket: 'outage',
      endpoint: server.endpoint,
      region: server.region,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 3,
    });
    try {
      await store.put('a', Buffer.from('before'));
      expect((await store.get('a')).toString()).toBe('before');
      await server.stop();
      const started = Date.now();
      const error = await store.get('a').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
      server = await startS3Server({ port, dir, buckets: ['outage'] });
      // The keep-alive sockets of before the outage are gone: the first request after it succeeds.
      expect((await store.get('a')).toString()).toBe('before');
      await store.put('b', Buffer.from('after'));
      expect((await store.get('b')).toString()).toBe('after');
    } finally {
      await store.close();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
