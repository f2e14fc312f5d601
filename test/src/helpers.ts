import { pollUntil, rebuildStatusResponseSchema, type RebuildStatusResponse } from '@lookalike/core';

/** `GET /rebuilds/:id`'s answer, as core declares it (pollRebuild parses every answer with the schema). */
export type StatusBody = RebuildStatusResponse;

/** The producer's API: its URL, or its URL and the headers (credentials) every request carries. */
export type ApiTarget = string | { url: string; headers: Record<string, string> };

/** `Authorization` header of a Basic user. */
export function basicAuth(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

export async function api<T>(
  target: ApiTarget,
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: T }> {
  const { url, headers } = typeof target === 'string' ? { url: target, headers: {} } : target;
  const res = await fetch(`${url}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...headers,
      ...((init?.headers as Record<string, string>) ?? {}),
    },
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Reads `GET <path>` from some producer (e.g. whichever of several answers). */
export type ApiReader = (path: string) => Promise<{ status: number; body: unknown }>;

/**
 * Polls a rebuild's status until `done` says so. Connection errors and answers other than 200 are
 * retried: the producer may be restarting.
 */
export async function pollRebuild(
  source: ApiTarget | ApiReader,
  rebuildId: string,
  done: (status: StatusBody) => boolean,
  timeoutMs: number,
  intervalMs = 200,
): Promise<StatusBody> {
  const read: ApiReader = typeof source === 'function' ? source : (path) => api(source, path);
  let last: StatusBody | undefined;
  return pollUntil(
    async () => {
      const res = await read(`/rebuilds/${rebuildId}`).catch(() => undefined);
      if (res?.status !== 200) return undefined;
      last = rebuildStatusResponseSchema.parse(res.body);
      return done(last) && last;
    },
    {
      timeoutMs,
      intervalMs,
      timeoutMessage: () =>
        `rebuild ${rebuildId}: condition not met after ${timeoutMs} ms: ${JSON.stringify(last?.manifest)}`,
    },
  );
}

/** Polls a rebuild until it is no longer running. */
export function waitForRebuild(apiUrl: ApiTarget, rebuildId: string, timeoutMs: number): Promise<StatusBody> {
  return pollRebuild(apiUrl, rebuildId, (s) => s.manifest.status !== 'running', timeoutMs, 500);
}

/** Sum of `lookalike_jobs_total{status="completed"}` in a process's Prometheus metrics. */
export async function completedJobs(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('lookalike_jobs_total{') && line.includes('status="completed"')) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

/** The test s3rver as S3 connection options for the storage package. */
export function testS3Options(env: {
  LOOKALIKE_TEST_S3_ENDPOINT: string;
  LOOKALIKE_TEST_S3_REGION: string;
  LOOKALIKE_TEST_S3_ACCESS_KEY_ID: string;
  LOOKALIKE_TEST_S3_SECRET_ACCESS_KEY: string;
}) {
  return {
    endpoint: env.LOOKALIKE_TEST_S3_ENDPOINT,
    region: env.LOOKALIKE_TEST_S3_REGION,
    credentials: {
      accessKeyId: env.LOOKALIKE_TEST_S3_ACCESS_KEY_ID,
      secretAccessKey: env.LOOKALIKE_TEST_S3_SECRET_ACCESS_KEY,
    },
    forcePathStyle: true,
  };
}

/** The environment that points the services at the same S3 endpoint. */
export function servicesS3Env(s3: ReturnType<typeof testS3Options>): NodeJS.ProcessEnv {
  return {
    LOOKALIKE_S3_ENDPOINT: s3.endpoint,
    LOOKALIKE_S3_REGION: s3.region,
    LOOKALIKE_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    LOOKALIKE_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  };
}
