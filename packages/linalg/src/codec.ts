import { crc32 } from '@lookalike/core';
import type { PcaModel } from './pca';

/**
 * Binary form of a {@link PcaModel} (little-endian):
 *
 *   offset  size     field
 *   0       4        magic 'LKPC'
 *   4       2        format version (1)
 *   6       2        flags (0)
 *   8       4        dim d (u32)
 *   12      4        k (u32)
 *   16      4        sampleCount n (u32)
 *   20      4        reserved (0)
 *   24      8        totalVariance (f64)
 *   32      4·d      mean (f32)
 *   …       4·k·d    components, row-major (f32)
 *   …       8·k      explainedVariance (f64)
 *   …       4        CRC-32 (IEEE) of every byte before it
 *
 * explainedVarianceRatio is not stored: it is recomputed as explainedVariance / totalVariance, exactly as the fit
 * computes it, so a round trip is bit-identical.
 */
export const PCA_MODEL_MAGIC = 'LKPC';
export const PCA_MODEL_VERSION = 1;
const HEADER_BYTES = 32;
const MAX_DIM = 1 << 20;

/** A PCA model file that cannot be read: wrong magic or version, truncated, inconsistent or corrupt. */
export class PcaModelFormatError extends Error {
  override readonly name = 'PcaModelFormatError';
}

/** Total encoded size of a model with these dimensions. */
export function encodedPcaModelSize(dim: number, k: number): number {
  return HEADER_BYTES + 4 * dim + 4 * k * dim + 8 * k + 4;
}

export function encodePcaModel(model: PcaModel): Buffer {
  const { dim, k } = model;
  if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM)
    throw new RangeError(`encodePcaModel: bad dim ${dim}`);
  if (!Number.isInteger(k) || k < 1 || k > dim)
    throw new RangeError(`encodePcaModel: bad k ${k} for dim ${dim}`);
  if (
    model.mean.length !== dim ||
    model.components.length !== k * dim ||
    model.explainedVariance.length !== k
  ) {
    throw new RangeError('encodePcaModel: array lengths do not match dim and k');
  }
  const buf = Buffer.alloc(encodedPcaModelSize(dim, k));
  buf.write(PCA_MODEL_MAGIC, 0, 'latin1');
  buf.writeUInt16LE(PCA_MODEL_VERSION, 4);
  buf.writeUInt16LE(0, 6);
  buf.writeUInt32LE(dim, 8);
  buf.writeUInt32LE(k, 12);
  buf.writeUInt32LE(model.sampleCount >>> 0, 16);
  buf.writeUInt32LE(0, 20);
  buf.writeDoubleLE(model.totalVariance, 24);
  let o = HEADER_BYTES;
  for (let i = 0; i < dim; i++, o += 4) buf.writeFloatLE(model.mean[i]!, o);
  for (let i = 0; i < k * dim; i++, o += 4) buf.writeFloatLE(model.components[i]!, o);
  for (let i = 0; i < k; i++, o += 8) buf.writeDoubleLE(model.explainedVariance[i]!, o);
  buf.writeUInt32LE(crc32(buf.subarray(0, o)), o);
  return buf;
}

/** Reads a model written by {@link encodePcaModel}; throws {@link PcaModelFormatError} for anything else. */
export function decodePcaModel(bytes: Uint8Array): PcaModel {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER_BYTES + 4)
    throw new PcaModelFormatError(`PCA model truncated: ${buf.length} bytes is shorter than the header`);
  const magic = buf.toString('latin1', 0, 4);
  if (magic !== PCA_MODEL_MAGIC)
    throw new PcaModelFormatError(
      `not a PCA model: magic ${JSON.stringify(magic)}, expected '${PCA_MODEL_MAGIC}'`,
    );
  const version = buf.readUInt16LE(4);
  if (version !== PCA_MODEL_VERSION)
    throw new PcaModelFormatError(
      `unsupported PCA model version ${version} (this code reads ${PCA_MODEL_VERSION})`,
    );
  const dim = buf.readUInt32LE(8);
  const k = buf.readUInt32LE(12);
  if (dim < 1 || dim > MAX_DIM || k < 1 || k > dim)
    throw new PcaModelFormatError(`PCA model header is corrupt: dim ${dim}, k ${k}`);
  const size = encodedPcaModelSize(dim, k);
  if (buf.length < size) throw new PcaModelFormatError(`PCA model truncated: ${buf.length} of ${size} bytes`);
  if (buf.length > size)
    throw new PcaModelFormatError(`PCA model has ${buf.length - size} unexpected trailing bytes`);
  const stored = buf.readUInt32LE(size - 4);
  const actual = crc32(buf.subarray(0, size - 4));
  if (stored !== actual) {
    throw new PcaModelFormatError(
      `PCA model checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)}): the data is corrupt`,
    );
  }

  const sampleCount = buf.readUInt32LE(16);
  const totalVariance = buf.readDoubleLE(24);
  let o = HEADER_BYTES;
  const mean = new Float32Array(dim);
  for (let i = 0; i < dim; i++, o += 4) mean[i] = buf.readFloatLE(o);
  const components = new Float32Array(k * dim);
  for (let i = 0; i < k * dim; i++, o += 4) components[i] = buf.readFloatLE(o);
  const explainedVariance = new Float64Array(k);
  for (let i = 0; i < k; i++, o += 8) explainedVariance[i] = buf.readDoubleLE(o);
  const explainedVarianceRatio = new Float64Array(k);
  for (let i = 0; i < k; i++)
    explainedVarianceRatio[i] = totalVariance > 0 ? explainedVariance[i]! / totalVariance : 0;
  return { dim, k, sampleCount, mean, components, explainedVariance, explainedVarianceRatio, totalVariance };
}

function hex(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}
