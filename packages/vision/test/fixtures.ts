// Test images generated with sharp (SVG → PNG/JPEG); nothing binary is committed.
import sharp from 'sharp';
import { Rng, type Logger } from '@lookalike/core';
import { TFJS_NODE_PACKAGES } from '../src/tfjs-backend';

export interface GarmentOptions {
  fill: string;
  dx?: number;
  dy?: number;
  width?: number;
  height?: number;
}

const TSHIRT =
  'M120,60 L170,40 Q200,75 230,40 L280,60 L350,130 L305,175 L280,150 L280,440 L120,440 L120,150 L95,175 L50,130 Z';
const TROUSERS = 'M130,40 L270,40 L300,460 L220,460 L200,170 L180,460 L100,460 Z';

function svg(body: string, width: number, height: number, background = '#ffffff'): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect width="100%" height="100%" fill="${background}"/>${body}</svg>`,
  );
}

/** A product-photo-like T-shirt on white, optionally shifted by (dx, dy). */
export function tshirtSvg({ fill, dx = 0, dy = 0, width = 400, height = 500 }: GarmentOptions): Buffer {
  return svg(
    `<g transform="translate(${dx},${dy})"><path d="${TSHIRT}" fill="${fill}" stroke="#222" stroke-width="3"/>` +
      `<path d="M170,40 Q200,75 230,40" fill="none" stroke="#222" stroke-width="6"/></g>`,
    width,
    height,
  );
}

export function trousersSvg({ fill, dx = 0, dy = 0, width = 400, height = 500 }: GarmentOptions): Buffer {
  return svg(
    `<g transform="translate(${dx},${dy})"><path d="${TROUSERS}" fill="${fill}" stroke="#111" stroke-width="3"/></g>`,
    width,
    height,
  );
}

/** A busy black/yellow checkerboard: clearly unlike a garment photo. */
export function checkerSvg(width = 400, height = 500, cell = 25): Buffer {
  let cells = '';
  for (let y = 0; y < height; y += cell) {
    for (let x = 0; x < width; x += cell) {
      if (((x + y) / cell) % 2 === 0)
        cells += `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="#ffd700"/>`;
    }
  }
  return svg(cells, width, height, '#000000');
}

export const toPng = (input: Buffer): Promise<Buffer> => sharp(input).png().toBuffer();
export const toJpeg = (input: Buffer, quality = 90): Promise<Buffer> =>
  sharp(input).jpeg({ quality }).toBuffer();

/** A solid-colour image of the given size and format. */
export function solid(
  width: number,
  height: number,
  rgb: [number, number, number],
  format: 'png' | 'jpeg' = 'png',
): Promise<Buffer> {
  const img = sharp({
    create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } },
  });
  return (format === 'png' ? img.png() : img.jpeg({ quality: 95 })).toBuffer();
}

/** Deterministic pseudo-random bytes (core's seeded `Rng`), so "random" inputs are reproducible. */
export function pseudoRandomBytes(n: number, seed = 12345): Buffer {
  const rng = new Rng(seed);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = rng.uint32() >>> 24;
  return out;
}

/** A detailed (noisy) JPEG cut to `fraction` of its bytes. */
export async function truncatedJpeg(fraction = 0.5): Promise<Buffer> {
  const noise = pseudoRandomBytes(320 * 240 * 3, 7);
  const jpeg = await sharp(noise, { raw: { width: 320, height: 240, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  return jpeg.subarray(0, Math.floor(jpeg.length * fraction));
}

/** Pixel (x, y) of an 8-bit RGB HWC image of width `width`. */
export function pixel(data: Uint8Array, width: number, x: number, y: number): [number, number, number] {
  const i = (y * width + x) * 3;
  return [data[i] as number, data[i + 1] as number, data[i + 2] as number];
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

export interface LogRecord {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}

/** A minimal pino-shaped logger that records calls, for asserting on what was logged. */
export function recordingLogger(records: LogRecord[] = []): Logger & { records: LogRecord[] } {
  const make = (bindings: Record<string, unknown>): unknown => {
    const log = (level: string) => (obj: unknown, msg?: string) => {
      if (typeof obj === 'string') records.push({ level, obj: { ...bindings }, msg: obj });
      else records.push({ level, obj: { ...bindings, ...(obj as Record<string, unknown>) }, msg: msg ?? '' });
    };
    return {
      records,
      level: 'debug',
      trace: log('trace'),
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      fatal: log('fatal'),
      child: (more: Record<string, unknown>) => make({ ...bindings, ...more }),
    };
  };
  return make({}) as Logger & { records: LogRecord[] };
}

/** The real module loader, for tests that replace one module and load the rest. */
export const realRequire = (id: string): unknown => require(id) as unknown;

/** The error `require` throws for a package that is not installed. */
export const notInstalled = (id: string): Error =>
  Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });

/** A module loader for this machine as CI sees it, whatever is installed here: no tfjs-node bindings. */
export function withoutTfjsNode(id: string): unknown {
  if ((TFJS_NODE_PACKAGES as readonly string[]).includes(id)) throw notInstalled(id);
  return realRequire(id);
}
