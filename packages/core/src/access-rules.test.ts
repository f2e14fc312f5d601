import { authChallenges, decideApiAccess, decideMetricsAccess } from './access-rules';
import { sha256Hex } from './api-tokens';
import { CredentialVerifier } from './credential-verifier';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const REMOTE = '203.0.113.9';

describe('access rules', () => {
  const configured = new CredentialVerifier({
    apiTokens: [
      { name: 'ci', sha256: sha256Hex('w'), access: 'write' },
      { name: 'viewer', sha256: sha256Hex('r'), access: 'read' },
    ],
    basic: { user: 'admin', password: 'pw' },
    metricsTokenSha256: sha256Hex('m'),
  });
  const open = new CredentialVerifier({});

  it('opens the API without credentials to loopback peers only, when none are configured', () => {
    const local = { method: 'POST', peer: '127.0.0.1', host: '127.0.0.1:8080' };
    expect(decideApiAccess(open, local)).toEqual({ ok: true });
    expect(decideApiAccess(open, { ...local, peer: '::ffff:127.0.0.1', host: 'localhost:8080' })).toEqual({
      ok: true,
    });
    expect(decideApiAccess(open, { ...local, peer: REMOTE })).toMatchObject({ ok: false, status: 401 });
    expect(decideApiAccess(open, { method: 'GET' })).toMatchObject({ ok: false, status: 401 });
    // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1.
    expect(decideApiAccess(open, { ...local, method: 'GET', host: 'evil.example:8080' })).toMatchObject({
      status: 403,
    });
    // A cross-site form post from a page the local user visits.
    expect(decideApiAccess(open, { ...local, origin: 'https://evil.example' })).toMatchObject({
      status: 403,
    });
    expect(decideApiAccess(open, { ...local, secFetchSite: 'cross-site' })).toMatchObject({ status: 403 });
    expect(
      decideApiAccess(open, { ...local, origin: 'http://127.0.0.1:8080', secFetchSite: 'same-origin' }),
    ).toEqual({ ok: true });
  });

  it('needs a valid credential from everyone once one is configured', () => {
    for (const peer of ['127.0.0.1', REMOTE]) {
      expect(decideApiAccess(configured, { method: 'GET', peer })).toEqual({
        ok: false,
        status: 401,
        error: 'authentication required',
        challenge: true,
      });
      expect(
        decideApiAccess(configured, { method: 'GET', peer, authorization: 'Bearer nope' }),
      ).toMatchObject({ status: 401 });
      expect(
        decideApiAccess(configured, { method: 'GET', peer, authorization: basic('admin', 'nope') }),
      ).toMatchObject({ status: 401 });
    }
    expect(
      decideApiAccess(configured, { method: 'POST', peer: REMOTE, authorization: 'Bearer w' }),
    ).toMatchObject({
      ok: true,
      principal: { name: 'ci' },
    });
    expect(
      decideApiAccess(configured, { method: 'POST', peer: REMOTE, authorization: basic('admin', 'pw') }),
    ).toMatchObject({
      ok: true,
      principal: { name: 'admin', kind: 'basic' },
    });
  });

  it('lets read-only tokens read, and the metrics token nothing but /metrics', () => {
    const req = (method: string, authorization: string) =>
      decideApiAccess(configured, { method, peer: REMOTE, authorization });
    expect(req('GET', 'Bearer r')).toMatchObject({ ok: true, principal: { access: 'read' } });
    expect(req('HEAD', 'Bearer r')).toMatchObject({ ok: true });
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      expect(req(method, 'Bearer r')).toEqual({
        ok: false,
        status: 403,
        error: 'viewer is read-only',
        challenge: false,
      });
    }
    expect(req('GET', 'Bearer m')).toMatchObject({ ok: false, status: 403 });
    expect(
      decideMetricsAccess(configured, { method: 'GET', peer: REMOTE, authorization: 'Bearer m' }),
    ).toMatchObject({ ok: true });
  });

  it('refuses cross-site writes made with Basic credentials, not with tokens', () => {
    const base = {
      method: 'POST',
      peer: REMOTE,
      host: 'lookalike.example:8080',
      authorization: basic('admin', 'pw'),
    };
    expect(decideApiAccess(configured, { ...base, origin: 'https://evil.example' })).toMatchObject({
      status: 403,
    });
    expect(decideApiAccess(configured, { ...base, origin: 'null' })).toMatchObject({ status: 403 });
    expect(decideApiAccess(configured, { ...base, secFetchSite: 'same-site' })).toMatchObject({
      status: 403,
    });
    expect(decideApiAccess(configured, { ...base, origin: 'http://lookalike.example:8080' })).toMatchObject({
      ok: true,
    });
    expect(
      decideApiAccess(configured, { ...base, method: 'GET', origin: 'https://evil.example' }),
    ).toMatchObject({ ok: true });
    expect(
      decideApiAccess(configured, { ...base, authorization: 'Bearer w', origin: 'https://evil.example' }),
    ).toMatchObject({ ok: true });
  });

  it('serves /metrics to loopback peers only, unless a scrape token is configured', () => {
    const noScrapeToken = new CredentialVerifier({
      apiTokens: [{ name: 'ci', sha256: sha256Hex('w'), access: 'write' }],
    });
    expect(decideMetricsAccess(noScrapeToken, { method: 'GET', peer: '127.0.0.1' })).toEqual({ ok: true });
    expect(decideMetricsAccess(noScrapeToken, { method: 'GET', peer: REMOTE })).toMatchObject({
      status: 401,
    });
    expect(
      decideMetricsAccess(noScrapeToken, { method: 'GET', peer: REMOTE, authorization: 'Bearer w' }),
    ).toMatchObject({ ok: true });
    expect(decideMetricsAccess(configured, { method: 'GET', peer: '127.0.0.1' })).toMatchObject({
      status: 401,
    });
    expect(
      decideMetricsAccess(configured, { method: 'GET', peer: '127.0.0.1', authorization: 'Bearer wrong' }),
    ).toMatchObject({
      status: 401,
    });
  });

  it('challenges with what is configured', () => {
    expect(authChallenges(configured)).toEqual([
      'Basic realm="lookalike", charset="UTF-8"',
      'Bearer realm="lookalike"',
    ]);
    expect(authChallenges(new CredentialVerifier({ metricsTokenSha256: sha256Hex('m') }))).toEqual([
      'Bearer realm="lookalike"',
    ]);
    expect(authChallenges(open)).toEqual([]);
  });
});
