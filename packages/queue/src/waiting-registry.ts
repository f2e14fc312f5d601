import type { Redis } from 'ioredis';
import type { WaitingFor } from '@lookalike/core';

/** One job of a rebuild that failed transiently and waits for its next attempt. */
export interface WaitingJob {
  jobId: string;
  waitingFor: WaitingFor;
  /** The attempt that failed (1-based). */
  attempt: number;
  /** Its error, cut to 300 characters. */
  error: string;
  /** When it failed (ISO). */
  at: string;
  /** Nominal backoff before the next attempt. */
  retryInMs: number;
}

const TTL_SECONDS = 24 * 3600;

/**
 * Which jobs of a rebuild are waiting out a transient failure, in one Redis hash per rebuild
 * (job id → entry): workers add an entry when an attempt fails transiently and remove it when
 * the job completes or fails for good; the status API reads it to say `waiting for storage`.
 */
export class WaitingRegistry {
  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  private key(rebuildId: string): string {
    return `${this.prefix}:lookalike:waiting:${rebuildId}`;
  }

  async record(rebuildId: string, entry: WaitingJob): Promise<void> {
    const value = JSON.stringify({ ...entry, error: entry.error.slice(0, 300) });
    await this.connection
      .multi()
      .hset(this.key(rebuildId), entry.jobId, value)
      .expire(this.key(rebuildId), TTL_SECONDS)
      .exec();
  }

  async clear(rebuildId: string, jobId: string): Promise<void> {
    await this.connection.hdel(this.key(rebuildId), jobId);
  }

  async clearAll(rebuildId: string): Promise<void> {
    await this.connection.del(this.key(rebuildId));
  }

  /** The waiting jobs of a rebuild, most recent failure first. */
  async list(rebuildId: string): Promise<WaitingJob[]> {
    const entries = await this.connection.hgetall(this.key(rebuildId));
    const jobs: WaitingJob[] = [];
    for (const value of Object.values(entries)) {
      try {
        jobs.push(JSON.parse(value) as WaitingJob);
      } catch {
        // A malformed entry is no reason to fail a status request.
      }
    }
    return jobs.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  }
}
