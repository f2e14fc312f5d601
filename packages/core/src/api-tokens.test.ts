import { execFileSync } from 'node:child_process';
import { apiTokenEntry, apiTokensSchema, generateApiToken, sha256Hex, sha256HexSchema } from './api-tokens';

const A = sha256Hex('token-a');
const B = sha256Hex('token-b');

describe('API token configuration', () => {
  it('hashes like sha256sum does', () => {
    const expected = execFileSync('sh', ['-c', 'printf %s "$T" | sha256sum'], { env: { T: 'tök€n' } })
      .toString()
      .split(' ')[0];
    expect(sha256Hex('tök€n')).toBe(expected);
  });

  it('parses several entries, write by default, read when asked', () => {
    expect(apiTokensSchema.parse(` ci:${A} , dash:${B.toUpperCase()}:read,`)).toEqual([
      { name: 'ci', sha256: A, access: 'write' },
      { name: 'dash', sha256: B, access: 'read' },
    ]);
    expect(apiTokensSchema.parse(`ci:${A}:write`)).toEqual([{ name: 'ci', sha256: A, access: 'write' }]);
    expect(apiTokensSchema.parse('')).toEqual([]);
  });

  it.each([
    ['ci:not-a-hash', 'not the token itself'],
    [`ci:${A}:admin`, 'read or write'],
    [`:${A}`, 'the name must be'],
    [`ci:${A}:read:x`, 'too many fields'],
    [`ci:${A},ci:${B}`, 'the name ci is used twice'],
    [`ci:${A},other:${A.toUpperCase()}`, 'the same token is listed twice'],
  ])('rejects %s', (value, message) => {
    const parsed = apiTokensSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toContain(message);
  });

  it('makes entries from new random tokens', () => {
    const token = generateApiToken();
    expect(token).toMatch(/^lk_[A-Za-z0-9_-]{43}$/);
    expect(generateApiToken()).not.toBe(token);
    expect(apiTokensSchema.parse(apiTokenEntry('ci', token, 'read'))).toEqual([
      { name: 'ci', sha256: sha256Hex(token), access: 'read' },
    ]);
    expect(() => apiTokenEntry('bad name', token)).toThrow(/token name/);
  });

  it('validates a metrics token hash', () => {
    expect(sha256HexSchema.parse(A.toUpperCase())).toBe(A);
    expect(sha256HexSchema.safeParse('plain-token').success).toBe(false);
  });
});
