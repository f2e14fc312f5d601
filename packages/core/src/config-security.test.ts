import { sha256Hex } from './api-tokens';
import { ConfigError, loadConfig } from './config';
import { modelUrlPolicyFor } from './model-url-policy';

describe('configuration of credentials and allowed locations', () => {
  it('has none by default: open on loopback, inputs from the storage only', () => {
    const config = loadConfig({}, { defaultStorageDir: '/srv/storage' });
    expect(config.apiTokens).toEqual([]);
    expect(config.metricsTokenSha256).toBeUndefined();
    expect(config.allowedLocations).toEqual([]);
    expect(config.allowedModelHosts).toEqual([]);
    expect(modelUrlPolicyFor(config)).toMatchObject({
      locations: { roots: ['file:///srv/storage'] },
      allowedHosts: [],
      trusted: ['bundled:mobilenet_v2_140_224'],
    });
  });

  it('reads tokens, the scrape token, roots and model hosts', () => {
    const config = loadConfig({
      LOOKALIKE_API_TOKENS: `ci:${sha256Hex('a')},viewer:${sha256Hex('b')}:read`,
      LOOKALIKE_METRICS_TOKEN: sha256Hex('m').toUpperCase(),
      LOOKALIKE_ALLOWED_LOCATIONS: 's3://hm-data/images,/data/hm',
      LOOKALIKE_ALLOWED_MODEL_HOSTS: 'models.internal',
      LOOKALIKE_STORAGE_URL: 's3://out-bucket/lookalike',
    });
    expect(config.apiTokens.map((t) => `${t.name}:${t.access}`)).toEqual(['ci:write', 'viewer:read']);
    expect(config.metricsTokenSha256).toBe(sha256Hex('m'));
    expect(config.allowedLocations).toEqual(['s3://hm-data/images', 'file:///data/hm']);
    expect(modelUrlPolicyFor(config).locations.roots).toEqual([
      's3://out-bucket/lookalike',
      's3://hm-data/images',
      'file:///data/hm',
    ]);
    expect(config.allowedModelHosts).toEqual(['models.internal']);
  });

  it('names a bad variable without echoing a credential', () => {
    const load = () =>
      loadConfig({
        LOOKALIKE_API_TOKENS: 'ci:plain-secret-token',
        LOOKALIKE_METRICS_TOKEN: 'another-secret',
      });
    expect(load).toThrow(ConfigError);
    const message = (() => {
      try {
        load();
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/LOOKALIKE_API_TOKENS: entry 1 .*not the token itself/);
    expect(message).toMatch(/LOOKALIKE_METRICS_TOKEN: expected the SHA-256/);
    expect(message).not.toMatch(/secret/);
    expect(() => loadConfig({ LOOKALIKE_ALLOWED_LOCATIONS: 'http://x' })).toThrow(
      /LOOKALIKE_ALLOWED_LOCATIONS: http:\/\/x/,
    );
  });
});
