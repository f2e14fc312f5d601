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
      threads: 1,
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
      LOOKALIKE_BACKEND: 'onnx',
      LOOKALIKE_MODEL_OUTPUT: 'embedding',
      LOOKALIKE_MODEL_CACHE_DIR: '/var/cache/lookalike',
      LOOKALIKE_THREADS: '2',
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
    expect(config.backend).toBe('onnx');
    expect(config).toMatchObject({
      modelOutput: 'embedding',
      modelCacheDir: '/var/cache/lookalike',
      threads: 2,
    });
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
    expect(message).toMatch(/LOOKALIKE_BACKEND: expected one of auto, onnx, tensorflow, wasm, cpu .*"gpu"/);
    expect(message).toMatch(/LOOKALIKE_STORAGE_URL: expected s3:\/\/bucket/);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('refuses a relative model cache folder and a zero thread count', () => {
    expect(() => loadConfig({ LOOKALIKE_MODEL_CACHE_DIR: 'cache' })).toThrow(
      /LOOKALIKE_MODEL_CACHE_DIR: expected an absolute path/,
    );
    expect(() => loadConfig({ LOOKALIKE_THREADS: '0' })).toThrow(/LOOKALIKE_THREADS/);
  });

  it('rejects half-given credentials and a non-redis URL', () => {
    expect(() => loadConfig({ LOOKALIKE_S3_ACCESS_KEY_ID: 'id' })).toThrow(/LOOKALIKE_S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ LOOKALIKE_DASHBOARD_USER: 'admin' })).toThrow(/LOOKALIKE_DASHBOARD_PASSWORD/);
    expect(() => loadConfig({ LOOKALIKE_REDIS_URL: 'http://localhost' })).toThrow(/LOOKALIKE_REDIS_URL: expected a redis/);
    expect(() => loadConfig({ LOOKALIKE_CONCURRENCY: '0' })).toThrow(/LOOKALIKE_CONCURRENCY/);
  });
});

describe('LOOKALIKE_BLAS_CORETYPE', () => {
  it('defaults to auto and takes off or a core name', () => {
    expect(loadConfig({}).blasCoreType).toBe('auto');
    expect(loadConfig({ LOOKALIKE_BLAS_CORETYPE: 'off' }).blasCoreType).toBe('off');
    expect(loadConfig({ LOOKALIKE_BLAS_CORETYPE: 'SkylakeX' }).blasCoreType).toBe('SkylakeX');
  });

  it('names the variable when the value cannot be a core name', () => {
    expect(() => loadConfig({ LOOKALIKE_BLAS_CORETYPE: 'Skylake X' })).toThrow(
      /LOOKALIKE_BLAS_CORETYPE: expected auto, off or an OpenBLAS core name .*"Skylake X"/,
    );
  });
});
