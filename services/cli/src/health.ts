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
  const intervalMs = options.intervalMs ?? 250;
  const fetchImpl = options.fetch ?? ((u: string, init?: RequestInit) => fetch(u, init));
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (true) {
    options.signal?.throwIfAborted();
    try {
      const perRequest = AbortSignal.timeout(Math.max(100, Math.min(2000, deadline - Date.now())));
      const signal = options.signal ? AbortSignal.any([options.signal, perRequest]) : perRequest;
      const response = await fetchImpl(url, { signal });
      const text = await response.text();
      if (response.ok) {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return undefined;
        }
      }
      last = `HTTP ${response.status}${text ? ` ${text.slice(0, 200)}` : ''}`;
    } catch (err) {
      options.signal?.throwIfAborted();
      const cause = (err as Error & { cause?: Error }).cause;
      last = cause?.message ?? (err as Error).message;
    }
    if (Date.now() >= deadline)
      throw new Error(`${url} was not healthy within ${timeoutMs} ms (last: ${last})`);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))),
    );
  }
}
