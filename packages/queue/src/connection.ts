import { Redis, type RedisOptions } from 'ioredis';

export interface ConnectionOptions {
  /**
   * Workers (and anything using blocking commands) need `maxRetriesPerRequest: null` so that
   * a Redis restart pauses them instead of failing their commands.
   */
  blocking?: boolean;
  /** Extra ioredis options. */
  redis?: RedisOptions;
}

/** One ioredis connection from a `redis://` URL, set up as BullMQ wants it. */
export function createRedisConnection(url: string, options: ConnectionOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: options.blocking === false ? 20 : null,
    enableReadyCheck: true,
    // Reconnect forever with a capped backoff: Redis restarts must not kill workers.
    retryStrategy: (times) => Math.min(times * 200, 5000),
    ...options.redis,
  });
}
