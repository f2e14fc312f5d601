import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startLocalStack, type LocalStack } from '@lookalike/cli';
import { sha256Hex } from '@lookalike/core';
import { freePort, testServerEnv } from '@lookalike/local-servers';
import { generateCorpus } from './corpus';
import { basicAuth } from './helpers';

const SERVICE = (name: string) => join(__dirname, '..', '..', 'services', name, 'dist', 'main.js');

const WRITE_TOKEN = 'lk_write-token-for-the-auth-suite';
const READ_TOKEN = 'lk_read-token-for-the-auth-suite';
const SCRAPE_TOKEN = 'lk_scrape-token-for-the-auth-suite';

type Headers = Record<string, string>;

/** Every route of the producer but /healthz, and what it answers an authorised caller. */
interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** Status for a caller with the right credential. */
  ok: number;
  body?: unknown;
}

/** Runs a service entry point with `env`, resolving with its exit code and output once it exits. */
function runService(
  name: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVICE(name)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * The auth suite: a producer with API tokens (write and read-only), a dashboard user and a scrape token,
 * and a worker with the scrape token, as real processes. Every route is tried without, with wrong and
 * with right credentials.
 */
describe('authentication on every route (real processes)', () => {
  const env = testServerEnv();
  let stack: LocalStack;
  let tmp: string;
  let imagesDir: string;
  let rebuildId: string;

  const credentialEnv = {
    LOOKALIKE_API_TOKENS: `ci:${sha256Hex(WRITE_TOKEN)},viewer:${sha256Hex(READ_TOKEN)}:read`,
    LOOKALIKE_DASHBOARD_USER: 'admin',
    LOOKALIKE_DASHBOARD_PASSWORD: 'dashboard-password',
    LOOKALIKE_METRICS_TOKEN: sha256Hex(SCRAPE_TOKEN),
  };
  const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

  const call = async (route: Pick<Route, 'method' | 'path' | 'body'>, headers: Headers = {}) => {
    const res = await fetch(`${stack.apiUrl}${route.path}`, {
      method: route.method,
      redirect: 'manual',
      headers: { ...(route.body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(route.body !== undefined ? { body: JSON.stringify(route.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, text, challenge: res.headers.get('www-authenticate') };
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'lookalike-auth-'));
    imagesDir = join(tmp, 'corpus', 'images');
    for (const image of (await generateCorpus(1)).slice(0, 3)) {
      await mkdir(join(imagesDir, image.key, '..'), { recursive: true });
      await writeFile(join(imagesDir, image.key), image.bytes);
    }
    stack = await startLocalStack({
      embedders: 0,
      reducers: 1,
      indexers: 0,
      recommenders: 0,
      storageDir: join(tmp, 'storage'),
      redisUrl: env.LOOKALIKE_TEST_REDIS_URL,
      allowedLocations: [join(tmp, 'corpus')],
      env: { LOG_LEVEL: 'warn', LOOKALIKE_QUEUE_PREFIX: `auth${Date.now()}`, ...credentialEnv },
    });
    // A rebuild to read (no embedders run: it stays running) and a gallery page for it.
    const submitted = await call(
      { method: 'POST', path: '/rebuilds', body: { images: imagesDir, id: 'auth-fixture' } },
      bearer(WRITE_TOKEN),
    );
    expect(submitted.status).toBe(202);
    rebuildId = 'auth-fixture';
    await mkdir(join(tmp, 'storage', 'rebuilds', rebuildId, 'gallery'), { recursive: true });
    await writeFile(
      join(tmp, 'storage', 'rebuilds', rebuildId, 'gallery', 'index.html'),
      '<html>gallery</html>',
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  let submits = 0;
  /**
   * Every route; each POST /rebuilds gets a new id, so that an accepted one is seen as created, and
   * the cancel goes to `cancelId` (default: the fixture, which must stay running).
   */
  const routes = (cancelId = rebuildId): Route[] => [
    { method: 'GET', path: '/', ok: 200 },
    { method: 'GET', path: '/admin/queues', ok: 200 },
    { method: 'GET', path: '/admin/queues/api/queues', ok: 200 },
    { method: 'GET', path: '/rebuilds', ok: 200 },
    { method: 'GET', path: `/rebuilds/${rebuildId}`, ok: 200 },
    { method: 'GET', path: `/rebuilds/${rebuildId}/manifest.json`, ok: 200 },
    { method: 'GET', path: `/rebuilds/${rebuildId}/gallery`, ok: 302 },
    { method: 'GET', path: `/rebuilds/${rebuildId}/gallery/`, ok: 200 },
    { method: 'GET', path: `/rebuilds/${rebuildId}/gallery/thumbs/0108775015.jpg`, ok: 404 },
    { method: 'GET', path: '/articles/0108775015/similar?k=5', ok: 404 },
    { method: 'GET', path: '/customers/some-customer/recommendations', ok: 404 },
    { method: 'GET', path: '/no/such/route', ok: 404 },
    {
      method: 'POST',
      path: '/rebuilds',
      ok: 202,
      body: { images: imagesDir, id: `auth-submit-${++submits}` },
    },
    { method: 'POST', path: `/rebuilds/${cancelId}/cancel`, ok: 202 },
  ];
  /** A new running rebuild to cancel. */
  const cancellable = async (): Promise<string> => {
    const id = `auth-cancel-${++submits}`;
    const res = await call(
      { method: 'POST', path: '/rebuilds', body: { images: imagesDir, id } },
      bearer(WRITE_TOKEN),
    );
    expect(res.status).toBe(202);
    return id;
  };

  it('answers /healthz to anyone, and nothing else without a valid credential', async () => {
    expect((await call({ method: 'GET', path: '/healthz' })).status).toBe(200);
    const wrong: Headers[] = [
      {},
      bearer('lk_not-a-token'),
      bearer(sha256Hex(WRITE_TOKEN)),
      { authorization: `Bearer ${WRITE_TOKEN} extra` },
      basicAuth('admin', 'wrong-password'),
      basicAuth('admin', 'dashboard-passwor'),
      basicAuth('nobody', 'dashboard-password'),
      { authorization: `Token ${WRITE_TOKEN}` },
    ];
    for (const headers of wrong) {
      for (const route of routes()) {
        const res = await call(route, headers);
        expect({ route: `${route.method} ${route.path}`, headers, status: res.status }).toEqual({
          route: `${route.method} ${route.path}`,
          headers,
          status: 401,
        });
        expect(res.challenge).toContain('Basic realm="lookalike"');
        expect(res.challenge).toContain('Bearer realm="lookalike"');
        expect(res.text).not.toContain(rebuildId);
      }
    }
    // Nothing was submitted or cancelled by any of those.
    const list = await call({ method: 'GET', path: '/rebuilds' }, bearer(READ_TOKEN));
    expect((JSON.parse(list.text) as { rebuilds: { rebuildId: string; status: string }[] }).rebuilds).toEqual(
      [expect.objectContaining({ rebuildId, status: 'running' })],
    );
  });

  it('serves every route to a write token and to the dashboard user', async () => {
    for (const headers of [bearer(WRITE_TOKEN), basicAuth('admin', 'dashboard-password')]) {
      for (const route of routes(await cancellable())) {
        const res = await call(route, headers);
        expect({ route: `${route.method} ${route.path}`, status: res.status }).toEqual({
          route: `${route.method} ${route.path}`,
          status: route.ok,
        });
      }
    }
  });

  it('lets a read-only token read but not submit or cancel', async () => {
    const cancelId = await cancellable();
    for (const route of routes(cancelId)) {
      const res = await call(route, bearer(READ_TOKEN));
      const expected = route.method === 'POST' ? 403 : route.ok;
      expect({ route: `${route.method} ${route.path}`, status: res.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: expected,
      });
      if (route.method === 'POST') expect(JSON.parse(res.text)).toEqual({ error: 'viewer is read-only' });
    }
    const refusedId = `auth-submit-${submits}`;
    expect((await call({ method: 'GET', path: `/rebuilds/${refusedId}` }, bearer(WRITE_TOKEN))).status).toBe(
      404,
    );
    const notCancelled = await call({ method: 'GET', path: `/rebuilds/${cancelId}` }, bearer(READ_TOKEN));
    expect((JSON.parse(notCancelled.text) as { manifest: { status: string } }).manifest.status).toBe(
      'running',
    );
    // A bull-board action is a write too.
    const action = await fetch(`${stack.apiUrl}/admin/queues/api/queues/embed/pause`, {
      method: 'PUT',
      headers: bearer(READ_TOKEN),
    });
    expect(action.status).toBe(403);
  });

  it('refuses a cross-site write made with the Basic credentials a browser keeps', async () => {
    const res = await call(
      { method: 'POST', path: `/rebuilds/${rebuildId}/cancel` },
      {
        ...basicAuth('admin', 'dashboard-password'),
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
    );
    expect(res.status).toBe(403);
  });

  it('serves the producer’s /metrics to the scrape token and API credentials only; the scrape token opens nothing else', async () => {
    const metrics = { method: 'GET', path: '/metrics' } as const;
    expect((await call(metrics)).status).toBe(401);
    expect((await call(metrics, bearer('lk_wrong'))).status).toBe(401);
    const scraped = await call(metrics, bearer(SCRAPE_TOKEN));
    expect(scraped.status).toBe(200);
    expect(scraped.text).toMatch(/lookalike_queue_jobs/);
    expect((await call(metrics, bearer(READ_TOKEN))).status).toBe(200);
    for (const route of routes()) expect((await call(route, bearer(SCRAPE_TOKEN))).status).toBe(403);
  });

  it('puts a worker’s /metrics behind the scrape token; its /healthz stays open', async () => {
    const health = stack.healthUrls['reducer-1']!;
    const metricsUrl = health.replace(/\/healthz$/, '/metrics');
    expect((await fetch(health)).status).toBe(200);
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: bearer('lk_wrong') })).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: bearer(WRITE_TOKEN) })).status).toBe(401);
    const right = await fetch(metricsUrl, { headers: bearer(SCRAPE_TOKEN) });
    expect(right.status).toBe(200);
    expect(await right.text()).toMatch(/lookalike_jobs_total/);
  });

  it('lets the CLI in with LOOKALIKE_API_TOKEN, and says what is missing without it', async () => {
    const cli = async (env: NodeJS.ProcessEnv) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(['rebuild', 'list', '--json', '--api', stack.apiUrl], {
        env: { NO_COLOR: '1', ...env },
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
      });
      return { code, stdout, stderr };
    };
    const listed = await cli({ LOOKALIKE_API_TOKEN: READ_TOKEN });
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { rebuildId: string }[]).map((r) => r.rebuildId)).toContain(
      rebuildId,
    );
    const refused = await cli({});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('set LOOKALIKE_API_TOKEN');
  });

  it('refuses to listen beyond loopback without credentials: the producer without API credentials, a worker without a scrape token', async () => {
    const base = {
      LOG_LEVEL: 'info',
      LOOKALIKE_REDIS_URL: env.LOOKALIKE_TEST_REDIS_URL,
      LOOKALIKE_QUEUE_PREFIX: `authbind${Date.now()}`,
      LOOKALIKE_STORAGE_URL: `file://${join(tmp, 'storage')}`,
      LOOKALIKE_HTTP_HOST: '0.0.0.0',
      LOOKALIKE_HTTP_PORT: String(await freePort()),
      LOOKALIKE_API_TOKENS: '',
      LOOKALIKE_DASHBOARD_USER: '',
      LOOKALIKE_DASHBOARD_PASSWORD: '',
      LOOKALIKE_METRICS_TOKEN: '',
    };
    const producer = await runService('producer', base);
    expect(producer.code).toBe(2);
    expect(producer.output).toContain('refusing to listen on a non-loopback address without credentials');
    // A scrape token alone is no API credential.
    const metricsOnly = await runService('producer', {
      ...base,
      LOOKALIKE_METRICS_TOKEN: sha256Hex(SCRAPE_TOKEN),
    });
    expect(metricsOnly.code).toBe(2);
    const reducer = await runService('reducer', base);
    expect(reducer.code).not.toBe(0);
    expect(reducer.output).toContain('without LOOKALIKE_METRICS_TOKEN');
  });
});
