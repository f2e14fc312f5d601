import { gaussianData } from '../test/helpers';
import { decodePcaModel, encodedPcaModelSize, encodePcaModel, PcaModelFormatError } from './codec';
import { fitPcaSync } from './pca';
import { SeededRandom } from './random';


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
    expect(() => decodePcaModel(wrongMagic)).toThrow(/not a PCA model/);
    const version = Buffer.from(bytes);
    version.writeUInt16LE(2, 4);
    expect(() => decodePcaModel(version)).toThrow(/unsupported PCA model version 2/);
    const badK = Buffer.from(bytes);
    badK.writeUInt32LE(21, 12);
    expect(() => decodePcaModel(badK)).toThrow(/header is corrupt/);
  });

  it('rejects truncated and over-long input', () => {
    expect(() => decodePcaModel(bytes.subarray(0, 10))).toThrow(/truncated/);
    expect(() => decodePcaModel(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated: \d+ of \d+ bytes/);
    expect(() => decodePcaModel(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/trailing bytes/);
  });

  it('detects corruption anywhere in the payload (checksum)', () => {
    for (const at of [24, 40, 32 + 4 * 20 + 100, bytes.length - 20, bytes.length - 1]) {
      const corrupt = Buffer.from(bytes);
      corrupt[at] = corrupt[at]! ^ 0x10;
      expect(() => decodePcaModel(corrupt)).toThrow(PcaModelFormatError);
      expect(() => decodePcaModel(corrupt)).toThrow(/checksum mismatch/);
    }
  });

  it('refuses to encode an inconsistent model', () => {
    expect(() => encodePcaModel({ ...model, k: 8 })).toThrow(RangeError);
    expect(() => encodePcaModel({ ...model, mean: new Float32Array(3) })).toThrow(RangeError);
  });
});
