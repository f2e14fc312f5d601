import { ZodError } from 'zod';
import { classifyFailure, isNetworkError } from './failure-kind';

function named(name: string, message = name, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
}

describe('classifyFailure', () => {
  it.each([
    ['UnrecoverableError', named('UnrecoverableError')],
    ['a parse error of a CSV', named('RecsysParseError', 'articles.csv:3: unterminated quote')],
    ['a bad model', named('ModelLoadError', 'file:///m/model.json: model.json is not valid JSON')],
    [
      'a storage error that retrying cannot help (missing object, bucket, access denied)',
      named('ObjectNotFoundError', 'object not found: a', { retryable: false, source: 'storage' }),
    ],
    ['an HTTP 403 without a mark', named('Error', 'forbidden', { statusCode: 403 })],
    ['a zod error', new ZodError([])],
  ])('%s is permanent', (_what, error) => {
    expect(classifyFailure(error)).toEqual({ kind: 'permanent' });
  });

  it.each([
    [
      'a storage outage',
      'storage',
      named('StorageError', 'S3 get failed', { retryable: true, source: 'storage' }),
    ],
    ['a refused connection', 'network', systemError('ECONNREFUSED')],
    [
      'a reset inside an AggregateError',
      'network',
      new AggregateError([systemError('ECONNRESET')], 'connect'),
    ],
    [
      'a re-wrapped network error (only the message has the code)',
      'network',
      new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1'),
    ],
    ['ioredis with Redis gone', 'redis', new Error('Connection is closed.')],
    [
      'Redis loading its append-only file',
      'redis',
      named('ReplyError', 'LOADING Redis is loading the dataset in memory'),
    ],
    ['an HTTP 503 without a mark', 'network', named('Error', 'busy', { statusCode: 503 })],
    [
      'a model download that hit a network error',
      'network',
      named('ModelLoadError', 'cannot fetch https://m/model.json: fetch failed', {
        cause: systemError('ETIMEDOUT'),
      }),
    ],
    [
      'a model server answering 503',
      'network',
      named('ModelLoadError', 'cannot fetch https://m/model.json: HTTP 503 Service Unavailable'),
    ],
  ])('%s is transient, waiting for %s', (_what, waitingFor, error) => {
    expect(classifyFailure(error)).toEqual({ kind: 'transient', waitingFor });
  });

  it('anything else is unknown', () => {
    expect(classifyFailure(new Error('something odd'))).toEqual({ kind: 'unknown' });
    expect(classifyFailure('a string')).toEqual({ kind: 'unknown' });
    expect(
      classifyFailure(
        named('StorageError', 'fs get failed: EIO', { retryable: undefined, source: 'storage' }),
      ),
    ).toEqual({ kind: 'unknown' });
  });

  it('finds network errors through causes, not in unrelated words', () => {
    expect(
      isNetworkError(new Error('outer', { cause: new Error('inner', { cause: systemError('EPIPE') }) })),
    ).toBe(true);
    expect(isNetworkError(new Error('ECONNREFUSEDX is no code'))).toBe(false);
    expect(isNetworkError(Object.assign(new Error('denied'), { code: 'EACCES' }))).toBe(false);
  });
});
