import { startRedisServer, type RedisServer } from './redis-server';
import { startS3Server, type S3Server } from './s3-server';

/** Bucket that the test S3 server creates at start. */
export const TEST_BUCKET = 'lookalike-test';

/** Environment variables through which integration tests find the servers. */
export interface TestServerEnv {
  LOOKALIKE_TEST_REDIS_URL: string;
  LOOKALIKE_TEST_S3_ENDPOINT: string;
  LOOKALIKE_TEST_S3_BUCKET: string;
  LOOKALIKE_TEST_S3_ACCESS_KEY_ID: string;
  LOOKALIKE_TEST_S3_SECRET_ACCESS_KEY: string;
  LOOKALIKE_TEST_S3_REGION: string;
}

export interface TestServers {
  redis: RedisServer;
  s3: S3Server;
  env: TestServerEnv;
  stop(): Promise<void>;
}

/** Starts a real Redis and a real S3 endpoint on free loopback ports, each in its own temp dir. */
export async function startTestServers(): Promise<TestServers> {
  const [redis, s3] = await Promise.allSettled([
    startRedisServer(),
    startS3Server({ buckets: [TEST_BUCKET] }),
  ]);
  if (redis.status === 'rejected' || s3.status === 'rejected') {
    if (redis.status === 'fulfilled') await redis.value.stop();
    if (s3.status === 'fulfilled') await s3.value.stop();
    throw redis.status === 'rejected' ? redis.reason : (s3 as PromiseRejectedResult).reason;
  }
  const env: TestServerEnv = {
    LOOKALIKE_TEST_REDIS_URL: redis.value.url,
    LOOKALIKE_TEST_S3_ENDPOINT: s3.value.endpoint,
    LOOKALIKE_TEST_S3_BUCKET: TEST_BUCKET,
    LOOKALIKE_TEST_S3_ACCESS_KEY_ID: s3.value.accessKeyId,
    LOOKALIKE_TEST_S3_SECRET_ACCESS_KEY: s3.value.secretAccessKey,
    LOOKALIKE_TEST_S3_REGION: s3.value.region,
  };
  return {
    redis: redis.value,
    s3: s3.value,
    env,
    async stop() {
      await Promise.all([redis.value.stop(), s3.value.stop()]);
    },
  };
}

/** Reads the test servers' environment inside a test; fails clearly when global setup did not run. */
export function testServerEnv(): TestServerEnv {
  const url = process.env.LOOKALIKE_TEST_REDIS_URL;
  if (!url) {
    throw new Error(
      'LOOKALIKE_TEST_REDIS_URL is not set: this test needs the jest global setup of @lookalike/local-servers (jest.preset.js `withServers`)',
    );
  }
  const read = (name: keyof TestServerEnv) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set by the test global setup`);
    return value;
  };
  return {
    LOOKALIKE_TEST_REDIS_URL: url,
    LOOKALIKE_TEST_S3_ENDPOINT: read('LOOKALIKE_TEST_S3_ENDPOINT'),
    LOOKALIKE_TEST_S3_BUCKET: read('LOOKALIKE_TEST_S3_BUCKET'),
    LOOKALIKE_TEST_S3_ACCESS_KEY_ID: read('LOOKALIKE_TEST_S3_ACCESS_KEY_ID'),
    LOOKALIKE_TEST_S3_SECRET_ACCESS_KEY: read('LOOKALIKE_TEST_S3_SECRET_ACCESS_KEY'),
    LOOKALIKE_TEST_S3_REGION: read('LOOKALIKE_TEST_S3_REGION'),
  };
}
