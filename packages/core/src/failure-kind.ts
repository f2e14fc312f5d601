/**
 * Failure classes (issue 11): a *permanent* failure can never succeed by trying again (a missing
 * object or bucket, access denied, a malformed CSV, a bad model) and fails a rebuild at once; a
 * *transient* one is the system being away or busy (network, storage 5xx and throttling, Redis
 * restarting) and is waited out within a time budget; anything else is *unknown* and gets a few
 * ordinary retries.
 */

/** What a transient failure waits for; shown as `waiting for storage` / `waiting for Redis`. */
export type WaitingFor = 'storage' | 'redis' | 'network';

export type FailureKind =
  { kind: 'permanent' } | { kind: 'transient'; waitingFor: WaitingFor } | { kind: 'unknown' };

/** Node.js network error codes: the peer is unreachable or went away. */
const NETWORK_ERROR_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
];
const NETWORK_CODE_SET = new Set(NETWORK_ERROR_CODES);
// The code survives only in the message when an error crossed realms and was re-wrapped (the AWS SDK
// wraps what is not `instanceof Error`: `AWS SDK error wrapper for Error: connect ECONNREFUSED …`).
const NETWORK_CODE_IN_MESSAGE = new RegExp(`\\b(${NETWORK_ERROR_CODES.join('|')})\\b|socket hang up`);

/** Errors thrown on purpose for input that cannot work, by name (packages do not import each other's classes). */
const PERMANENT_ERROR_NAMES = new Set([
  'UnrecoverableError',
  'RebuildFailedError',
  'PlanInputError',
  'RecsysParseError',
  'RecsysInputError',
  'RecsysFormatError',
  'ModelLoadError',
  'UnsupportedOpError',
  'BackendUnavailableError',
  'ZodError',
]);

/** ioredis / Redis replies meaning "Redis is not there (yet)". */
const REDIS_AWAY =
  /^(Connection is closed\.|Stream isn't writeable|LOADING |READONLY |MASTERDOWN |CLUSTERDOWN |TRYAGAIN )/;

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  retryable?: unknown;
  source?: unknown;
  statusCode?: unknown;
}

function shape(error: unknown): ErrorShape | undefined {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : undefined;
}

/** Whether an error (or one of its causes) is a network failure: refused, reset, timed out, unreachable. */
export function isNetworkError(error: unknown, depth = 0): boolean {
  const e = shape(error);
  if (!e || depth > 8) return false;
  if (typeof e.code === 'string' && NETWORK_CODE_SET.has(e.code)) return true;
  if (e.name === 'TimeoutError' || e.message === 'socket hang up' || e.message === 'aborted') return true;
  if (typeof e.message === 'string' && NETWORK_CODE_IN_MESSAGE.test(e.message)) return true;
  // AggregateError (Node's happy-eyeballs connect tries every address).
  if (Array.isArray(e.errors) && e.errors.some((inner) => isNetworkError(inner, depth + 1))) return true;
  return isNetworkError(e.cause, depth + 1);
}

/** Whether an HTTP status is worth retrying: 5xx, 429 (throttling) and 408 (request timeout). */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

function waitingForOf(e: ErrorShape): WaitingFor {
  return e.source === 'storage' ? 'storage' : e.source === 'redis' ? 'redis' : 'network';
}

/** The first transient failure in an error's cause chain (a model download that hit a network error …). */
function transientCause(error: unknown, depth = 0): WaitingFor | undefined {
  const e = shape(error);
  if (!e || depth > 8) return undefined;
  if (e.retryable === true) return waitingForOf(e);
  if (e.retryable === false) return undefined;
  if (isNetworkError(e)) return 'network';
  if (typeof e.message === 'string' && /\bHTTP (5\d\d|429|408)\b/.test(e.message)) return 'network';
  return transientCause(e.cause, depth + 1);
}

/**
 * The class of a thrown error. Explicit marks first (`UnrecoverableError` and the project's
 * permanent error names; a boolean `retryable`, with `source: 'storage' | 'redis'`, as storage
 * errors carry), then Redis replies and network codes, then an HTTP-like `statusCode`.
 */
export function classifyFailure(error: unknown): FailureKind {
  const e = shape(error);
  if (!e) return { kind: 'unknown' };
  if (typeof e.name === 'string' && PERMANENT_ERROR_NAMES.has(e.name)) {
    // A bad model is permanent; failing to download one is not.
    const waiting = e.name === 'ModelLoadError' ? transientCause(e) : undefined;
    return waiting ? { kind: 'transient', waitingFor: waiting } : { kind: 'permanent' };
  }
  if (e.retryable === false) return { kind: 'permanent' };
  if (e.retryable === true) return { kind: 'transient', waitingFor: waitingForOf(e) };
  if (
    e.name === 'MaxRetriesPerRequestError' ||
    (typeof e.message === 'string' && REDIS_AWAY.test(e.message))
  ) {
    return { kind: 'transient', waitingFor: 'redis' };
  }
  if (isNetworkError(e)) return { kind: 'transient', waitingFor: 'network' };
  if (typeof e.statusCode === 'number') {
    if (isRetryableStatus(e.statusCode)) return { kind: 'transient', waitingFor: 'network' };
    if (e.statusCode >= 400 && e.statusCode < 500) return { kind: 'permanent' };
  }
  return { kind: 'unknown' };
}
