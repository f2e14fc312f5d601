import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from './api-tokens';
import { CredentialVerifier } from './credential-verifier';

// The real comparison, observed: how many comparisons of what length each check makes.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const basicHeader = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('CredentialVerifier', () => {
  const verifier = new CredentialVerifier({
    apiTokens: [
      { name: 'ci', sha256: sha256Hex('write-token'), access: 'write' },
      { name: 'grafana', sha256: sha256Hex('read-token'), access: 'read' },
    ],
    basic: { user: 'admin', password: 's3cret' },
    metricsTokenSha256: sha256Hex('scrape-token'),
  });

  it('knows each bearer token and its access', () => {
    expect(verifier.authorization('Bearer write-token')).toEqual({
      name: 'ci',
      kind: 'token',
      access: 'write',
    });
    expect(verifier.authorization('bearer read-token')).toEqual({
      name: 'grafana',
      kind: 'token',
      access: 'read',
    });
    expect(verifier.authorization('Bearer scrape-token')).toEqual({
      name: 'metrics',
      kind: 'metrics',
      access: 'metrics',
    });
    for (const wrong of [
      'Bearer write-token2',
      'Bearer ',
      'Bearer',
      'Token write-token',
      'write-token',
      '',
    ]) {
      expect(verifier.authorization(wrong)).toBeUndefined();
    }
    expect(verifier.authorization(undefined)).toBeUndefined();
    // The hash itself is not a credential.
    expect(verifier.authorization(`Bearer ${sha256Hex('write-token')}`)).toBeUndefined();
  });

  it('knows the Basic user, and nothing close to it', () => {
    expect(verifier.authorization(basicHeader('admin', 's3cret'))).toEqual({
      name: 'admin',
      kind: 'basic',
      access: 'write',
    });
    for (const [user, password] of [
      ['admin', 'wrong'],
      ['admin', 's3cre'],
      ['admin', 's3cret '],
      ['Admin', 's3cret'],
      ['other', 's3cret'],
      ['', ''],
    ] as const) {
      expect(verifier.authorization(basicHeader(user!, password!))).toBeUndefined();
    }
    expect(verifier.authorization(`Basic ${Buffer.from('admins3cret').toString('base64')}`)).toBeUndefined();
    expect(verifier.authorization('Basic %%%')).toBeUndefined();
    // A password with a colon: the user ends at the first one.
    const colon = new CredentialVerifier({ basic: { user: 'u', password: 'a:b' } });
    expect(colon.authorization(basicHeader('u', 'a:b'))?.name).toBe('u');
  });

  it('gives a read-only dashboard user read access', () => {
    const ro = new CredentialVerifier({ basic: { user: 'viewer', password: 'pw', readOnly: true } });
    expect(ro.authorization(basicHeader('viewer', 'pw'))?.access).toBe('read');
  });

  it('compares fixed-length digests of every candidate, with no early exit', () => {
    const spy = timingSafeEqual as jest.MockedFunction<typeof timingSafeEqual>;
    // The same two comparisons whether the user is right or wrong, and whatever the password length.
    for (const [user, password] of [
      ['admin', 'x'],
      ['nobody', 'a-much-longer-wrong-password'],
      ['admin', 's3cret'],
    ] as const) {
      spy.mockClear();
      verifier.basicUser(user, password);
      expect(spy.mock.calls.length).toBe(2);
      expect(spy.mock.calls.every(([a, b]) => a.byteLength === 32 && b.byteLength === 32)).toBe(true);
    }
    // Every token is compared (two API tokens and the metrics token), even when the first matches.
    for (const token of ['write-token', 'nope', 'scrape-token']) {
      spy.mockClear();
      verifier.bearer(token);
      expect(spy.mock.calls.length).toBe(3);
    }
  });

  it('says what is configured', () => {
    expect(verifier.hasApiCredentials).toBe(true);
    const none = new CredentialVerifier({});
    expect([none.hasApiCredentials, none.hasBasic, none.hasMetricsToken]).toEqual([false, false, false]);
    expect(none.authorization(basicHeader('admin', 's3cret'))).toBeUndefined();
    expect(none.authorization('Bearer anything')).toBeUndefined();
    const metricsOnly = new CredentialVerifier({ metricsTokenSha256: sha256Hex('m') });
    expect([metricsOnly.hasApiCredentials, metricsOnly.hasMetricsToken]).toEqual([false, true]);
  });
});
