// Redis + storage for a benchmark run: a fresh Redis (startRedisServer) and a fresh store
// (a temporary folder, or an s3rver bucket).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from './resolve.mjs';

const { startRedisServer, startS3Server } = load('@lookalike/local-servers');
const { openObjectStore } = load('@lookalike/storage');
const { createRedisConnection, createQueue } = load('@lookalike/queue');
const { QueueEvents } = load('bullmq');

export const QUEUE_PREFIX = 'bench';

/** `kind`: 'fs' (file:// temp folder) or 's3' (s3rver on a temp folder). */
export async function startStack(kind, label) {
  const dir = await mkdtemp(join(tmpdir(), `lookalike-bench-${label}-`));
  await mkdir(join(dir, 'redis'));
  const redis = await startRedisServer({ dir: join(dir, 'redis') });
  let s3;
  let storageUrl;
  let storeOptions = {};
  const env = {
    LOOKALIKE_REDIS_URL: redis.url,
    LOOKALIKE_QUEUE_PREFIX: QUEUE_PREFIX,
  };
  if (kind === 's3') {
    s3 = await startS3Server({ dir: join(dir, 's3'), buckets: ['bench'] });
    storageUrl = 's3://bench/store';
    storeOptions = {
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      forcePathStyle: true,
    };
    Object.assign(env, {
      LOOKALIKE_S3_ENDPOINT: s3.endpoint,
      LOOKALIKE_S3_REGION: s3.region,
      LOOKALIKE_S3_ACCESS_KEY_ID: s3.accessKeyId,
      LOOKALIKE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      LOOKALIKE_S3_FORCE_PATH_STYLE: 'true',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    });
  } else if (kind === 'fs') {
    storageUrl = pathToFileURL(join(dir, 'store')).href;
  } else {
    throw new Error(`--store must be fs or s3, got ${kind}`);
  }
  env.LOOKALIKE_STORAGE_URL = storageUrl;
  const store = openObjectStore(storageUrl, storeOptions);
  const connection = createRedisConnection(redis.url);
  return {
    dir,
    redis,
    s3,
    storageUrl,
    storeOptions,
    store,
    env,
    connection,
    queue(name) {
      return createQueue(name, { connection, prefix: QUEUE_PREFIX });
    },
    async events(name) {
      // Not createQueueEvents(): it hands BullMQ `connection.duplicate()`, and BullMQ never closes a
      // connection it was given, so that one would keep reconnecting after Redis stops.
      const own = createRedisConnection(redis.url);
      const events = new QueueEvents(name, { connection: own, prefix: QUEUE_PREFIX });
      await events.waitUntilReady();
      const close = events.close.bind(events);
      events.close = async () => {
        await close();
        own.disconnect();
      };
      return events;
    },
    openStore(url) {
      return openObjectStore(url, storeOptions);
    },
    async stop({ keep = false } = {}) {
      await store.close().catch(() => undefined);
      await connection.quit().catch(() => connection.disconnect());
      await s3?.stop().catch(() => undefined);
      await redis.stop().catch(() => undefined);
      if (!keep) await rm(dir, { recursive: true, force: true });
    },
  };
}
