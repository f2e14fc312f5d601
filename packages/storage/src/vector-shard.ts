import { endianness } from 'node:os';
import { framedFormat, type FramedFormatErrorCode } from '@lookalike/core';
import { VectorShardError, type VectorShardErrorCode } from './errors';
import { asBuffer } from './stream-util';

/**
 * Vector shard codec: ids + float32 rows in one self-describing, checksummed buffer.
 *
 * Layout, version 1 (all integers little-endian):
 * ```
 * offset  size  field
 *   0      4    magic "LKVS"
 *   4      2    version = 1 (u16)
 *   6      1    id encoding: 1 = UTF-8, fixed width, right-padded with NUL bytes
 *   7      1    value type: 1 = float32
 *   8      4    count: rows (u32)
 *  12      4    dim: floats per row (u32, >= 1)
 *  16      4    idWidth: bytes per id slot (u32; the longest id's UTF-8 length; 0 when count = 0)
 *  20      4    vectorsOffset (u32) = align16(32 + count * idWidth)
 *  24      4    reserved, 0
 *  28      4    header CRC-32 of bytes 0..27
 *  32           ids: count slots of idWidth bytes (an id holds no NUL; '0108775015' takes 10 bytes)
 *               zero padding up to vectorsOffset (so a Float32Array view needs no copy)
 *  vectorsOffset  count * dim float32 values, row-major
 *  end - 4  4   CRC-32 of every byte before it (header, ids, padding, vectors)
 * ```
 * Row i's id is at 32 + i * idWidth and its vector at vectorsOffset + i * dim * 4, so a reader can
 * fetch single rows with a ranged GET after reading the 32-byte header (`readVectorShardHeader`).
 * Magic, version, header fields and both checksums are core's framed codec.
 */

export const VECTOR_SHARD_MAGIC = 'LKVS';
export const VECTOR_SHARD_VERSION = 1;
export const VECTOR_SHARD_HEADER_BYTES = 32;
const ID_ENCODING_UTF8_FIXED = 1;
const VALUE_TYPE_FLOAT32 = 1;
const MAX_ID_BYTES = 1024;
const MAX_U32 = 0xffffffff;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** The framed codec's failures under this format's codes (trailing bytes and a contradictory header: LENGTH_MISMATCH). */
const ERROR_CODES: Record<FramedFormatErrorCode, VectorShardErrorCode> = {
  BAD_MAGIC: 'BAD_MAGIC',
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  TRUNCATED: 'TRUNCATED',
  TRAILING_BYTES: 'LENGTH_MISMATCH',
  INCONSISTENT_HEADER: 'LENGTH_MISMATCH',
  HEADER_CHECKSUM_MISMATCH: 'HEADER_CHECKSUM_MISMATCH',
  CHECKSUM_MISMATCH: 'CHECKSUM_MISMATCH',
};

const frame = framedFormat({
  format: 'vector shard',
  magic: VECTOR_SHARD_MAGIC,
  version: VECTOR_SHARD_VERSION,
  headerBytes: VECTOR_SHARD_HEADER_BYTES,
  u8: { idEncoding: 6, valueType: 7 },
  u32: { count: 8, dim: 12, idWidth: 16, vectorsOffset: 20 },
  headerChecksumAt: 28,
  error: (e) => new VectorShardError(ERROR_CODES[e.code], e.detail),
});

export interface VectorShard {
  /** Row ids (e.g. article ids), one per row. */
  ids: string[];
  /** Floats per row. */
  dim: number;
  /** `ids.length * dim` values, row-major. */
  vectors: Float32Array;
}

export interface VectorShardHeader {
  version: number;
  idEncoding: 'utf8-fixed';
  valueType: 'float32';
  count: number;
  dim: number;
  idWidth: number;
  /** Byte offset of the first id slot (always 32). */
  idsOffset: number;
  vectorsOffset: number;
  /** Byte offset of the trailing CRC-32. */
  checksumOffset: number;
  /** Total size of a complete shard. */
  byteLength: number;
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

function isFloat32Array(value: unknown): value is Float32Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Float32Array]';
}

/** Encodes a shard. Throws `VectorShardError` (code INVALID_INPUT) for inconsistent input. */
export function encodeVectorShard(shard: VectorShard): Buffer {
  const { ids, dim, vectors } = shard;
  const invalid = (message: string) => new VectorShardError('INVALID_INPUT', message);
  if (!Array.isArray(ids)) throw invalid('ids must be an array of strings');
  if (!Number.isSafeInteger(dim) || dim < 1 || dim > MAX_U32)
    throw invalid(`dim must be a positive integer, got ${dim}`);
  if (!isFloat32Array(vectors)) throw invalid('vectors must be a Float32Array');
  const count = ids.length;
  if (count > MAX_U32) throw invalid(`too many rows (${count})`);
  if (vectors.length !== count * dim) {
    throw invalid(
      `vectors has ${vectors.length} values, expected ids.length × dim = ${count} × ${dim} = ${count * dim}`,
    );
  }
  const idBytes: Buffer[] = new Array<Buffer>(count);
  let idWidth = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[i];
    if (typeof id !== 'string' || id === '') throw invalid(`id ${i} must be a non-empty string`);
    if (id.includes('\0')) throw invalid(`id ${i} contains a NUL character`);
    const bytes = Buffer.from(id, 'utf8');
    if (bytes.length > MAX_ID_BYTES) throw invalid(`id ${i} is longer than ${MAX_ID_BYTES} bytes`);
    idBytes[i] = bytes;
    if (bytes.length > idWidth) idWidth = bytes.length;
  }
  const vectorsOffset = align16(VECTOR_SHARD_HEADER_BYTES + count * idWidth);
  const fields = {
    idEncoding: ID_ENCODING_UTF8_FIXED,
    valueType: VALUE_TYPE_FLOAT32,
    count,
    dim,
    idWidth,
    vectorsOffset,
  };
  // Zero-filled: NUL padding of the ids and alignment padding before the vectors.
  return frame.encode(fields, vectorsOffset - VECTOR_SHARD_HEADER_BYTES + vectors.length * 4, (out) => {
    for (let i = 0; i < count; i++) idBytes[i]!.copy(out, VECTOR_SHARD_HEADER_BYTES + i * idWidth);
    if (LITTLE_ENDIAN_HOST) {
      out.set(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength), vectorsOffset);
    } else {
      for (let i = 0; i < vectors.length; i++) out.writeFloatLE(vectors[i]!, vectorsOffset + i * 4);
    }
  });
}

