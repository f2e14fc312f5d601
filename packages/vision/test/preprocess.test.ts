import sharp from 'sharp';
import { decodeToRgb, ImageDecodeError, preprocessImage, resolvePreprocessOptions } from '../src';
import { pixel, pseudoRandomBytes, solid, truncatedJpeg } from './fixtures';

const RED: [number, number, number] = [220, 20, 20];
const BLUE: [number, number, number] = [20, 20, 220];

/** 200 × 100 stored pixels: left half red, right half blue. */
function redBlueRaw(): Promise<sharp.Sharp> {
  const data = Buffer.alloc(200 * 100 * 3);
  for (let y = 0; y < 100; y++) {
    for (let x = 0; x < 200; x++) data.set(x < 100 ? RED : BLUE, (y * 200 + x) * 3);
  }
  return Promise.resolve(sharp(data, { raw: { width: 200, height: 100, channels: 3 } }));
}

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  actual.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThanOrEqual(tolerance));
}

async function decodeError(input: Uint8Array, options = {}): Promise<ImageDecodeError> {
  try {
    await decodeToRgb(input, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ImageDecodeError);
    return err as ImageDecodeError;
  }
  throw new Error('expected decodeToRgb to throw');
}

describe('preprocessing (resize_with_pad to 224 × 224 × 3)', () => {
  test('output is float32 HWC in [0, 1]', async () => {
    const out = await preprocessImage(await solid(300, 300, [255, 128, 0]));
    expect(out).toBeInstanceOf(Float32Array);
    expect(out.length).toBe(224 * 224 * 3);
    expect(out.every((v) => v >= 0 && v <= 1)).toBe(true);
    expectClose(Array.from(out.subarray(0, 3)), [1, 128 / 255, 0], 0.01);
  });

  test('aspect ratio is preserved and the padding is black, centred (padding: black, as resize_with_pad)', async () => {
    // 400 × 100 → 224 × 56 content, 84 rows of padding above and below.
    const { data, width, height } = await decodeToRgb(await solid(400, 100, [30, 200, 60]), { padding: 'black' });
    expect([width, height]).toEqual([224, 224]);
    expect(pixel(data, 224, 112, 10)).toEqual([0, 0, 0]);
    expect(pixel(data, 224, 112, 80)).toEqual([0, 0, 0]);
    expect(pixel(data, 224, 112, 213)).toEqual([0, 0, 0]);
    expectClose(pixel(data, 224, 112, 112), [30, 200, 60], 2);
    expectClose(pixel(data, 224, 5, 100), [30, 200, 60], 2);
    expectClose(pixel(data, 224, 112, 86), [30, 200, 60], 2);
  });

  test.each([
    ['edge', [30, 200, 60]],
    ['white', [255, 255, 255]],
    ['black', [0, 0, 0]],
  ] as const)('padding %s fills the letterboxed sides with %j; the content is the same', async (padding, side) => {
    // A green photo on a grey studio background, 400 × 100: the border is grey except where the garment touches.
    const photo = await sharp({ create: { width: 400, height: 100, channels: 3, background: { r: 30, g: 200, b: 60 } } })
      .png()
      .toBuffer();
    const { data } = await decodeToRgb(photo, { padding });
    for (const y of [0, 40, 83, 141, 223]) expectClose(pixel(data, 224, 112, y), [...side], 1);
    expectClose(pixel(data, 224, 112, 112), [30, 200, 60], 2);
    expectClose(pixel(data, 224, 3, 100), [30, 200, 60], 2);
  });

  test('edge padding takes the mean colour of the border, and the default is edge', async () => {
    // Grey border ring around a red centre (portrait 100 × 200 → 112 × 224 content).
    const raw = Buffer.alloc(100 * 200 * 3);
    for (let y = 0; y < 200; y++)
      for (let x = 0; x < 100; x++) {
        const border = x < 10 || x >= 90 || y < 10 || y >= 190;
        raw.set(border ? [128, 128, 128] : [220, 20, 20], (y * 100 + x) * 3);
      }
    const png = await sharp(raw, { raw: { width: 100, height: 200, channels: 3 } }).png().toBuffer();
    const { data } = await decodeToRgb(png);
    expectClose(pixel(data, 224, 10, 112), [128, 128, 128], 1);
    expectClose(pixel(data, 224, 213, 112), [128, 128, 128], 1);
    expectClose(pixel(data, 224, 112, 112), [220, 20, 20], 2);
    expect(resolvePreprocessOptions().padding).toBe('edge');
    expect(() => resolvePreprocessOptions({ padding: 'grey' as never })).toThrow(/padding must be edge\|white\|black/);
  });

  test('EXIF orientation is applied (orientation 6 = rotate 90° clockwise)', async () => {
    const plain = await (await redBlueRaw()).jpeg({ quality: 95 }).toBuffer();
    const tagged = await (
      await redBlueRaw()
    )
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(tagged).metadata()).orientation).toBe(6);

    // Without the tag: landscape, red on the left, padding above and below.
    const a = await decodeToRgb(plain, { padding: 'black' });
    expectClose(pixel(a.data, 224, 50, 112), RED, 30);
    expectClose(pixel(a.data, 224, 170, 112), BLUE, 30);
    expect(pixel(a.data, 224, 112, 10)).toEqual([0, 0, 0]);

    // With it: portrait 112 × 224, red on top, blue below, padding left and right.
    const b = await decodeToRgb(tagged, { padding: 'black' });
    expectClose(pixel(b.data, 224, 112, 50), RED, 30);
    expectClose(pixel(b.data, 224, 112, 170), BLUE, 30);
    expect(pixel(b.data, 224, 10, 112)).toEqual([0, 0, 0]);
    expect(pixel(b.data, 224, 213, 112)).toEqual([0, 0, 0]);
  });

  test('alpha is flattened onto white', async () => {
    // 100 × 100 fully transparent with an opaque red square in the middle.
    const png = await sharp({
      create: { width: 100, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([
        {
          input: {
            create: { width: 50, height: 50, channels: 4, background: { r: 200, g: 0, b: 0, alpha: 1 } },
          },
          top: 25,
          left: 25,
        },
      ])
      .png()
      .toBuffer();
    expect((await sharp(png).metadata()).channels).toBe(4);
    const { data } = await decodeToRgb(png);
    expect(pixel(data, 224, 5, 5)).toEqual([255, 255, 255]);
    expectClose(pixel(data, 224, 112, 112), [200, 0, 0], 2);
  });

  test('greyscale input becomes 3-channel sRGB', async () => {
    const grey = await sharp({
      create: { width: 120, height: 120, channels: 3, background: { r: 90, g: 90, b: 90 } },
    })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const { data } = await decodeToRgb(grey);
    expect(data.length).toBe(224 * 224 * 3);
    const [r, g, b] = pixel(data, 224, 112, 112);
    expect(r).toBe(g);
    expect(g).toBe(b);
    expect(Math.abs(r - 90)).toBeLessThanOrEqual(2);
  });

  test('CMYK input becomes 3-channel sRGB with roughly the right colour', async () => {
    const cmyk = await sharp({
      create: { width: 120, height: 120, channels: 3, background: { r: 20, g: 180, b: 40 } },
    })
      .toColourspace('cmyk')
      .jpeg({ quality: 95 })
      .toBuffer();
    const meta = await sharp(cmyk).metadata();
    expect(meta.space).toBe('cmyk');
    expect(meta.channels).toBe(4);
    const { data } = await decodeToRgb(cmyk);
    expect(data.length).toBe(224 * 224 * 3);
    const [r, g, b] = pixel(data, 224, 112, 112);
    expect(g).toBeGreaterThan(r + 60);
    expect(g).toBeGreaterThan(b + 60);
  });

  test('16-bit PNG is reduced to 8-bit sRGB', async () => {
    const png16 = await sharp({
      create: { width: 64, height: 64, channels: 3, background: { r: 10, g: 100, b: 250 } },
    })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe('ushort');
    const { data } = await decodeToRgb(png16);
    expectClose(pixel(data, 224, 112, 112), [10, 100, 250], 2);
  });

  test('other formats sharp reads (WebP, GIF, SVG) decode', async () => {
    const base = sharp({
      create: { width: 64, height: 64, channels: 3, background: { r: 250, g: 250, b: 0 } },
    });
    for (const input of [
      await base.clone().webp().toBuffer(),
      await base.clone().gif().toBuffer(),
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#ff0"/></svg>',
      ),
    ]) {
      expectClose(pixel((await decodeToRgb(input)).data, 224, 112, 112), [250, 250, 0], 8);
    }
  });

  describe('failures are classified', () => {
    test('zero bytes → empty', async () => {
      expect((await decodeError(Buffer.alloc(0))).reason).toBe('empty');
    });

    test('random bytes → unsupported (or corrupt)', async () => {
      const err = await decodeError(pseudoRandomBytes(4096));
      expect(['unsupported', 'corrupt']).toContain(err.reason);
      expect(err.message).toMatch(/cannot decode/);
    });

    test('truncated JPEG → corrupt', async () => {
      const err = await decodeError(await truncatedJpeg(0.5));
      expect(err.reason).toBe('corrupt');
    });

    test('PNG with a damaged header → corrupt', async () => {
      const png = Buffer.from(await solid(50, 50, [1, 2, 3]));
      png.fill(0xff, 16, 29); // IHDR width/height/depth/colour type
      expect((await decodeError(png)).reason).toBe('corrupt');
    });

    test('more pixels than limitInputPixels → too-large', async () => {
      const big = await solid(1200, 1000, [0, 0, 0]); // 1.2 MP
      expect((await decodeError(big, { limitInputPixels: 1_000_000 })).reason).toBe('too-large');
      await expect(decodeToRgb(big, { limitInputPixels: 2_000_000 })).resolves.toBeDefined();
    });

    test('more bytes than maxInputBytes → too-large', async () => {
      const png = await solid(50, 50, [1, 2, 3]);
      expect((await decodeError(png, { maxInputBytes: 10 })).reason).toBe('too-large');
    });
  });

  test('options are validated', () => {
    expect(resolvePreprocessOptions().limitInputPixels).toBe(100_000_000);
    expect(() => resolvePreprocessOptions({ width: 0 })).toThrow(RangeError);
    expect(() => resolvePreprocessOptions({ failOn: 'sometimes' as never })).toThrow(RangeError);
  });
});
