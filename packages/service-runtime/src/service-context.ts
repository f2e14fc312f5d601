import type { Redis } from 'ioredis';
import { ConfigError, createLogger, loadConfig, type Config, type Logger } from '@lookalike/core';
import { ServiceMetrics } from '@lookalike/observability';
import { createRedisConnection } from '@lookalike/queue';
import { openObjectStore, type ObjectStore } from '@lookalike/storage';

/** What every service has: its config, logger, Redis connection, working store and metrics. */
export interface ServiceContext {
  service: string;
  config: Config;
  logger: Logger;
  connection: Redis;
  /** The working store (`LOOKALIKE_STORAGE_URL`): every rebuild output lives here. */
  store: ObjectStore;
  metrics: ServiceMetrics;
  /** Opens (and caches) a store for an input location, e.g. the corpus's image folder. */
  openSource(url: string): ObjectStore;
  close(): Promise<void>;
}

/**
 * Reads the configuration (exiting with a message naming the bad variable) and opens the
 * connections every service needs.
 */
export function createServiceContext(service: string, env: NodeJS.ProcessEnv = process.env): ServiceContext {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${service}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ name: service, level: config.logLevel });
  const connection = createRedisConnection(config.redisUrl);
  connection.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const sources = new Map<string, ObjectStore>();
  const openSource = (url: string): ObjectStore => {
    let store = sources.get(url);
    if (!store) {
      store = openObjectStore(url, { ...config.s3, logger });
      sources.set(url, store);
    }
    return store;
  };
  const store = openSource(config.storageUrl);
  return {
    service,
    config,
    logger,
    connection,
    store,
    metrics: new ServiceMetrics(service),
    openSource,
    async close() {
      await Promise.all([...sources.values()].map((s) => s.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
