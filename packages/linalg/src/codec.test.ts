import { createHash } from 'node:crypto';
import { Rng, type FramedFormatErrorCode } from '@lookalike/core';
import { gaussianData } from '../test/helpers';
import { decodePcaModel, encodedPcaModelSize, encodePcaModel, PcaModelFormatError } from './codec';
import { fitPcaSync, type PcaModel } from './pca';
import { SeededRandom } from './random';

/** Throws a PcaModelFormatError with this code. */
const formatError = (code: FramedFormatErrorCode) =>
  expect.objectContaining({ name: 'PcaModelFormatError', code }) as unknown as Error;

/** A model of random numbers (the encoding does not care whether they came from a fit). */
function randomModel(dim: number, k: number, seed: number): PcaModel {
  const r = new Rng(seed);
  const mean = Float32Array.from({ length: dim }, () => r.float() * 2 - 1);
  const components = Float32Array.from({ length: k * dim }, () => r.float() * 2 - 1);
  const explainedVariance = Float64Array.from({ length: k }, (_, i) => (k - i) * r.float());
  const totalVariance = explainedVariance.reduce((a, b) => a + b, 0) * 1.5;
  const explainedVarianceRatio = explainedVariance.map((v) => v / totalVariance);
  return {
    dim,
    k,
    sampleCount: 1234,
    mean,
    components,
    explainedVariance,
    explainedVarianceRatio,
    totalVariance,
  };
}

// Written by the codec before it used core's framed codec (commit 71abbe1): files in storage must still read,
// and the same model must give the same bytes.
const OLD_SMALL_MODEL =
  'TEtQQwEAAAADAAAAAgAAANIEAAAAAAAAAADImUZI+z9EqYy+HOw5Pw/SZ787h1S/Vj33PjPvdr+P/t2+y+h8vqhOvj4AAECPvrnmPwAAQCY/Tds/zhLR2Q==';
const OLD_MODEL_64X8_SHA256 = 'a69dc4dc5334a12f2248c460ab563c4dae068f55414f99a586aae83787e4ce21';

describe('PCA model bytes', () => {
  it('are the bytes the codec wrote before, and those bytes still decode', () => {
    const old = Buffer.from(OLD_SMALL_MODEL, 'base64');
    const model = randomModel(3, 2, 11);
    expect(encodePcaModel(model).equals(old)).toBe(true);
    expect(decodePcaModel(old)).toEqual(model);
    const big = encodePcaModel(randomModel(64, 8, 12));
    expect(big.length).toBe(2404);
    expect(createHash('sha256').update(big).digest('hex')).toBe(OLD_MODEL_64X8_SHA256);
  });
});

describe('PCA model codec', () => {
  const { model } = fitPcaSync(
    gaussianData(200, 20, new SeededRandom(1), (i) => 1 + i),
    200,
    20,
    7,
  );
  const bytes = encodePcaModel(model);

  it('round-trips bit-identically', () => {
    expect(bytes.length).toBe(encodedPcaModelSize(20, 7));
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('LKPC');
    const back = decodePcaModel(bytes);
    expect(back).toEqual(model);
    expect(encodePcaModel(back).equals(bytes)).toBe(true);
    // Also from a plain Uint8Array view at an unaligned offset.
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(decodePcaModel(padded.subarray(3))).toEqual(model);
  });

  it('rejects a wrong magic, an unknown version and a corrupt header', () => {
    const wrongMagic = Buffer.from(bytes);
    wrongMagic.write('LKPX', 0, 'latin1');
    expect(() => decodePcaModel(wrongMagic)).toThrow(formatError('BAD_MAGIC'));
    expect(() => decodePcaModel(wrongMagic)).toThrow(/PCA model: bad magic "LKPX"/);
    const version = Buffer.from(bytes);
    version.writeUInt16LE(2, 4);
    expect(() => decodePcaModel(version)).toThrow(formatError('UNSUPPORTED_VERSION'));
    expect(() => decodePcaModel(version)).toThrow(/unsupported version 2/);
    const badK = Buffer.from(bytes);
    badK.writeUInt32LE(21, 12);
    expect(() => decodePcaModel(badK)).toThrow(formatError('INCONSISTENT_HEADER'));
    expect(() => decodePcaModel(badK)).toThrow(/header is corrupt/);
  });

  it('rejects truncated and over-long input', () => {
    expect(() => decodePcaModel(bytes.subarray(0, 10))).toThrow(formatError('TRUNCATED'));
    expect(() => decodePcaModel(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated: \d+ of \d+ bytes/);
    expect(() => decodePcaModel(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(
      formatError('TRAILING_BYTES'),
    );
  });

  it('detects corruption anywhere in the payload (checksum)', () => {
    for (const at of [24, 40, 32 + 4 * 20 + 100, bytes.length - 20, bytes.length - 1]) {
      const corrupt = Buffer.from(bytes);
      corrupt[at] = corrupt[at]! ^ 0x10;
      expect(() => decodePcaModel(corrupt)).toThrow(PcaModelFormatError);
      expect(() => decodePcaModel(corrupt)).toThrow(formatError('CHECKSUM_MISMATCH'));
    }
  });

  it('refuses to encode an inconsistent model', () => {
    expect(() => encodePcaModel({ ...model, k: 8 })).toThrow(RangeError);
    expect(() => encodePcaModel({ ...model, mean: new Float32Array(3) })).toThrow(RangeError);
  });
});
