// A seeded synthetic image corpus in the H&M layout: images/0XX/0XXXXXXXXX.jpg, ~600x900 JPEGs
// with a textured background and a few shapes in varied colours (so that decoding costs about
// what a product photo costs: ~50-150 KB per file).
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from './resolve.mjs';
import { articleId, mulberry32 } from './rng.mjs';

const sharp = load('sharp');

export function imageKey(id) {
  return `images/${id.slice(0, 3)}/${id}.jpg`;
}

function colour(rand) {
  const c = () => Math.floor(rand() * 256);
  return `rgb(${c()},${c()},${c()})`;
}

function shapesSvg(rand, width, height) {
  const parts = [];
  const count = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < count; i++) {
    const fill = colour(rand);
    const cx = Math.floor(rand() * width);
    const cy = Math.floor(rand() * height);
    const size = 80 + Math.floor(rand() * 320);
    const kind = Math.floor(rand() * 4);
    if (kind === 0)
      parts.push(
        `<rect x="${cx - size / 2}" y="${cy - size / 2}" width="${size}" height="${size * (0.5 + rand())}" fill="${fill}" transform="rotate(${Math.floor(rand() * 90)} ${cx} ${cy})"/>`,
      );
    else if (kind === 1) parts.push(`<circle cx="${cx}" cy="${cy}" r="${size / 2}" fill="${fill}"/>`);
    else if (kind === 2)
      parts.push(`<ellipse cx="${cx}" cy="${cy}" rx="${size / 2}" ry="${size / 3}" fill="${fill}"/>`);
    else {
      const pts = Array.from(
        { length: 3 + Math.floor(rand() * 4) },
        () => `${cx + (rand() - 0.5) * size},${cy + (rand() - 0.5) * size}`,
      ).join(' ');
      parts.push(`<polygon points="${pts}" fill="${fill}"/>`);
    }
  }
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`,
  );
}

const TEXTURES = 8;
const textures = new Map();

/** Gaussian-noise textures (raw RGB), made once per size and shared by all images. */
async function texture(index, width, height) {
  const key = `${index}:${width}x${height}`;
  let t = textures.get(key);
  if (!t) {
    t = sharp({
      create: { width, height, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 15 + index * 5 } },
    })
      .raw()
      .toBuffer();
    textures.set(key, t);
  }
  return t;
}

/** One JPEG: a gaussian texture tinted to a random colour, shapes on top. */
export async function renderImage(seed, width = 600, height = 900) {
  const rand = mulberry32(seed);
  const tex = await texture(Math.floor(rand() * TEXTURES), width, height);
  // Tint the texture into a random background colour: out = a * noise + b per channel.
  const a = [0, 0, 0].map(() => 0.15 + rand() * 0.5);
  const b = a.map((ai) => rand() * (255 - 255 * ai));
  return sharp(tex, { raw: { width, height, channels: 3 } })
    .linear(a, b)
    .composite([{ input: shapesSvg(rand, width, height), blend: 'over' }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * Writes `count` images (article ids from `firstId`) under `dir` unless a previous run left the same
 * corpus there (a marker records seed and count). Returns [{ articleId, key, path }].
 */
export async function ensureCorpus(dir, { count, seed, firstId = 0, width = 600, height = 900 }) {
  const marker = join(dir, `.corpus-${seed}-${firstId}-${count}-${width}x${height}`);
  const items = Array.from({ length: count }, (_, i) => {
    const id = articleId(firstId + i);
    return { articleId: id, key: imageKey(id), path: join(dir, imageKey(id)) };
  });
  if (existsSync(marker)) return { items, generated: false };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const item = items[i];
      await mkdir(join(dir, 'images', item.articleId.slice(0, 3)), { recursive: true });
      await writeFile(item.path, await renderImage(seed * 1_000_003 + firstId + i, width, height));
    }
  };
  await Promise.all([worker(), worker()]);
  await writeFile(marker, `${new Date().toISOString()}\n`);
  return { items, generated: true };
}

export async function totalBytes(items) {
  let total = 0;
  for (const item of items) total += (await readFile(item.path)).length;
  return total;
}
