import { completedStatus, status } from '../test/fixtures';
import { runCliCaptured } from '../test/run-cli';
import type { FetchLike } from './api-client';
import { resolveApiUrl } from './api-url';

interface Recorded {
  method: string;
  url: string;
  body: unknown;
}

/** A fetch answering from a route table: `METHOD path` → [status, body]. */
function fakeApi(routes: Record<string, [number, unknown] | (() => [number, unknown])>) {
  const requests: Recorded[] = [];
  const fetch: FetchLike = async (url, init) => {
    const method = init?.method ?? 'GET';
    requests.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const route = routes[`${method} ${new URL(url).pathname}${new URL(url).search}`];
    if (!route)
      return new Response(JSON.stringify({ error: `not found: ${method} ${url}` }), { status: 404 });
    const [code, body] = typeof route === 'function' ? route() : route;
    return new Response(JSON.stringify(body), {
      status: code,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, requests };
}

const run = (args: string[], fetch: FetchLike, env: NodeJS.ProcessEnv = {}) =>
  runCliCaptured(args, { env, fetch });

describe('lookalike rebuild submit', () => {
  it('posts the spec and prints the rebuild id', async () => {
    const api = fakeApi({
      'POST /rebuilds': [202, { rebuildId: 'rb-20261125-223629-3fa2c1', created: true }],
    });
    const result = await run(
      ['rebuild', 'submit', '--images', 'data/images', '--k', '12', '--no-publish', '--id', 'x1'],
      api.fetch,
    );
    expect(result).toMatchObject({ code: 0, stdout: 'rb-20261125-223629-3fa2c1\n' });
    expect(result.stderr).toContain('submitted rebuild');
    expect(api.requests).toEqual([
      {
        method: 'POST',
        url: 'http://127.0.0.1:8080/rebuilds',
        body: { images: '/home/me/data/images', k: 12, publish: false, id: 'x1' },
      },
    ]);
  });

  it('prints the answer as JSON with --json, and talks to --api', async () => {
    const api = fakeApi({ 'POST /rebuilds': [200, { rebuildId: 'x1', created: false }] });
    const result = await run(
      ['rebuild', 'submit', '--images', '/d', '--json', '--api', 'http://h:9/'],
      api.fetch,
    );
    expect(JSON.parse(result.stdout)).toEqual({ rebuildId: 'x1', created: false });
    expect(api.requests[0]!.url).toBe('http://h:9/rebuilds');
  });

  it('rejects a bad flag locally with exit code 2', async () => {
    const api = fakeApi({});
    const result = await run(['rebuild', 'submit', '--images', '/d', '--shard-size', '0'], api.fetch);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--shard-size: Too small');
    expect(api.requests).toHaveLength(0);
    expect((await run(['rebuild', 'submit'], api.fetch)).stderr).toContain('--images: required');
  });

  it("prints the server's 400 error and exits 2", async () => {
    const api = fakeApi({ 'POST /rebuilds': [400, { error: 'invalid request: images: nope', issues: [] }] });
    const result = await run(['rebuild', 'submit', '--images', '/d'], api.fetch);
    expect(result).toMatchObject({ code: 2, stderr: 'lookalike: invalid request: images: nope\n' });
  });

  it('follows after submitting with --follow and exits with the outcome', async () => {
    const failed = status({ status: 'failed', error: 'boom' });
    let polls = 0;
    const api = fakeApi({
      'POST /rebuilds': [202, { rebuildId: 'rb-x', created: true }],
      'GET /rebuilds/rb-x': () => [200, ++polls < 3 ? status() : failed],
    });
    const result = await run(['rebuild', 'submit', '--images', '/d', '--follow'], api.fetch);
    expect(result.code).toBe(1);
    expect(polls).toBe(3);
    expect(result.stdout).toMatch(/error\s+boom/);
  });
});

describe('lookalike rebuild status|cancel|list, similar', () => {
  it('prints a summary; exit code 1 for a failed rebuild', async () => {
    const api = fakeApi({
      'GET /rebuilds/ok': [200, completedStatus()],
      'GET /rebuilds/bad': [200, status({ status: 'failed' })],
    });
    const ok = await run(['rebuild', 'status', 'ok'], api.fetch);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/status\s+completed/);
    expect((await run(['rebuild', 'status', 'bad'], api.fetch)).code).toBe(1);
    const json = await run(['rebuild', 'status', 'ok', '--json'], api.fetch);
    expect(JSON.parse(json.stdout)).toEqual(completedStatus());
  });

  it('reports an unknown rebuild', async () => {
    const result = await run(['rebuild', 'status', 'nope'], fakeApi({}).fetch);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not found');
  });

  it('cancels, lists and queries neighbours', async () => {
    const m = completedStatus().manifest;
    const api = fakeApi({
      'POST /rebuilds/rb-x/cancel': [202, { rebuildId: 'rb-x', cancelling: true }],
      'GET /rebuilds': [
        200,
        {
          rebuilds: [
            {
              rebuildId: m.rebuildId,
              status: m.status,
              step: m.step,
              createdAt: m.createdAt,
              counts: m.counts,
            },
          ],
        },
      ],
      'GET /articles/0108775015/similar?k=3': [
        200,
        { articleId: '0108775015', rebuildId: 'rb-x', similar: [{ articleId: '0108775044', score: 0.9 }] },
      ],
    });
    expect((await run(['rebuild', 'cancel', 'rb-x'], api.fetch)).stdout).toBe('cancelling rebuild rb-x\n');
    expect((await run(['rebuild', 'list'], api.fetch)).stdout).toContain(m.rebuildId);
    const similar = await run(['similar', '0108775015', '--k', '3'], api.fetch);
    expect(similar.code).toBe(0);
    expect(similar.stdout).toContain('0108775044  0.9000');
    expect((await run(['similar', '0108775015', '--k', 'x'], api.fetch)).code).toBe(2);
  });

  it('explains an unreachable API', async () => {
    const refused: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8181') });
    };
    const result = await run(['rebuild', 'list'], refused, { LOOKALIKE_HTTP_PORT: '8181' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'cannot reach the lookalike API at http://127.0.0.1:8181: fetch failed (connect ECONNREFUSED',
    );
    expect(result.stderr).toContain('lookalike local');
  });

  it('exits 2 on usage errors and 0 on --help', async () => {
    const api = fakeApi({});
    const unknown = await run(['rebuild', 'frobnicate'], api.fetch);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect((await run(['rebuild', 'status'], api.fetch)).code).toBe(2);
    const help = await run(['rebuild', 'submit', '--help'], api.fetch);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--pca-sample <n>');
    const localBad = await run(['local', '--embedders', 'many'], api.fetch);
    expect(localBad).toMatchObject({ code: 2 });
    expect(localBad.stderr).toContain('--embedders: expected an integer');
  });
});

describe('resolveApiUrl', () => {
  it('prefers --api, then LOOKALIKE_API_URL, then LOOKALIKE_HTTP_PORT', () => {
    expect(resolveApiUrl(undefined, {})).toBe('http://127.0.0.1:8080');
    expect(resolveApiUrl(undefined, { LOOKALIKE_HTTP_PORT: '9000' })).toBe('http://127.0.0.1:9000');
    expect(
      resolveApiUrl(undefined, { LOOKALIKE_HTTP_PORT: '9000', LOOKALIKE_API_URL: 'http://api:1/' }),
    ).toBe('http://api:1');
    expect(resolveApiUrl('http://flag:2', { LOOKALIKE_API_URL: 'http://api:1' })).toBe('http://flag:2');
    expect(resolveApiUrl('', { LOOKALIKE_API_URL: ' ' })).toBe('http://127.0.0.1:8080');
  });
});

describe('lookalike rebuild retry, cancel and resubmission (issue 11)', () => {
  it('retries a failed rebuild and says from which step', async () => {
    const api = fakeApi({
      'POST /rebuilds/rb-x/retry': [202, { rebuildId: 'rb-x', retrying: true, step: 'embed', keptShards: 7 }],
    });
    const result = await run(['rebuild', 'retry', 'rb-x'], api.fetch);
    expect(result).toMatchObject({
      code: 0,
      stdout: 'retrying rebuild rb-x from step embed, keeping 7 embedded shards\n',
    });
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST http://127.0.0.1:8080/rebuilds/rb-x/retry',
    ]);
  });

  it('reports a refused retry (running or completed) as an error', async () => {
    const api = fakeApi({
      'POST /rebuilds/rb-x/retry': [
        409,
        { error: 'rebuild rb-x is completed: only a failed or cancelled rebuild can be retried' },
      ],
    });
    const result = await run(['rebuild', 'retry', 'rb-x'], api.fetch);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('only a failed or cancelled rebuild can be retried');
  });

  it('says when there is nothing to cancel', async () => {
    const api = fakeApi({
      'POST /rebuilds/rb-x/cancel': [200, { rebuildId: 'rb-x', cancelling: false, status: 'completed' }],
    });
    expect(await run(['rebuild', 'cancel', 'rb-x'], api.fetch)).toMatchObject({
      code: 0,
      stdout: 'rebuild rb-x is completed: nothing to cancel\n',
    });
  });

  it('shows a 409 for the same id with another spec, naming the fields', async () => {
    const api = fakeApi({
      'POST /rebuilds': [
        409,
        {
          error: 'rebuild x1 exists with another spec (it differs in k); submit it under a new id',
          differences: ['k'],
        },
      ],
    });
    const result = await run(
      ['rebuild', 'submit', '--images', 'data/images', '--k', '12', '--id', 'x1'],
      api.fetch,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('it differs in k');
  });
});
