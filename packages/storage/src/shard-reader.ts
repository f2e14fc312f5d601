import { endianness } from 'node:os';
import { forEachLimit } from '@lookalike/core';
import { VectorShardError } from './errors';
import type { ObjectStore } from './object-store';
import {
  decodeVectorShard,
  readVectorShardHeader,
  VECTOR_SHARD_HEADER_BYTES,
  vectorRowsByteRange,
  type VectorShard,
  type VectorShardHeader,
} from './vector-shard';

/** Reads in flight at once, by default: enough to hide S3 latency, few enough to keep memory bounded. */
export const DEFAULT_SHARD_READS = 8;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

export interface ReadVectorShardsOptions {
  /** Shards read at once (default {@link DEFAULT_SHARD_READS}). */
  concurrency?: number;
  /** Called (and awaited) after each shard is read, with how many are done. */
  onProgress?: (done: number, total: number) => unknown;
}

/** Reads and decodes (checksums verified) every shard, a bounded number at a time; the result is in key order. */
export async function readVectorShards(
  store: ObjectStore,
  keys: readonly string[],
  options: ReadVectorShardsOptions = {},
): Promise<VectorShard[]> {
  const shards = new Array<VectorShard>(keys.length);
  let done = 0;
  await forEachLimit(keys, options.concurrency ?? DEFAULT_SHARD_READS, async (key, i) => {
    shards[i] = decodeVectorShard(await store.get(key));
    done += 1;
    await options.onProgress?.(done, keys.length);
  });
  return shards;
}

/** The header of every shard (a ranged read of its first 32 bytes each, header checksum verified), in key order. */
export async function readVectorShardHeaders(
  store: ObjectStore,
  keys: readonly string[],
  options: { concurrency?: number } = {},
): Promise<VectorShardHeader[]> {
  const headers = new Array<VectorShardHeader>(keys.length);
  await forEachLimit(keys, options.concurrency ?? DEFAULT_SHARD_READS, async (key, i) => {
    headers[i] = readVectorShardHeader(await store.getRange(key, 0, VECTOR_SHARD_HEADER_BYTES - 1));
  });
  return headers;
}

export interface ReadVectorShardRowsOptions {
  /** Ranged reads at once (default {@link DEFAULT_SHARD_READS}). */
  concurrency?: number;
  /**
   * Two wanted rows of a shard are fetched by one read when at most this many bytes of unwanted rows lie between
   * them (default 256 KiB: one request costs more than that much transfer on S3); 0 reads only wanted rows, one
   * read per run of adjacent rows.
   */
  maxGapBytes?: number;
  /** The most bytes one read fetches (default 8 MiB; a row bigger than that is read alone). */
  maxReadBytes?: number;
}

export interface VectorShardRows {
  /** Floats per row. */
  dim: number;
  /** The wanted rows' vectors, row-major: shard 0's rows in the order given, then shard 1's, … */
  vectors: Float32Array;
  /** Ranged reads made, and the bytes they fetched. */
  reads: number;
  bytesRead: number;
}

interface RowRead {
  shard: number;
  startRow: number;
  endRow: number;
  /** The wanted rows in this read, and where each goes in the output (a row index). */
  rows: number[];
  at: number[];
}

/**
 * Reads the vectors of `rows[s]` (ascending row numbers) of each shard `s` by ranged reads of those rows' bytes
 * alone, coalesced (see the options), so memory holds the result plus `concurrency` reads, never whole shards.
 * `headers` are the shards' headers ({@link readVectorShardHeaders}); every shard that gives rows must have the
 * same dim. Only the header checksum is verified (the whole-shard checksum needs the whole shard).
 */
export async function readVectorShardRows(
  store: ObjectStore,
  keys: readonly string[],
  headers: readonly VectorShardHeader[],
  rows: readonly (readonly number[])[],
  options: ReadVectorShardRowsOptions = {},
): Promise<VectorShardRows> {
  if (headers.length !== keys.length || rows.length !== keys.length)
    throw new RangeError(`${keys.length} keys, ${headers.length} headers and ${rows.length} row lists`);
  const maxGapBytes = options.maxGapBytes ?? 256 * 1024;
  const maxReadBytes = options.maxReadBytes ?? 8 * 1024 * 1024;
  let dim = 0;
  let total = 0;
  const reads: RowRead[] = [];
  rows.forEach((wanted, shard) => {
    if (wanted.length === 0) return;
    const header = headers[shard]!;
    if (dim === 0) dim = header.dim;
    else if (header.dim !== dim)
      throw new VectorShardError('LENGTH_MISMATCH', `${keys[shard]} has dim ${header.dim}, expected ${dim}`);
    const rowBytes = header.dim * 4;
    let read: RowRead | undefined;
    for (const row of wanted) {
      if (!Number.isSafeInteger(row) || row < 0 || row >= header.count || (read && row < read.endRow))
        throw new RangeError(`rows of ${keys[shard]} must ascend within 0..${header.count - 1}, got ${row}`);
      const joins =
        read !== undefined &&
        (row - read.endRow) * rowBytes <= maxGapBytes &&
        (row + 1 - read.startRow) * rowBytes <= maxReadBytes;
      if (!joins) {
        read = { shard, startRow: row, endRow: row, rows: [], at: [] };
        reads.push(read);
      }
      read!.rows.push(row);
      read!.at.push(total++);
      read!.endRow = row + 1;
    }
  });

  const vectors = new Float32Array(total * dim);
  const out = new Uint8Array(vectors.buffer);
  let bytesRead = 0;
  await forEachLimit(reads, options.concurrency ?? DEFAULT_SHARD_READS, async (read) => {
    const header = headers[read.shard]!;
    const { start, endInclusive } = vectorRowsByteRange(header, read.startRow, read.endRow);
    const bytes = await store.getRange(keys[read.shard]!, start, endInclusive);
    if (bytes.length !== endInclusive - start + 1) {
      throw new VectorShardError(
        'TRUNCATED',
        `${keys[read.shard]}: rows ${read.startRow}..${read.endRow - 1} end past the object (${bytes.length} of ${endInclusive - start + 1} bytes)`,
      );
    }
    bytesRead += bytes.length;
    const rowBytes = dim * 4;
    read.rows.forEach((row, j) => {
      const from = (row - read.startRow) * rowBytes;
      const to = read.at[j]! * rowBytes;
      if (LITTLE_ENDIAN_HOST) out.set(bytes.subarray(from, from + rowBytes), to);
      else for (let i = 0; i < dim; i++) vectors[to / 4 + i] = bytes.readFloatLE(from + i * 4);
    });
  });
  return { dim, vectors, reads: reads.length, bytesRead };
}
