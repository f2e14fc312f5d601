import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export type ClaimResult = { created: true } | { created: false; existing: string };

/**
 * Who created a rebuild id, decided by Redis: `SET NX` of the id's spec. Of concurrent submits of
 * one id exactly one creates it; the others read the spec it was created with (and compare theirs).
 * Also a short lock per id for operations that must not overlap (retrying a rebuild).
 */
export class RebuildClaims {
  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  private specKey(rebuildId: string): string {
    return `${this.prefix}:lookalike:rebuild-spec:${rebuildId}`;
  }

  private lockKey(rebuildId: string): string {
    return `${this.prefix}:lookalike:rebuild-lock:${rebuildId}`;
  }

  /** Claims `rebuildId` for `spec` (a canonical JSON text); the existing spec when someone else holds it. */
  async claim(rebuildId: string, spec: string): Promise<ClaimResult> {
    const key = this.specKey(rebuildId);
    for (let tries = 0; tries < 5; tries++) {
      if ((await this.connection.set(key, spec, 'NX')) === 'OK') return { created: true };
      const existing = await this.connection.get(key);
      // Expired or deleted between the two commands: try again.
      if (existing !== null) return { created: false, existing };
    }
    throw new Error(`rebuild ${rebuildId}: could not claim its id`);
  }

  /** Records the spec of a rebuild created before claims existed (or whose claim Redis lost). */
  async remember(rebuildId: string, spec: string): Promise<void> {
    await this.connection.set(this.specKey(rebuildId), spec, 'NX');
  }

  /**
   * Runs `fn` holding a lock on `rebuildId` for at most `ttlMs`; undefined without running it when
   * another holder has the lock.
   */
  async withLock<T>(
    rebuildId: string,
    ttlMs: number,
    fn: () => Promise<T>,
  ): Promise<{ value: T } | undefined> {
    const key = this.lockKey(rebuildId);
    const token = randomBytes(8).toString('hex');
    if ((await this.connection.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
    try {
      return { value: await fn() };
    } finally {
      if ((await this.connection.get(key)) === token) await this.connection.del(key);
    }
  }
}
