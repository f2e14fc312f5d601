import { setTimeout as sleep } from 'node:timers/promises';

export interface PollUntilOptions {
  /** Give up after this many ms (the check runs at least once, and once more at the deadline). */
  timeoutMs: number;
  /** Pause between checks (default 100 ms); the last pause is cut to the deadline. */
  intervalMs?: number;
  /** Stops polling, rejecting with the signal's reason, when aborted (also mid-pause). */
  signal?: AbortSignal;
  /** The message of the timeout error (a function is called then, to name the last state seen). */
  timeoutMessage?: string | (() => string);
}

/** Thrown by `pollUntil` when the condition was not met in time. */
export class PollTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PollTimeoutError';
  }
}

/**
 * Runs `check` until it returns something other than `undefined` or `false`, and returns that; waits
 * `intervalMs` between checks and throws `PollTimeoutError` after `timeoutMs`. An error thrown by `check`
 * ends the polling (catch inside `check` to keep polling through errors).
 */
export async function pollUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: PollUntilOptions,
): Promise<T> {
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const value = await check();
    if (value !== undefined && value !== false) return value;
    const left = deadline - Date.now();
    if (left <= 0) {
      const message = options.timeoutMessage;
      throw new PollTimeoutError(
        typeof message === 'function'
          ? message()
          : (message ?? `condition not met within ${options.timeoutMs} ms`),
      );
    }
    const signal = options.signal;
    await sleep(Math.min(intervalMs, left), undefined, signal ? { signal } : undefined).catch(
      (error: unknown) => {
        signal?.throwIfAborted(); // the signal's own reason, not the timer's AbortError
        throw error;
      },
    );
  }
}
