import { PADDING_MODES, type PaddingMode } from '@lookalike/core';
import sharp from 'sharp';
import { errorMessage, ImageDecodeError, type ImageDecodeReason } from './errors';

export interface PreprocessOptions {
  /** Output width and height in pixels (default 224 × 224: the model input). */
  width: number;
  height: number;
  /** Refuse images with more pixels than this (`too-large`); checked from the header before decoding. Default 100 MP. */
  limitInputPixels: number;
  /** Refuse inputs larger than this many bytes (`too-large`). Default 64 MiB. */
  maxInputBytes: number;
  /**
   * sharp/libvips sensitivity to bad pixel data. `error` (default) rejects truncated and corrupt images but
   * tolerates mere warnings (common and harmless in web JPEGs); `warning` is stricter, `truncated` laxer.
   */
  failOn: 'none' | 'truncated' | 'error' | 'warning';
  /**
   * Let libjpeg/libwebp shrink while decoding. Faster on large JPEGs but a further step away from TF's
   * `resize_with_pad`; off by default.
   */
  fastShrinkOnLoad: boolean;
  /**
   * What fills the sides when the image is letterboxed to the model's square input: `edge` (default) the mean
   * colour of the image's own border, so a product photo on white gets white sides and one on grey gets grey;
   * `white`; or `black`, TF's `resize_with_pad`. Measured on 2,000 real H&M photos (docs/benchmarks.md):
   * black-padded sides are an artificial frame that the model's features pick up.
   */
  padding: PaddingMode;
}

export { PADDING_MODES, type PaddingMode };

export const DEFAULT_PREPROCESS_OPTIONS: Readonly<PreprocessOptions> = {
  width: 224,
  height: 224,
  limitInputPixels: 100_000_000,
  maxInputBytes: 64 * 1024 * 1024,
  failOn: 'error',
  fastShrinkOnLoad: false,
  padding: 'edge',
};

/** Identifies the preprocessing for cache keys: change it whenever the output of `preprocessImage` changes. */
export const PREPROCESS_VERSION = 'resize_with_pad-linear-v1';

/** The preprocessing's part of an embedder's model id (black padding keeps the id it had before padding modes). */
export function preprocessVersion(options: Pick<PreprocessOptions, 'padding'>): string {
  return options.padding === 'black' ? PREPROCESS_VERSION : `${PREPROCESS_VERSION}-pad-${options.padding}`;
}

/** An image as 8-bit sRGB, HWC, exactly `width × height × 3` bytes. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export function resolvePreprocessOptions(options: Partial<PreprocessOptions> = {}): PreprocessOptions {
  const merged: PreprocessOptions = { ...DEFAULT_PREPROCESS_OPTIONS };
  for (const [key, value] of Object.entries(options) as [keyof PreprocessOptions, unknown][]) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  for (const key of ['width', 'height', 'limitInputPixels', 'maxInputBytes'] as const) {
    const v = merged[key];
    if (!Number.isInteger(v) || v <= 0)
      throw new RangeError(`preprocess option ${key} must be a positive integer, got ${String(v)}`);
  }
  if (!(PADDING_MODES as readonly string[]).includes(merged.padding)) {
    throw new RangeError(
      `preprocess option padding must be ${PADDING_MODES.join('|')}, got ${String(merged.padding)}`,
    );
  }
  if (!['none', 'truncated', 'error', 'warning'].includes(merged.failOn)) {
    throw new RangeError(
      `preprocess option failOn must be none|truncated|error|warning, got ${String(merged.failOn)}`,
    );
  }
  return merged;
}

/** Maps a sharp/libvips failure to a reason callers can count and report. */
export function classifyDecodeError(err: unknown): ImageDecodeReason {
  const message = errorMessage(err);
  if (/exceeds pixel limit/i.test(message)) return 'too-large';
  if (/unsupported image format/i.test(message)) return 'unsupported';
  if (/unsupported (codec|compression|feature|color ?space|colour ?space|bit ?depth)/i.test(message))
    return 'unsupported';
  return 'corrupt';
}

/**
 * Decodes an image and lays it out like TF's `tf.image.resize_with_pad(img, height, width)`: EXIF orientation
 * applied, alpha flattened onto white, CMYK/greyscale converted to sRGB, scaled to fit (bilinear) and centred
 * on black padding. Throws `ImageDecodeError` for an input that is empty, corrupt, unsupported or too large.
 */
