import {
  cancelResponseSchema,
  describeIssues,
  errorResponseSchema,
  rebuildListResponseSchema,
  rebuildStatusResponseSchema,
  retryResponseSchema,
  similarResponseSchema,
  submitResponseSchema,
  type RebuildSpecInput,
} from '@lookalike/core';
import type {
  CancelResponse,
  RebuildListEntry,
  RebuildStatusResponse,
  RetryResponse,
  SimilarResponse,
  SubmitResponse,
} from './api-types';

/** What the client needs of a core response schema (zod's `safeParse`). */
interface ResponseSchema<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: Parameters<typeof describeIssues>[0] };
}

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** The API answered with an error status; `message` is its `error` field when it has one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The API could not be reached at all (connection refused, DNS, timeout). */
export class ApiUnreachableError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`cannot reach the lookalike API at ${url}: ${describeCause(cause)}`);
    this.name = 'ApiUnreachableError';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    if (inner instanceof Error) return `${cause.message} (${inner.message})`;
    return cause.message;
  }
  return String(cause);
}

export type SubmitBody = RebuildSpecInput & { id?: string };

export interface ApiClientOptions {
  /** Per-request timeout. */
  timeoutMs?: number;
  fetch?: FetchLike;
  /** Bearer API token sent with every request (`LOOKALIKE_API_TOKEN`). */
  token?: string;
}

/** A thin typed client of the producer's HTTP API. */
export class ApiClient {
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  private readonly authorization: Record<string, string>;

  constructor(
    readonly baseUrl: string,
    options: ApiClientOptions = {},
  ) {
    this.fetchImpl = options.fetch ?? ((url, init) => fetch(url, init));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.authorization = options.token ? { authorization: `Bearer ${options.token}` } : {};
  }

  submit(body: SubmitBody): Promise<SubmitResponse> {
    return this.request(submitResponseSchema, 'POST', '/rebuilds', body);
  }

  status(rebuildId: string): Promise<RebuildStatusResponse> {
    return this.request(rebuildStatusResponseSchema, 'GET', `/rebuilds/${encodeURIComponent(rebuildId)}`);
  }

  cancel(rebuildId: string): Promise<CancelResponse> {
    return this.request(cancelResponseSchema, 'POST', `/rebuilds/${encodeURIComponent(rebuildId)}/cancel`);
  }

  retry(rebuildId: string): Promise<RetryResponse> {
    return this.request(retryResponseSchema, 'POST', `/rebuilds/${encodeURIComponent(rebuildId)}/retry`);
  }

  async list(): Promise<RebuildListEntry[]> {
    return (await this.request(rebuildListResponseSchema, 'GET', '/rebuilds')).rebuilds;
  }

  similar(articleId: string, k?: number): Promise<SimilarResponse> {
    const query = k === undefined ? '' : `?k=${encodeURIComponent(String(k))}`;
    return this.request(
      similarResponseSchema,
      'GET',
      `/articles/${encodeURIComponent(articleId)}/similar${query}`,
    );
  }

  /** One call; a 2xx answer is parsed with `schema` (an answer of another shape is an ApiError). */
  private async request<T>(
    schema: ResponseSchema<T>,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...this.authorization,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new ApiUnreachableError(this.baseUrl, err);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!response.ok) {
      const answer = errorResponseSchema.safeParse(parsed);
      const error = answer.success
        ? answer.data.error
        : `${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`;
      throw new ApiError(response.status, error, parsed);
    }
    if (parsed === undefined)
      throw new ApiError(response.status, `expected a JSON answer from ${method} ${path}`, text);
    const answer = schema.safeParse(parsed);
    if (!answer.success) {
      const problems = describeIssues(answer.error).map((i) => `${i.field}: ${i.message}`);
      throw new ApiError(
        response.status,
        `unexpected answer from ${method} ${path} (${problems.slice(0, 3).join('; ')})`,
        parsed,
      );
    }
    return answer.data;
  }
}
