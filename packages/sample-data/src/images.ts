/** Renders article images with sharp (SVG → raster → photo noise → JPEG), a bounded number at a time. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Article } from './catalogue';
import { articleLook, type ImageSize, type PhotoNoise } from './svg';

type Sharp = typeof import('sharp');
let sharpModule: Sharp | undefined;
/** sharp is loaded on first use, so that importing this package (e.g. by the CLI) stays cheap. */
function sharp(): Sharp {
  sharpModule ??= require('sharp') as Sharp;
  return sharpModule;
}

/** H&M's layout: images/<first 3 characters of the id>/<id>.jpg. */
export function imagePath(articleId: string): string {
  return join('images', articleId.slice(0, 3), `${articleId}.jpg`);
}

/** Exposure, colour cast and sensor-like noise on 8-bit interleaved pixels (in place, deterministic). */
export function applyPhotoNoise(pixels: Uint8Array, channels: number, noise: PhotoNoise): void {
  // Per-channel exposure and cast as lookup tables; the noise is the sum of the four bytes of an inline
  // xorshift32 draw (close to normal: mean 510, sd ≈ 147.8). Uint8ClampedArray clamps and rounds.
  const lut = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++)
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = v * noise.gain + noise.cast[c]!;
  const k = noise.sigma / 147.8;
  const out = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const colours = Math.min(3, channels);
  let s = noise.seed | 0 || 0x9e3779b9;
  for (let i = 0; i < out.length; i += channels) {
    for (let c = 0; c < colours; c++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const g = (s & 255) + ((s >>> 8) & 255) + ((s >>> 16) & 255) + ((s >>> 24) & 255) - 510;
      out[i + c] = lut[c * 256 + out[i + c]!]! + g * k;
    }
  }
}

/** The JPEG of one article's product photo. */
export async function renderArticleImage(
  article: Article,
  seed: number,
  size: ImageSize,
  quality = 85,
): Promise<Buffer> {
  const look = articleLook(article, seed, size);
  const { data, info } = await sharp()(Buffer.from(look.svg), { density: 72 })
    .resize(size.width, size.height, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  applyPhotoNoise(data, info.channels, look.noise);
  return sharp()(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

export interface RenderImagesOptions {
  outDir: string;
  seed: number;
  size: ImageSize;
  quality: number;
  concurrency: number;
  onImage?: (done: number) => void;
}

/** Writes every article's image; returns the total bytes written. */
export async function renderImages(
  articles: readonly Article[],
  options: RenderImagesOptions,
): Promise<number> {
  const folders = [...new Set(articles.map((a) => a.id.slice(0, 3)))];
  for (const folder of folders) await mkdir(join(options.outDir, 'images', folder), { recursive: true });
  let next = 0;
  let done = 0;
  let bytes = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < articles.length) {
      const article = articles[next++]!;
      try {
        const jpeg = await renderArticleImage(article, options.seed, options.size, options.quality);
        await writeFile(join(options.outDir, imagePath(article.id)), jpeg);
        bytes += jpeg.length;
      } catch (err) {
        failed = true;
        throw new Error(`image of article ${article.id}: ${(err as Error).message}`, { cause: err });
      }
      done++;
      options.onImage?.(done);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, articles.length)) }, worker),
  );
  return bytes;
}
