import { pollUntil } from '@lookalike/core';

export interface WaitForHealthyOptions {
  /** Poll interval. Default 250 ms. */
  intervalMs?: number;
  /** Stops waiting (rejecting with the signal's reason) when aborted. */
  signal?: AbortSignal;
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
}

/**
 * Polls `url` (a `/healthz` endpoint) until it answers 2xx, and returns its JSON body (or
 * undefined when the body is not JSON). Rejects after `timeoutMs` with the last answer or error.
 */
export async function waitForHealthy(
  url: string,
  timeoutMs: number,
  options: WaitForHealthyOptions = {},
): Promise<unknown> {
  const fetchImpl = options.fetch ?? ((u: string, init?: RequestInit) => fetch(u, init));
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  const healthy = await pollUntil(
    async () => {
      try {
        const perRequest = AbortSignal.timeout(Math.max(100, Math.min(2000, deadline - Date.now())));
        const signal = options.signal ? AbortSignal.any([options.signal, perRequest]) : perRequest;
        const response = await fetchImpl(url, { signal });
        const text = await response.text();
        if (response.ok) {
          try {
            return { body: JSON.parse(text) as unknown };
          } catch {
            return { body: undefined };
          }
        }
        last = `HTTP ${response.status}${text ? ` ${text.slice(0, 200)}` : ''}`;
      } catch (err) {
        options.signal?.throwIfAborted();
        const cause = (err as Error & { cause?: Error }).cause;
        last = cause?.message ?? (err as Error).message;
      }
      return undefined;
    },
    {
      timeoutMs,
      intervalMs: options.intervalMs ?? 250,
      ...(options.signal ? { signal: options.signal } : {}),
      timeoutMessage: () => `${url} was not healthy within ${timeoutMs} ms (last: ${last})`,
    },
  );
  return healthy.body;
}
