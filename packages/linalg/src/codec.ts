import { FramedFormatError, framedFormat } from '@lookalike/core';
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
 * (core's framed codec: magic, version, typed header fields, payload, CRC-32.)
 *
 * explainedVarianceRatio is not stored: it is recomputed as explainedVariance / totalVariance, exactly as the fit
 * computes it, so a round trip is bit-identical.
 */
export const PCA_MODEL_MAGIC = 'LKPC';
export const PCA_MODEL_VERSION = 1;
const MAX_DIM = 1 << 20;

/** A PCA model file that cannot be read: wrong magic or version, truncated, inconsistent or corrupt (`code` says which). */
export class PcaModelFormatError extends FramedFormatError {
  override name = 'PcaModelFormatError';
}

const frame = framedFormat({
  format: 'PCA model',
  magic: PCA_MODEL_MAGIC,
  version: PCA_MODEL_VERSION,
  headerBytes: 32,
  u32: { dim: 8, k: 12, sampleCount: 16 },
  f64: { totalVariance: 24 },
  error: (e) => new PcaModelFormatError(e.format, e.code, e.detail),
});

/** Total encoded size of a model with these dimensions. */
export function encodedPcaModelSize(dim: number, k: number): number {
  return frame.overheadBytes + 4 * dim + 4 * k * dim + 8 * k;
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
  const fields = { dim, k, sampleCount: model.sampleCount >>> 0, totalVariance: model.totalVariance };
  return frame.encode(fields, encodedPcaModelSize(dim, k) - frame.overheadBytes, (buf) => {
    let o = frame.headerBytes;
    for (let i = 0; i < dim; i++, o += 4) buf.writeFloatLE(model.mean[i]!, o);
    for (let i = 0; i < k * dim; i++, o += 4) buf.writeFloatLE(model.components[i]!, o);
    for (let i = 0; i < k; i++, o += 8) buf.writeDoubleLE(model.explainedVariance[i]!, o);
  });
}

/** Reads a model written by {@link encodePcaModel}; throws {@link PcaModelFormatError} for anything else. */
export function decodePcaModel(bytes: Uint8Array): PcaModel {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { dim, k, sampleCount, totalVariance } = frame.decodeHeader(buf).fields;
  if (dim < 1 || dim > MAX_DIM || k < 1 || k > dim)
    frame.fail('INCONSISTENT_HEADER', `header is corrupt: dim ${dim}, k ${k}`);
  frame.verifyFrame(buf, encodedPcaModelSize(dim, k));

  let o = frame.headerBytes;
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
