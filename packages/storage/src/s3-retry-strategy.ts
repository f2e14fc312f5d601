import type { Agent } from 'node:http';

/** What the SDK's retry middleware tells a retry strategy about a failed attempt (`RetryErrorInfo` of @smithy/types). */
export interface S3RetryErrorInfo {
  errorType: 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR';
  error?: unknown;
  retryAfterHint?: Date;
}

/** A retry token (`RetryToken` of @smithy/types): how many retries were made, and how long to wait before the next. */
export class S3RetryToken {
  constructor(
    private readonly count: number,
    private readonly delay: number,
  ) {}

  getRetryCount(): number {
    return this.count;
  }

  getRetryDelay(): number {
    return this.delay;
  }
}

export interface PerRequestRetryStrategyOptions {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff (full jitter below it); doubles per retry. Default 100 ms; throttling starts at 500 ms. */
  baseDelayMs?: number;
  /** Cap of one backoff. Default 5 s. */
  maxDelayMs?: number;
  /**
   * Called before retrying a network failure (refused, reset, timed out): e.g. drop the idle
   * keep-alive sockets, so the retry connects afresh instead of reusing one the server closed.
   */
  onNetworkError?: () => void;
  random?: () => number;
}

/**
 * The S3 client's retry strategy (a `RetryStrategyV2`): each request may make `maxAttempts`
 * attempts with exponential full-jitter backoff, whatever other requests did. The SDK's standard
 * strategy shares a retry quota across the whole client (500 tokens, 5–10 per retry): an outage of
 * a few seconds drains it, and for a while after the storage is back no request is retried at all
 * — not even a reset keep-alive socket. Long outages are ridden out above this, by the job-level
 * retry budget (`@lookalike/queue` RetryPolicy); here a request only gets over blips.
 */
export class PerRequestRetryStrategy {
  readonly mode = 'standard';
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;

  constructor(private readonly options: PerRequestRetryStrategyOptions) {
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts));
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
    this.random = options.random ?? Math.random;
  }

  async acquireInitialRetryToken(_scope: string): Promise<S3RetryToken> {
    return new S3RetryToken(0, 0);
  }

  async refreshRetryTokenForRetry(token: S3RetryToken, info: S3RetryErrorInfo): Promise<S3RetryToken> {
    const retries = token.getRetryCount() + 1;
    if (info.errorType === 'CLIENT_ERROR') throw new Error('not retryable');
    if (retries >= this.maxAttempts) throw new Error(`no attempts left (${this.maxAttempts})`);
    if (info.errorType === 'TRANSIENT') this.options.onNetworkError?.();
    const base = info.errorType === 'THROTTLING' ? Math.max(500, this.baseDelayMs) : this.baseDelayMs;
    const ceiling = Math.min(this.maxDelayMs, base * 2 ** (retries - 1));
    let delay = Math.floor(this.random() * ceiling);
    if (info.retryAfterHint instanceof Date) {
      delay = Math.max(delay, Math.min(this.maxDelayMs, info.retryAfterHint.getTime() - Date.now()));
    }
    return new S3RetryToken(retries, delay);
  }

  recordSuccess(_token: S3RetryToken): void {}
}

/** Destroys an agent's idle keep-alive sockets (active requests keep theirs). */
export function destroyIdleSockets(agent: Agent): void {
  for (const sockets of Object.values(agent.freeSockets)) {
    for (const socket of sockets ?? []) socket.destroy();
  }
}
