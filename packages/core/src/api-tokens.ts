import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** `read` tokens may GET anything a `write` token may; only `write` tokens may submit or cancel. */
export type TokenAccess = 'read' | 'write';

/** One bearer token of `LOOKALIKE_API_TOKENS`, as configured: its name and the SHA-256 of its value. */
export interface ApiToken {
  name: string;
  /** Lower-case hex SHA-256 of the token's UTF-8 bytes (`printf %s "$TOKEN" | sha256sum`). */
  sha256: string;
  access: TokenAccess;
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;
const TOKEN_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Lower-case hex SHA-256 of `text` (UTF-8): what the configuration holds instead of a token. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A new random token: `lk_` and 43 base64url characters (256 bits). */
export function generateApiToken(): string {
  return `lk_${randomBytes(32).toString('base64url')}`;
}

/** The `LOOKALIKE_API_TOKENS` entry of a token: `name:sha256[:read]`. */
export function apiTokenEntry(name: string, token: string, access: TokenAccess = 'write'): string {
  if (!TOKEN_NAME.test(name))
    throw new Error(`token name: expected 1-64 of A-Z a-z 0-9 _ . -, got ${JSON.stringify(name)}`);
  return `${name}:${sha256Hex(token)}${access === 'read' ? ':read' : ''}`;
}

/** A SHA-256 in hex (e.g. `LOOKALIKE_METRICS_TOKEN`), lower-cased. */
export const sha256HexSchema = z
  .string()
  .trim()
  .regex(SHA256_HEX, 'expected the SHA-256 of the token in hex (printf %s "$TOKEN" | sha256sum)')
  .transform((v) => v.toLowerCase());

/**
 * `LOOKALIKE_API_TOKENS`: comma-separated `name:sha256hex[:read|:write]` entries (default access
 * `write`). Names must be unique; the tokens themselves never appear in the configuration.
 */
export const apiTokensSchema = z.string().transform((value, ctx): ApiToken[] => {
  const tokens: ApiToken[] = [];
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  entries.forEach((entry, i) => {
    const [name = '', sha256 = '', access = 'write', ...rest] = entry.split(':');
    const problem =
      rest.length > 0
        ? 'too many fields'
        : !TOKEN_NAME.test(name)
          ? 'the name must be 1-64 of A-Z a-z 0-9 _ . -'
          : !SHA256_HEX.test(sha256)
            ? 'expected the SHA-256 of the token in hex (64 characters), not the token itself'
            : access !== 'read' && access !== 'write'
              ? 'the access must be read or write'
              : tokens.some((t) => t.name === name)
                ? `the name ${name} is used twice`
                : tokens.some((t) => t.sha256 === sha256.toLowerCase())
                  ? 'the same token is listed twice'
                  : undefined;
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `entry ${i + 1} (expected name:sha256[:read]): ${problem}` });
      return;
    }
    tokens.push({ name, sha256: sha256.toLowerCase(), access: access as TokenAccess });
  });
  return tokens;
});