/**
 * Parses and checks the 32-byte header (magic, version, header checksum, encodings); needs only
 * the first `VECTOR_SHARD_HEADER_BYTES` bytes, so a reader can learn count/dim with a ranged read.
 */
export function readVectorShardHeader(bytes: Uint8Array): VectorShardHeader {
  const { version, fields } = frame.decodeHeader(asBuffer(bytes));
  const { idEncoding, valueType, count, dim, idWidth, vectorsOffset } = fields;
  if (idEncoding !== ID_ENCODING_UTF8_FIXED)
    throw new VectorShardError('UNSUPPORTED_ENCODING', `unsupported id encoding ${idEncoding}`);
  if (valueType !== VALUE_TYPE_FLOAT32)
    throw new VectorShardError('UNSUPPORTED_ENCODING', `unsupported value type ${valueType}`);
  const expectedVectorsOffset = align16(VECTOR_SHARD_HEADER_BYTES + count * idWidth);
  if (dim < 1 || (count > 0 && idWidth < 1) || vectorsOffset !== expectedVectorsOffset) {
    frame.fail(
      'INCONSISTENT_HEADER',
      `inconsistent header: count ${count}, dim ${dim}, idWidth ${idWidth}, vectorsOffset ${vectorsOffset} (expected ${expectedVectorsOffset})`,
    );
  }
  const checksumOffset = vectorsOffset + count * dim * 4;
  return {
    version,
    idEncoding: 'utf8-fixed',
    valueType: 'float32',
    count,
    dim,
    idWidth,
    idsOffset: VECTOR_SHARD_HEADER_BYTES,
    vectorsOffset,
    checksumOffset,
    byteLength: checksumOffset + 4,
  };
}

/** Byte range (inclusive end, for `ObjectStore.getRange`) of the vectors of rows `startRow..endRow-1`. */
export function vectorRowsByteRange(
  header: VectorShardHeader,
  startRow: number,
  endRow: number,
): { start: number; endInclusive: number } {
  if (
    !Number.isSafeInteger(startRow) ||
    !Number.isSafeInteger(endRow) ||
    startRow < 0 ||
    endRow > header.count ||
    startRow >= endRow
  ) {
    throw new RangeError(`row range ${startRow}..${endRow} is empty or outside 0..${header.count}`);
  }
  const rowBytes = header.dim * 4;
  return {
    start: header.vectorsOffset + startRow * rowBytes,
    endInclusive: header.vectorsOffset + endRow * rowBytes - 1,
  };
}

export interface DecodeVectorShardOptions {
  /**
   * Copy the vectors into a fresh Float32Array. By default the result is a view of the input
   * buffer whenever alignment allows (which keeps the whole input buffer alive).
   */
  copy?: boolean;
}

/**
 * Decodes and verifies a shard. Throws `VectorShardError` with code BAD_MAGIC,
 * UNSUPPORTED_VERSION, HEADER_CHECKSUM_MISMATCH, UNSUPPORTED_ENCODING, TRUNCATED,
 * LENGTH_MISMATCH (trailing bytes or inconsistent header) or CHECKSUM_MISMATCH.
 */
export function decodeVectorShard(bytes: Uint8Array, options: DecodeVectorShardOptions = {}): VectorShard {
  const buf = asBuffer(bytes);
  const header = readVectorShardHeader(buf);
  frame.verifyFrame(buf, header.byteLength);

  const { count, dim, idWidth, idsOffset, vectorsOffset } = header;
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const start = idsOffset + i * idWidth;
    let end = start + idWidth;
    while (end > start && buf[end - 1] === 0) end--;
    ids[i] = buf.toString('utf8', start, end);
  }

  const length = count * dim;
  const absoluteOffset = buf.byteOffset + vectorsOffset;
  let vectors: Float32Array;
  if (LITTLE_ENDIAN_HOST && !options.copy && absoluteOffset % 4 === 0) {
    vectors = new Float32Array(buf.buffer, absoluteOffset, length);
  } else if (LITTLE_ENDIAN_HOST) {
    vectors = new Float32Array(length);
    new Uint8Array(vectors.buffer).set(buf.subarray(vectorsOffset, vectorsOffset + length * 4));
  } else {
    vectors = new Float32Array(length);
    for (let i = 0; i < length; i++) vectors[i] = buf.readFloatLE(vectorsOffset + i * 4);
  }
  return { ids, dim, vectors };
}
