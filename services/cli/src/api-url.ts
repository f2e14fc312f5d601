/** Environment variables the CLI reads for the API address. */
export const API_ENV = { url: 'LOOKALIKE_API_URL', port: 'LOOKALIKE_HTTP_PORT' } as const;

/**
 * The producer API the CLI talks to: `--api`, else LOOKALIKE_API_URL, else
 * `http://127.0.0.1:${LOOKALIKE_HTTP_PORT ?? 8080}`. Trailing slashes are dropped.
 */
export function resolveApiUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen =
    nonEmpty(flag) ?? nonEmpty(env[API_ENV.url]) ?? `http://127.0.0.1:${nonEmpty(env[API_ENV.port]) ?? 8080}`;
  return chosen.replace(/\/+$/, '');
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
