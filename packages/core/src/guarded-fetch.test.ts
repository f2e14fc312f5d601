import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGuardedFetch, ForbiddenAddressError } from './guarded-fetch';

/** A local listener that records every request it receives. */
async function listener(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { seen, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('guarded fetch', () => {
  let target: Awaited<ReturnType<typeof listener>>;
  let redirector: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    target = await listener((_req, res) => res.end('{"secret":"do not leak"}'));
    redirector = await listener((req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}${req.url}` }).end();
    });
  });
  afterAll(async () => {
    await target.close();
    await redirector.close();
  });
  beforeEach(() => {
    target.seen.length = 0;
    redirector.seen.length = 0;
  });

  it('sends nothing to a loopback address, whether an IP literal or a name', async () => {
    const guarded = createGuardedFetch({ allowedHosts: [] });
    await expect(guarded(`http://127.0.0.1:${target.port}/model.json`)).rejects.toThrow(
      new ForbiddenAddressError(
        '127.0.0.1 is a loopback address (allow the host with LOOKALIKE_ALLOWED_MODEL_HOSTS)',
      ),
    );
    await expect(guarded(new URL(`http://localhost:${target.port}/model.json`))).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
    await expect(guarded(`http://169.254.169.254/latest/meta-data/`)).rejects.toThrow(/link-local/);
    expect(target.seen).toEqual([]);
  });

  it('fetches from an allowed host, and checks where it redirects to', async () => {
    const guarded = createGuardedFetch({ allowedHosts: ['localhost'] });
    // localhost is allowed, 127.0.0.1 (the redirect target) is not.
    await expect(guarded(`http://localhost:${redirector.port}/m/model.json`)).rejects.toThrow(
      /127\.0\.0\.1 is a loopback address/,
    );
    expect(redirector.seen).toEqual(['GET /m/model.json']);
    expect(target.seen).toEqual([]);

    const both = createGuardedFetch({ allowedHosts: ['localhost', '127.0.0.1'] });
    const res = await both(`http://localhost:${redirector.port}/m/model.json`, {
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ secret: 'do not leak' });
    expect(target.seen).toEqual(['GET /m/model.json']);
  });

  it('refuses other methods, schemes and redirect loops', async () => {
    const guarded = createGuardedFetch({ allowedHosts: ['127.0.0.1'], maxRedirects: 0 });
    await expect(guarded(`http://127.0.0.1:${target.port}/`, { method: 'POST' })).rejects.toThrow(
      /only GET and HEAD/,
    );
    await expect(guarded('file:///etc/passwd')).rejects.toThrow(/http and https only/);
    await expect(guarded(`http://127.0.0.1:${redirector.port}/x`)).rejects.toThrow(/more than 0 redirects/);
    expect(target.seen).toEqual([]);
    const head = await guarded(`http://127.0.0.1:${target.port}/h`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});
