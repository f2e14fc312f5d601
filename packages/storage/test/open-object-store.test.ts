import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@lookalike/core';
import { testServerEnv } from '@lookalike/local-servers';
import { FsObjectStore, InvalidStoreUrlError, openObjectStore, S3ObjectStore } from '../src';

describe('openObjectStore', () => {
  it('opens file:///abs/path as a filesystem store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookalike-open-'));
    try {
      const store = openObjectStore(pathToFileURL(join(dir, 'data')).href);
      expect(store).toBeInstanceOf(FsObjectStore);
      expect((store as FsObjectStore).root).toBe(join(dir, 'data'));
      await store.put('a/b', Buffer.from('x'));
      expect((await store.get('a/b')).toString()).toBe('x');
      expect(openObjectStore('file://localhost/tmp/x')).toBeInstanceOf(FsObjectStore);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('opens s3://bucket/prefix with the connection options and works against s3rver', async () => {
    const env = testServerEnv();
    const store = openObjectStore(`s3://${env.LOOKALIKE_TEST_S3_BUCKET}/open-tests/run-${Date.now()}/`, {
      endpoint: env.LOOKALIKE_TEST_S3_ENDPOINT,
      region: env.LOOKALIKE_TEST_S3_REGION,
      credentials: {
        accessKeyId: env.LOOKALIKE_TEST_S3_ACCESS_KEY_ID,
        secretAccessKey: env.LOOKALIKE_TEST_S3_SECRET_ACCESS_KEY,
      },
    });
    try {
      expect(store).toBeInstanceOf(S3ObjectStore);
      expect((store as S3ObjectStore).prefix).toMatch(/^open-tests\/run-\d+$/);
      expect((store as S3ObjectStore).bucket).toBe(env.LOOKALIKE_TEST_S3_BUCKET);
      await store.put('k', Buffer.from('v'));
      expect((await store.get('k')).toString()).toBe('v');
    } finally {
      await store.close();
    }
    const bare = openObjectStore('s3://just-a-bucket');
    expect((bare as S3ObjectStore).prefix).toBe('');
    await bare.close();
  });

  it("takes core's config as it is: openObjectStore(config.storageUrl, config.s3)", async () => {
    const env = testServerEnv();
    const config = loadConfig({
      LOOKALIKE_STORAGE_URL: `s3://${env.LOOKALIKE_TEST_S3_BUCKET}/config-tests/${Date.now()}`,
      LOOKALIKE_S3_ENDPOINT: env.LOOKALIKE_TEST_S3_ENDPOINT,
      LOOKALIKE_S3_REGION: env.LOOKALIKE_TEST_S3_REGION,
      LOOKALIKE_S3_ACCESS_KEY_ID: env.LOOKALIKE_TEST_S3_ACCESS_KEY_ID,
      LOOKALIKE_S3_SECRET_ACCESS_KEY: env.LOOKALIKE_TEST_S3_SECRET_ACCESS_KEY,
    });
    const store = openObjectStore(config.storageUrl, config.s3);
    try {
      await store.put('from-config', Buffer.from('ok'));
      expect((await store.get('from-config')).toString()).toBe('ok');
    } finally {
      await store.close();
    }
    const local = loadConfig({}, { defaultStorageDir: '/tmp/lookalike storage' });
    expect((openObjectStore(local.storageUrl) as FsObjectStore).root).toBe('/tmp/lookalike storage');
  });

  it.each([
    ['http://example.com/x', /unsupported scheme "http:"/],
    ['gs://bucket/x', /unsupported scheme/],
    ['/abs/path', /not a URL/],
    ['relative/path', /not a URL/],
    ['file://relative/path', /absolute path/],
    ['s3:///prefix-only', /missing bucket/],
    ['s3://bucket/a/../b', /".." segment/],
    ['s3://bucket/a/%2E%2E/b', /".." segment/],
    ['s3://bucket/./b', /"." or/],
    ['file:///data/../etc', /".." segment/],
    ['s3://bucket/a//b', /empty segment/],
    ['s3://key:secret@bucket/x', /credentials/],
    ['s3://bucket/x?region=eu', /query/],
  ])('rejects %s', (url, message) => {
    expect(() => openObjectStore(url)).toThrow(InvalidStoreUrlError);
    expect(() => openObjectStore(url)).toThrow(message);
  });
});
