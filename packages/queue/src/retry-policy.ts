import { classifyFailure, type WaitingFor } from '@lookalike/core';

/** Name of the backoff type of every job of the system (computed by `RetryPolicy.backoff`). */
export const RETRY_BACKOFF_TYPE = 'lookalike';

/** Default `LOOKALIKE_RETRY_BUDGET_MS`: long enough to ride out a restart of the storage or of Redis. */
export const DEFAULT_RETRY_BUDGET_MS = 10 * 60_000;

export interface RetryPolicyOptions {
  /** Backoff time a job may spend retrying transient failures before it fails (0 = none). */
  budgetMs: number;
  /** First backoff; doubles per attempt up to `maxDelayMs`. Default 1 s. */
  baseDelayMs?: number;
  /** Cap of one backoff, so that a job notices soon that the storage is back. Default 15 s. */
  maxDelayMs?: number;
  /** Attempts, the first included, for failures of unknown class. Default 5. */
  unknownAttempts?: number;
}

export type RetryDecision =
  | {
      retry: true;
      kind: 'transient' | 'unknown';
      /** What a transient failure waits for (undefined for unknown failures). */
      waitingFor?: WaitingFor;
      /** Nominal backoff before the next attempt. */
      delayMs: number;
    }
  | {
      retry: false;
      /** Why not: the failure is permanent, the budget is spent, or an unknown failure ran out of attempts. */
      kind: 'permanent' | 'budget' | 'attempts';
      /** The message the job fails with. */
      message: string;
    };

function formatMs(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 6000) / 10} min` : `${Math.round(ms / 100) / 10} s`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * When a failed job is tried again (issue 11). Permanent failures fail it at once; transient ones
 * are retried with capped exponential backoff for as long as the backoff time already spent,
 * `spentMs(attempt)`, stays within the budget — counted from the attempt number alone, so the
 * same on every worker and across restarts; unknown ones get a few attempts.
 */
export class RetryPolicy {
  readonly budgetMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly unknownAttempts: number;

  constructor(options: RetryPolicyOptions) {
    this.budgetMs = Math.max(0, options.budgetMs);
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 15_000;
    this.unknownAttempts = options.unknownAttempts ?? 5;
  }

  /** Nominal backoff after the `attempt`-th failed attempt (1-based). */
  delayFor(attempt: number): number {
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)));
  }

  /** Nominal backoff time before attempt `attempt + 1`, summed over the first `attempt` failures. */
  spentMs(attempt: number): number {
    let total = 0;
    for (let i = 1; i <= attempt; i++) total += this.delayFor(i);
    return total;
  }

  /** BullMQ's `backoffStrategy`: the nominal delay with ±20 % jitter, so that retried jobs spread out. */
  backoff(attempt: number, random: () => number = Math.random): number {
    return Math.round(this.delayFor(attempt) * (0.8 + 0.4 * random()));
  }

  /** What to do after the `attempt`-th attempt (1-based) failed with `error`. */
  decide(error: unknown, attempt: number): RetryDecision {
    const failure = classifyFailure(error);
    const message = messageOf(error);
    if (failure.kind === 'permanent') return { retry: false, kind: 'permanent', message };
    if (failure.kind === 'unknown') {
      if (attempt < this.unknownAttempts)
        return { retry: true, kind: 'unknown', delayMs: this.delayFor(attempt) };
      return { retry: false, kind: 'attempts', message: `failed ${attempt} times: ${message}` };
    }
    if (this.spentMs(attempt) <= this.budgetMs) {
      return {
        retry: true,
        kind: 'transient',
        waitingFor: failure.waitingFor,
        delayMs: this.delayFor(attempt),
      };
    }
    const waited = this.spentMs(attempt - 1);
    return {
      retry: false,
      kind: 'budget',
      message: `gave up after ${attempt} attempts and ${formatMs(waited)} of waiting for ${failure.waitingFor}: ${message}`,
    };
  }
}
