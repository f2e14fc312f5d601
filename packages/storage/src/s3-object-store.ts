import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandOutput,
  type ListObjectsV2CommandOutput,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { isNetworkError, silentLogger, type Logger } from '@lookalike/core';
import { assertByteRange } from './byte-range';
import { forEachLimit } from '@lookalike/core';
import { InvalidRangeError, ObjectNotFoundError, StorageError } from './errors';
import { validateKey, validatePrefix } from './object-key';
import { destroyIdleSockets, PerRequestRetryStrategy } from './s3-retry-strategy';
import type { ObjectBody, ObjectHead, ObjectListEntry, ObjectStore, PutOptions } from './object-store';
import { asBuffer, isBytes, readableToBuffer } from './stream-util';

/** The S3 request limit of DeleteObjects. */
export const S3_DELETE_BATCH = 1000;
const MIN_PART_SIZE = 5 * 1024 * 1024;

/** How to reach an S3-compatible service (shared by `S3ObjectStore` and `openObjectStore`). */
export interface S3ConnectionOptions {
  /** e.g. `http://127.0.0.1:9000` for MinIO/s3rver; omit for AWS. */
  endpoint?: string;
  /** Default `us-east-1`. */
  region?: string;
  /** Static credentials; omitted, the SDK's default provider chain (env, profile, IMDS...) is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style URLs (`endpoint/bucket/key`). Default: true when `endpoint` is set, else false. */
  forcePathStyle?: boolean;
  /**
   * Attempts per request, first included (default 5): 5xx, throttling (429, SlowDown, ...), timeouts
   * and network errors (ECONNRESET, ECONNREFUSED, EPIPE, ETIMEDOUT, ...) are retried with exponential
   * full-jitter backoff (`PerRequestRetryStrategy`: no retry quota shared across requests); other 4xx
   * never. Longer outages are for the caller's job-level retries (the error's `retryable` says so).
   */
  maxAttempts?: number;
  /** Give up connecting after this many ms (default 10 000); retried. */
  connectionTimeoutMs?: number;
  /** Fail a request whose socket is idle this many ms (default 120 000), also mid-body; retried. */
  socketTimeoutMs?: number;
  /** Multipart part size in bytes (default 8 MiB, at least 5 MiB). */
  partSize?: number;
  /** Parts uploaded in parallel per object (default 4); memory use is about partSize × queueSize. */
  queueSize?: number;
  /** In-memory bodies larger than this use multipart upload (default: partSize). Streams always go through `Upload`. */
  multipartThreshold?: number;
  /**
   * ListObjectsV2 MaxKeys (default 1000). AWS S3 and MinIO answer at most 1000 per page whatever is
   * asked. s3rver honours bigger values, and needs them for complete listings: it pages in its own
   * directory-walk order with a `key > StartAfter` filter, so a page break inside 'x/neighbours/'
   * silently drops 'x/neighbours.csv' ('.' sorts before '/'). Local runs on s3rver: use e.g. 1_000_000.
   */
  listPageSize?: number;
  /** Extra S3Client settings, applied last (e.g. a custom `retryStrategy` or `requestHandler`). */
  clientConfig?: S3ClientConfig;
  logger?: Logger;
}

export interface S3ObjectStoreOptions extends S3ConnectionOptions {
  bucket: string;
  /** Key prefix inside the bucket ('' or e.g. 'env/prod'); keys are relative to it. */
  prefix?: string;
  /**
   * Use this client instead of building one (the connection options above are then ignored except
   * the upload/list ones). It must use `requestChecksumCalculation: 'WHEN_REQUIRED'` against s3rver.
   */
  client?: S3Client;
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function sdkError(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

function isNotFound(error: unknown): boolean {
  const e = sdkError(error);
  if (e.name === 'NoSuchBucket') return false;
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

function normalizeStorePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : validateKey(trimmed);
}

function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Builds an S3Client configured for S3-compatible servers (checksums only when required, path style),
 * with a per-request retry strategy (no client-wide retry quota) and its own keep-alive agents, whose
 * idle sockets are dropped after a network failure so that retries connect afresh.
 */
export function createS3Client(options: S3ConnectionOptions): S3Client {
  const maxAttempts = options.maxAttempts ?? 5;
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });
  return new S3Client({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    maxAttempts,
    retryStrategy: new PerRequestRetryStrategy({
      maxAttempts,
      onNetworkError: () => {
        destroyIdleSockets(httpAgent);
        destroyIdleSockets(httpsAgent);
      },
    }),
    // The SDK's default aws-chunked bodies with CRC trailers are stored verbatim by s3rver (corrupt objects).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      httpAgent,
      httpsAgent,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 120_000,
    },
    ...options.clientConfig,
  });
}

