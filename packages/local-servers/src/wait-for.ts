/** Polls `probe` until it succeeds or `timeoutMs` passes; returns quietly once `signal` aborts. */
export async function waitFor(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  while (Date.now() < deadline) {
    if (signal?.aborted) return;
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 200);
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms`);
}
