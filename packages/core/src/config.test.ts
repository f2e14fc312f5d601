import { ConfigError, DEFAULT_MODEL_URL, loadConfig } from './config';

describe('loadConfig', () => {
  it('gives working local defaults for an empty environment', () => {
    const config = loadConfig({}, { defaultStorageDir: '/tmp/store' });
    expect(config).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'lookalike',
      storageUrl: 'file:///tmp/store',
      modelUrl: DEFAULT_MODEL_URL,
      backend: 'auto',
      concurrency: 1,
      http: { host: '127.0.0.1', port: 8080 },
      s3: { region: 'us-east-1', forcePathStyle: false },
    });
    expect(config.s3.credentials).toBeUndefined();
  });

  it('reads every setting', () => {
    const config = loadConfig({
      LOOKALIKE_REDIS_URL: 'redis://redis.internal:6380/2',
      LOOKALIKE_STORAGE_URL: 's3://hm-corpus/lookalike',
      LOOKALIKE_S3_ENDPOINT: 'http://127.0.0.1:9000',
      LOOKALIKE_S3_REGION: 'eu-north-1',
      LOOKALIKE_S3_ACCESS_KEY_ID: 'id',
      LOOKALIKE_S3_SECRET_ACCESS_KEY: 'secret',
      LOOKALIKE_MODEL_URL: 'https://models.example/mnv2/model.json',
      LOOKALIKE_BACKEND: 'wasm',
      LOOKALIKE_CONCURRENCY: '4',
      LOOKALIKE_HTTP_PORT: '9090',
    });
    expect(config.storageUrl).toBe('s3://hm-corpus/lookalike');
    expect(config.s3).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-north-1',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      forcePathStyle: true,
    });
    expect(config.concurrency).toBe(4);
    expect(config.backend).toBe('wasm');
    expect(config.http.port).toBe(9090);
  });

  it('names each bad variable and the value it got', () => {
    let error: unknown;
    try {
      loadConfig({ LOOKALIKE_CONCURRENCY: 'many', LOOKALIKE_BACKEND: 'gpu', LOOKALIKE_STORAGE_URL: 'ftp://x' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/LOOKALIKE_CONCURRENCY: .*"many"/);
    expect(message).toMatch(/LOOKALIKE_BACKEND: expected one of auto, tensorflow, wasm, cpu .*"gpu"/);
    expect(message).toMatch(/LOOKALIKE_STORAGE_URL: expected s3:\/\/bucket/);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('rejects half-given credentials and a non-redis URL', () => {
    expect(() => loadConfig({ LOOKALIKE_S3_ACCESS_KEY_ID: 'id' })).toThrow(/LOOKALIKE_S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ LOOKALIKE_DASHBOARD_USER: 'admin' })).toThrow(/LOOKALIKE_DASHBOARD_PASSWORD/);
    expect(() => loadConfig({ LOOKALIKE_REDIS_URL: 'http://localhost' })).toThrow(/LOOKALIKE_REDIS_URL: expected a redis/);
    expect(() => loadConfig({ LOOKALIKE_CONCURRENCY: '0' })).toThrow(/LOOKALIKE_CONCURRENCY/);
  });
});
