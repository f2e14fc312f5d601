import { waitForHealthy } from './health';

describe('waitForHealthy', () => {
  it('polls until a 2xx answer and returns its JSON', async () => {
    let calls = 0;
    const body = await waitForHealthy('http://x/healthz', 5000, {
      intervalMs: 1,
      fetch: async () => {
        calls += 1;
        if (calls === 1) throw new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') });
        return calls < 3 ? new Response('{"ok":false}', { status: 503 }) : new Response('{"ok":true}');
      },
    });
    expect(body).toEqual({ ok: true });
    expect(calls).toBe(3);
  });

  it('gives up after the timeout with the last answer', async () => {
    await expect(
      waitForHealthy('http://x/healthz', 50, {
        intervalMs: 5,
        fetch: async () => new Response('{"redis":"connecting"}', { status: 503 }),
      }),
    ).rejects.toThrow(
      'http://x/healthz was not healthy within 50 ms (last: HTTP 503 {"redis":"connecting"})',
    );
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    abort.abort(new Error('stop'));
    await expect(waitForHealthy('http://x/healthz', 5000, { signal: abort.signal })).rejects.toThrow('stop');
  });
});
