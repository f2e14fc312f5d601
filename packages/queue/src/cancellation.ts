import type { Redis } from 'ioredis';

/**
 * Cancellation flags in Redis, readable by every process: the orchestrator stops at its next
 * step, and workers skip jobs of a cancelled rebuild.
 */
export class CancellationRegistry {
  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  private key(rebuildId: string): string {
    return `${this.prefix}:lookalike:cancelled:${rebuildId}`;
  }

  async cancel(rebuildId: string): Promise<void> {
    await this.connection.set(this.key(rebuildId), new Date().toISOString(), 'EX', 30 * 24 * 3600);
  }

  /** Lifts the flag (a cancelled or failed rebuild that is retried). */
  async clear(rebuildId: string): Promise<void> {
    await this.connection.del(this.key(rebuildId));
  }

  async isCancelled(rebuildId: string): Promise<boolean> {
    return (await this.connection.exists(this.key(rebuildId))) === 1;
  }
}
