import * as os from 'node:os';
import { types } from 'node:util';
import { framedFormat } from '@lookalike/core';
import { AnnFormatError, AnnInputError } from './errors';
import type { NeighbourTable } from './neighbour-table';

/**
 * Binary neighbour-table format, version 1 (all integers little-endian):
 *
 *   offset  size        field
 *   0       4           magic "LKNT"
 *   4       2           version (1)
 *   6       2           header size in bytes (32)
 *   8       4           rows (u32)
 *   12      4           k (u32)
 *   16      4           firstRow (u32): index row of the first table row
 *   20      4           payload size in bytes = rows * k * 8 (u32)
 *   24      8           reserved, zero
 *   32      rows*k*4    ids, int32, row-major
 *   ...     rows*k*4    scores, float32, row-major
 *   end-4   4           CRC-32 (zlib) of every byte before it
 *
 * (core's framed codec: magic, version, typed header fields, payload, CRC-32.)
 */
export const NEIGHBOUR_TABLE_MAGIC = 'LKNT';
export const NEIGHBOUR_TABLE_VERSION = 1;
const HEADER_BYTES = 32;
const littleEndian = os.endianness() === 'LE';

const frame = framedFormat({
  format: 'neighbour table',
  magic: NEIGHBOUR_TABLE_MAGIC,
  version: NEIGHBOUR_TABLE_VERSION,
  headerBytes: HEADER_BYTES,
  u16: { headerBytes: 6 },
  u32: { rows: 8, k: 12, firstRow: 16, payloadBytes: 20 },
  error: (e) => new AnnFormatError(e.message, { cause: e }),
});

/** Serialises a neighbour table (checksummed; see the format above). */
export function encodeNeighbourTable(table: NeighbourTable): Buffer {
  const { rows, k, firstRow, ids, scores } = table;
  for (const [name, v] of [
    ['rows', rows],
    ['k', k],
    ['firstRow', firstRow],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new AnnInputError(`${name} must be a u32, got ${v}`);
  }
  const n = rows * k;
  if (!types.isInt32Array(ids) || ids.length !== n) {
    throw new AnnInputError(`ids must be an Int32Array of rows * k = ${n} entries`);
  }
  if (!types.isFloat32Array(scores) || scores.length !== n) {
    throw new AnnInputError(`scores must be a Float32Array of rows * k = ${n} entries`);
  }
  const payload = n * 8;
  if (payload > 0xffffffff) throw new AnnInputError(`table too large (${payload} payload bytes)`);
  const fields = { headerBytes: HEADER_BYTES, rows, k, firstRow, payloadBytes: payload };
  return frame.encode(fields, payload, (buf) => {
    writeWords(buf, HEADER_BYTES, ids);
    writeWords(buf, HEADER_BYTES + n * 4, scores);
  });
}

/**
 * Parses and verifies a serialised neighbour table. Throws `AnnFormatError` on a wrong magic,
 * unsupported version, inconsistent sizes, truncation, trailing bytes or a checksum mismatch.
 * The returned arrays are copies (independent of `buf`).
 */
export function decodeNeighbourTable(buf: Uint8Array): NeighbourTable {
  if (!types.isUint8Array(buf))
    throw new AnnInputError('decodeNeighbourTable expects a Buffer or Uint8Array');
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const { headerBytes, rows, k, firstRow, payloadBytes } = frame.decodeHeader(b).fields;
  const n = rows * k;
  if (headerBytes !== HEADER_BYTES || payloadBytes !== n * 8) {
    frame.fail(
      'INCONSISTENT_HEADER',
      `header is inconsistent (rows ${rows}, k ${k}, payload ${payloadBytes})`,
    );
  }
  frame.verifyFrame(b, frame.overheadBytes + payloadBytes);
  const ids = new Int32Array(n);
  const scores = new Float32Array(n);
  readWords(b, HEADER_BYTES, ids);
  readWords(b, HEADER_BYTES + n * 4, scores);
  return { firstRow, rows, k, ids, scores };
}

function writeWords(buf: Buffer, at: number, src: Int32Array | Float32Array): void {
  if (littleEndian) {
    buf.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), at);
    return;
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < src.length; i++) {
    if (types.isInt32Array(src)) view.setInt32(at + i * 4, src[i]!, true);
    else view.setFloat32(at + i * 4, src[i]!, true);
  }
}

function readWords(buf: Buffer, at: number, dst: Int32Array | Float32Array): void {
  if (littleEndian) {
    new Uint8Array(dst.buffer, dst.byteOffset, dst.byteLength).set(buf.subarray(at, at + dst.byteLength));
    return;
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < dst.length; i++) {
    dst[i] = types.isInt32Array(dst) ? view.getInt32(at + i * 4, true) : view.getFloat32(at + i * 4, true);
  }
}
