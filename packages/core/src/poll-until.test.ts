import { pollUntil, PollTimeoutError } from './poll-until';

describe('pollUntil', () => {
  it('returns the first value that is not undefined or false, checking every interval', async () => {
    let calls = 0;
    const started = Date.now();
    const value = await pollUntil(
      () => {
        calls += 1;
        return calls === 1 ? undefined : calls === 2 ? false : calls >= 4 && { calls };
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    expect(value).toEqual({ calls: 4 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('accepts async checks and falsy values other than undefined and false', async () => {
    await expect(pollUntil(async () => 0, { timeoutMs: 10 })).resolves.toBe(0);
    await expect(pollUntil(async () => '', { timeoutMs: 10 })).resolves.toBe('');
  });

  it('throws PollTimeoutError with the message after the timeout, checking once more at the deadline', async () => {
    let calls = 0;
    let last = 'none';
    const started = Date.now();
    const error = await pollUntil(
      () => {
        calls += 1;
        last = `check ${calls}`;
        return undefined;
      },
      { timeoutMs: 120, intervalMs: 50, timeoutMessage: () => `not ready (last: ${last})` },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollTimeoutError);
    expect((error as Error).message).toBe(`not ready (last: check ${calls})`);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops with the error a check throws', async () => {
    await expect(pollUntil(() => Promise.reject(new Error('broken')), { timeoutMs: 1000 })).rejects.toThrow(
      'broken',
    );
  });

  it('stops mid-pause when the signal aborts, with its reason', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 30);
    const started = Date.now();
    await expect(
      pollUntil(() => undefined, { timeoutMs: 10_000, intervalMs: 5000, signal: controller.signal }),
    ).rejects.toThrow('shutting down');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