export async function decodeToRgb(
  input: Uint8Array,
  options: Partial<PreprocessOptions> = {},
): Promise<RgbImage> {
  const opts = resolvePreprocessOptions(options);
  if (input.byteLength === 0) throw new ImageDecodeError('empty', 'image is empty (0 bytes)');
  if (input.byteLength > opts.maxInputBytes) {
    throw new ImageDecodeError(
      'too-large',
      `image is ${input.byteLength} bytes, over the ${opts.maxInputBytes}-byte limit`,
    );
  }
  let result: { data: Buffer; info: sharp.OutputInfo };
  try {
    const image = sharp(input, {
      failOn: opts.failOn,
      limitInputPixels: opts.limitInputPixels,
      sequentialRead: true,
    })
      .rotate() // EXIF orientation
      .flatten({ background: { r: 255, g: 255, b: 255 } });
    const fixed = opts.padding === 'black' ? 0 : opts.padding === 'white' ? 255 : undefined;
    result = await image
      .resize(opts.width, opts.height, {
        // `edge`: resize inside the box here, then letterbox with the border colour below.
        fit: fixed === undefined ? 'inside' : 'contain',
        kernel: 'linear',
        position: 'centre',
        background: { r: fixed ?? 0, g: fixed ?? 0, b: fixed ?? 0, alpha: 1 },
        fastShrinkOnLoad: opts.fastShrinkOnLoad,
      })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    const reason = classifyDecodeError(err);
    throw new ImageDecodeError(reason, `cannot decode image (${reason}): ${errorMessage(err)}`, {
      cause: err,
    });
  }
  let { data, info } = result;
  if (
    opts.padding === 'edge' &&
    info.channels === 3 &&
    (info.width !== opts.width || info.height !== opts.height)
  ) {
    data = letterboxWithBorderColour(data, info.width, info.height, opts.width, opts.height);
    info = { ...info, width: opts.width, height: opts.height };
  }
  if (
    info.width !== opts.width ||
    info.height !== opts.height ||
    info.channels !== 3 ||
    data.byteLength !== opts.width * opts.height * 3
  ) {
    throw new ImageDecodeError(
      'unsupported',
      `unexpected decoded layout ${info.width}x${info.height}x${info.channels} (${data.byteLength} bytes), expected ${opts.width}x${opts.height}x3`,
    );
  }
  return { data, width: info.width, height: info.height };
}

/** Mean colour of the outermost rows and columns of an RGB image. */
export function borderColour(rgb: Uint8Array, width: number, height: number): [number, number, number] {
  const sum = [0, 0, 0];
  let count = 0;
  const add = (x: number, y: number) => {
    const p = (y * width + x) * 3;
    sum[0]! += rgb[p]!;
    sum[1]! += rgb[p + 1]!;
    sum[2]! += rgb[p + 2]!;
    count += 1;
  };
  for (let x = 0; x < width; x++) {
    add(x, 0);
    if (height > 1) add(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    add(0, y);
    if (width > 1) add(width - 1, y);
  }
  return [0, 1, 2].map((c) => Math.round(sum[c]! / count)) as [number, number, number];
}

/** Centres a `width × height` RGB image in a `boxWidth × boxHeight` one filled with its border colour. */
function letterboxWithBorderColour(
  rgb: Buffer,
  width: number,
  height: number,
  boxWidth: number,
  boxHeight: number,
): Buffer {
  const [r, g, b] = borderColour(rgb, width, height);
  const out = Buffer.alloc(boxWidth * boxHeight * 3);
  for (let i = 0; i < out.length; i += 3) {
    out[i] = r;
    out[i + 1] = g;
    out[i + 2] = b;
  }
  const left = Math.floor((boxWidth - width) / 2);
  const top = Math.floor((boxHeight - height) / 2);
  for (let y = 0; y < height; y++) {
    rgb.copy(out, ((top + y) * boxWidth + left) * 3, y * width * 3, (y + 1) * width * 3);
  }
  return out;
}

/** Writes 8-bit RGB as float32 in [0, 1] into `out` at `offset` (HWC). */
export function rgbToFloat(
  rgb: Uint8Array,
  out: Float32Array = new Float32Array(rgb.length),
  offset = 0,
): Float32Array {
  for (let i = 0; i < rgb.length; i++) out[offset + i] = (rgb[i] as number) / 255;
  return out;
}

/** `decodeToRgb` then float32 in [0, 1], HWC, length `height × width × 3`: one model input. */
export async function preprocessImage(
  input: Uint8Array,
  options: Partial<PreprocessOptions> = {},
): Promise<Float32Array> {
  return rgbToFloat((await decodeToRgb(input, options)).data);
}
