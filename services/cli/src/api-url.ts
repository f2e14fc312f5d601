/** Environment variables the CLI reads for the API address and its credential. */
export const API_ENV = {
  url: 'LOOKALIKE_API_URL',
  port: 'LOOKALIKE_HTTP_PORT',
  token: 'LOOKALIKE_API_TOKEN',
} as const;

/**
 * The producer API the CLI talks to: `--api`, else LOOKALIKE_API_URL, else
 * `http://127.0.0.1:${LOOKALIKE_HTTP_PORT ?? 8080}`. Trailing slashes are dropped.
 */
export function resolveApiUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen =
    nonEmpty(flag) ?? nonEmpty(env[API_ENV.url]) ?? `http://127.0.0.1:${nonEmpty(env[API_ENV.port]) ?? 8080}`;
  return chosen.replace(/\/+$/, '');
}

/** The bearer token the CLI sends: LOOKALIKE_API_TOKEN, or none (local mode needs none). */
export function resolveApiToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return nonEmpty(env[API_ENV.token]);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
