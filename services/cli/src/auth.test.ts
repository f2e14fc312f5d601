import { apiTokensSchema, sha256Hex } from '@lookalike/core';
import { runCliCaptured } from '../test/run-cli';
import type { FetchLike } from './api-client';
import { localStackOptions } from './commands/local';

/** A fetch that records the Authorization header of each request and answers `status`. */
function recordingApi(status: number, body: unknown) {
  const seen: (string | null)[] = [];
  const fetch: FetchLike = async (_url, init) => {
    seen.push(new Headers(init?.headers).get('authorization'));
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, seen };
}

const run = (args: string[], env: NodeJS.ProcessEnv, fetch?: FetchLike) =>
  runCliCaptured(args, { env, ...(fetch ? { fetch } : {}) });

describe('the CLI and API credentials', () => {
  it('sends LOOKALIKE_API_TOKEN as a bearer token on every call, and nothing without it', async () => {
    const api = recordingApi(200, { rebuilds: [] });
    expect(
      (await run(['rebuild', 'list', '--json'], { LOOKALIKE_API_TOKEN: 'lk_secret' }, api.fetch)).code,
    ).toBe(0);
    expect((await run(['rebuild', 'list', '--json'], {}, api.fetch)).code).toBe(0);
    expect(api.seen).toEqual(['Bearer lk_secret', null]);
  });

  it('says what to do when the API wants a credential or refuses it', async () => {
    const missing = await run(
      ['rebuild', 'list'],
      {},
      recordingApi(401, { error: 'authentication required' }).fetch,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('authentication required');
    expect(missing.stderr).toContain('set LOOKALIKE_API_TOKEN');
    const readOnly = await run(
      ['rebuild', 'cancel', 'x'],
      { LOOKALIKE_API_TOKEN: 't' },
      recordingApi(403, { error: 'viewer is read-only' }).fetch,
    );
    expect(readOnly.stderr).toContain('viewer is read-only');
  });

  it('makes new tokens whose configuration entry accepts them', async () => {
    const made = await run(['token', 'new', '--name', 'ci', '--read-only'], {});
    expect(made.code).toBe(0);
    const [tokenLine, entryLine] = made.stdout.trim().split('\n');
    const token = /^LOOKALIKE_API_TOKEN=(lk_\S+)$/.exec(tokenLine!)![1]!;
    const entry = /^LOOKALIKE_API_TOKENS entry: (\S+)$/.exec(entryLine!)![1]!;
    expect(apiTokensSchema.parse(entry)).toEqual([{ name: 'ci', sha256: sha256Hex(token), access: 'read' }]);

    const again = await run(['token', 'new'], {});
    expect(again.stdout).not.toContain(token);
    const metrics = await run(['token', 'new', '--metrics'], {});
    const scrape = /^token=(\S+)\nLOOKALIKE_METRICS_TOKEN=([0-9a-f]{64})\n$/.exec(metrics.stdout)!;
    expect(sha256Hex(scrape[1]!)).toBe(scrape[2]);
  });

  it('hashes the token in LOOKALIKE_API_TOKEN', async () => {
    const hashed = await run(['token', 'hash', '--name', 'grafana'], { LOOKALIKE_API_TOKEN: 'existing' });
    expect(hashed).toMatchObject({
      code: 0,
      stdout: `LOOKALIKE_API_TOKENS entry: grafana:${sha256Hex('existing')}\n`,
    });
    expect((await run(['token', 'hash'], {})).code).toBe(2);
    expect((await run(['token', 'new', '--name', 'bad name'], {})).code).toBe(2);
  });

  it('lets `lookalike local` read inputs from the current folder unless told otherwise', () => {
    const flags = {
      embedders: '0',
      reducers: '0',
      indexers: '0',
      recommenders: '0',
      port: '0',
      storage: 's',
    };
    expect(localStackOptions(flags, '/home/me').allowedLocations).toEqual(['/home/me']);
    expect(
      localStackOptions({ ...flags, allow: ['../hm', 's3://hm-data/images'] }, '/home/me/x').allowedLocations,
    ).toEqual(['/home/me/hm', 's3://hm-data/images']);
  });
});
