import { pollUntil } from '@lookalike/core';

/** Polls `probe` (an error counts as not ready) until it succeeds or `timeoutMs` passes; returns quietly once `signal` aborts. */
export async function waitFor(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await pollUntil(() => probe().catch(() => false), {
      timeoutMs,
      intervalMs: 25,
      signal,
      timeoutMessage: `${what} was not ready within ${timeoutMs} ms`,
    });
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
}