/**
 * Object store on an S3 bucket (AWS S3, MinIO, s3rver), all keys under an optional prefix.
 * Requests are retried by the SDK (see `maxAttempts`); whole-body reads (`get`, `getRange`)
 * also retry a response body that breaks off mid-way. Streams and big buffers are uploaded in parts.
 */
export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly url: string;
  readonly client: S3Client;
  private readonly ownsClient: boolean;
  private readonly maxAttempts: number;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly multipartThreshold: number;
  private readonly listPageSize: number;
  private readonly logger: Logger;

  constructor(options: S3ObjectStoreOptions) {
    if (!options.bucket) throw new StorageError('S3ObjectStore needs a bucket');
    this.bucket = options.bucket;
    this.prefix = normalizeStorePrefix(options.prefix);
    this.url = `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
    this.client = options.client ?? createS3Client(options);
    this.ownsClient = options.client === undefined;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.partSize = Math.max(MIN_PART_SIZE, options.partSize ?? 8 * 1024 * 1024);
    this.queueSize = Math.max(1, options.queueSize ?? 4);
    this.multipartThreshold = options.multipartThreshold ?? this.partSize;
    this.listPageSize = Math.min(2_147_483_647, Math.max(1, Math.floor(options.listPageSize ?? 1000)));
    this.logger = (options.logger ?? silentLogger).child({ component: 's3-object-store', store: this.url });
  }

  private fullKey(key: string): string {
    validateKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private fail(op: string, fullKey: string, error: unknown): StorageError {
    if (error instanceof StorageError) return error;
    const e = sdkError(error);
    const status = e.$metadata?.httpStatusCode;
    const what = [e.name, e.message].filter(Boolean).join(': ') || String(error);
    return new StorageError(
      `S3 ${op} s3://${this.bucket}/${fullKey} failed${status ? ` (HTTP ${status})` : ''}: ${what}`,
      {
        cause: error,
        ...(status === undefined ? {} : { statusCode: status }),
      },
    );
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<void> {
    const Key = this.fullKey(key);
    const ContentType = options.contentType;
    try {
      if (isBytes(body) && body.byteLength <= this.multipartThreshold) {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key,
            Body: asBuffer(body),
            ContentLength: body.byteLength,
            ContentType,
          }),
        );
      } else {
        const upload = new Upload({
          client: this.client,
          params: { Bucket: this.bucket, Key, Body: isBytes(body) ? asBuffer(body) : body, ContentType },
          partSize: this.partSize,
          queueSize: this.queueSize,
          leavePartsOnError: false,
        });
        await upload.done();
      }
    } catch (error) {
      if (!isBytes(body)) body.destroy();
      throw this.fail('put', Key, error);
    }
    this.logger.debug({ key }, 'put');
  }

  private async getObject(
    key: string,
    range?: { start: number; endInclusive: number },
  ): Promise<GetObjectCommandOutput> {
    const Key = this.fullKey(key);
    try {
      return await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key,
          ...(range ? { Range: `bytes=${range.start}-${range.endInclusive}` } : {}),
        }),
      );
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key, { cause: error });
      const e = sdkError(error);
      if (range && (e.name === 'InvalidRange' || e.$metadata?.httpStatusCode === 416)) {
        throw new InvalidRangeError(key, range.start, range.endInclusive);
      }
      throw this.fail('get', Key, error);
    }
  }

  /** GetObject and read the whole body, re-requesting when the body breaks off. */
  private async readWhole(key: string, range?: { start: number; endInclusive: number }): Promise<Buffer> {
    for (let attempt = 1; ; attempt++) {
      const output = await this.getObject(key, range);
      try {
        return await readableToBuffer(output.Body as Readable);
      } catch (error) {
        if (attempt >= this.maxAttempts || !isNetworkError(error))
          throw this.fail('get (body)', this.fullKey(key), error);
        const delay = Math.floor(Math.random() * Math.min(20_000, 100 * 2 ** attempt));
        this.logger.warn({ key, attempt, delay, err: error }, 'response body broke off; retrying');
        await sleep(delay);
      }
    }
  }

  async get(key: string): Promise<Buffer> {
    return this.readWhole(key);
  }

  async getStream(key: string): Promise<Readable> {
    const output = await this.getObject(key);
    return output.Body as Readable;
  }

  async getRange(key: string, start: number, endInclusive: number): Promise<Buffer> {
    assertByteRange(key, start, endInclusive);
    return this.readWhole(key, { start, endInclusive });
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    const Key = this.fullKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return {
        size: out.ContentLength ?? 0,
        ...(out.ETag === undefined ? {} : { etag: out.ETag }),
        ...(out.LastModified === undefined ? {} : { lastModified: out.LastModified }),
        ...(out.ContentType === undefined ? {} : { contentType: out.ContentType }),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw this.fail('head', Key, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  /**
   * Pages through ListObjectsV2, then sorts client-side (memory: all keys under the prefix).
   * The sort is needed because s3rver walks its directory tree and returns 'a/x' before 'a-b'
   * (AWS S3 and MinIO already return UTF-8 byte order).
   */
  async *list(prefix: string): AsyncIterable<ObjectListEntry> {
    validatePrefix(prefix);
    const base = this.prefix ? `${this.prefix}/` : '';
    const Prefix = base + prefix;
    const sizes = new Map<string, number>();
    for await (const page of this.pages('list', Prefix)) {
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined && object.Key.startsWith(Prefix))
          sizes.set(object.Key.slice(base.length), object.Size ?? 0);
      }
    }
    const keys = [...sizes.keys()].sort(utf8Compare);
    for (const key of keys) yield { key, size: sizes.get(key)! };
  }

  /**
   * ListObjectsV2 with `Delimiter: '/'`, every page's `CommonPrefixes` gathered, then sorted and each given
   * once (s3rver answers each page's prefixes on their own; memory: the prefixes, not the keys below them).
   * s3rver 3.7.1 finds a prefix only through an object right below it ('a/' through 'a/x', not through 'a/b/x'
   * alone: it prunes the folders below a common prefix before reading them); AWS S3 and MinIO find both.
   * The rebuilds list is not affected: every `rebuilds/<id>/` holds its `manifest.json`.
   */
  async *listPrefixes(prefix: string): AsyncIterable<string> {
    validatePrefix(prefix);
    const base = this.prefix ? `${this.prefix}/` : '';
    const Prefix = base + prefix;
    const prefixes = new Set<string>();
    for await (const page of this.pages('listPrefixes', Prefix, '/')) {
      for (const common of page.CommonPrefixes ?? []) {
        if (common.Prefix !== undefined && common.Prefix.startsWith(Prefix))
          prefixes.add(common.Prefix.slice(base.length));
      }
    }
    yield* [...prefixes].sort(utf8Compare);
  }

  /** The ListObjectsV2 pages under a full prefix (with `Delimiter` when given), following continuation tokens. */
  private async *pages(
    op: string,
    Prefix: string,
    Delimiter?: string,
  ): AsyncGenerator<ListObjectsV2CommandOutput> {
    let ContinuationToken: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix,
            ...(Delimiter === undefined ? {} : { Delimiter }),
            MaxKeys: this.listPageSize,
            ContinuationToken,
          }),
        );
      } catch (error) {
        throw this.fail(op, Prefix, error);
      }
      yield page;
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated && !ContinuationToken) {
        throw new StorageError(
          `S3 ${op} s3://${this.bucket}/${Prefix}: truncated page without a continuation token`,
        );
      }
    } while (ContinuationToken);
  }

  async deleteMany(keys: Iterable<string>): Promise<void> {
    const fullKeys = [...new Set([...keys].map((key) => this.fullKey(key)))];
    const batches: string[][] = [];
    for (let i = 0; i < fullKeys.length; i += S3_DELETE_BATCH)
      batches.push(fullKeys.slice(i, i + S3_DELETE_BATCH));
    await forEachLimit(batches, 4, async (batch) => {
      let out;
      try {
        out = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
      } catch (error) {
        throw this.fail('deleteMany', batch[0] ?? '', error);
      }
      const errors = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (errors.length > 0) {
        const sample = errors
          .slice(0, 3)
          .map((e) => `${e.Key}: ${e.Code} ${e.Message ?? ''}`.trim())
          .join('; ');
        throw new StorageError(
          `S3 deleteMany in s3://${this.bucket}: ${errors.length} of ${batch.length} keys failed (${sample})`,
        );
      }
    });
    this.logger.debug({ count: fullKeys.length }, 'deleteMany');
  }

  async delete(key: string): Promise<void> {
    const Key = this.fullKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw this.fail('delete', Key, error);
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}
