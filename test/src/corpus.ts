import sharp from 'sharp';

export interface GeneratedImage {
  articleId: string;
  key: string;
  bytes: Buffer;
}

const SHAPES = ['shirt', 'trousers', 'dress', 'circle', 'triangle', 'stripes'] as const;
const COLOURS = ['#c0392b', '#2471a3', '#229954', '#f1c40f', '#7d3c98'];

function shapeSvg(shape: (typeof SHAPES)[number], colour: string, v: number): string {
  const dx = (v % 5) * 9 - 18;
  const dy = Math.floor(v / 5) * 11 - 11;
  const s = 1 + (v % 3) * 0.06;
  switch (shape) {
    case 'shirt':
      return `<path transform="translate(${dx},${dy}) scale(${s})" d="M120 90 L200 70 L280 90 L340 160 L300 190 L280 170 L280 450 L120 450 L120 170 L100 190 L60 160 Z" fill="${colour}"/>`;
    case 'trousers':
      return `<path transform="translate(${dx},${dy}) scale(${s})" d="M130 60 L270 60 L300 520 L220 520 L200 200 L180 520 L100 520 Z" fill="${colour}"/>`;
    case 'dress':
      return `<path transform="translate(${dx},${dy}) scale(${s})" d="M160 60 L240 60 L260 200 L340 520 L60 520 L140 200 Z" fill="${colour}"/>`;
    case 'circle':
      return `<circle cx="${200 + dx}" cy="${300 + dy}" r="${120 * s}" fill="${colour}"/>`;
    case 'triangle':
      return `<polygon transform="translate(${dx},${dy})" points="200,${80 * s} ${340 * s},480 60,480" fill="${colour}"/>`;
    case 'stripes':
      return Array.from(
        { length: 6 },
        (_, i) => `<rect x="${40 + dx}" y="${80 + i * 80 + dy}" width="${320 * s}" height="36" fill="${colour}"/>`,
      ).join('');
  }
}

/** The H&M key of an article image: `0XX/0XXXXXXXXX.jpg`. */
export function imageKey(articleId: string, ext = 'jpg'): string {
  return `${articleId.slice(0, 3)}/${articleId}.${ext}`;
}

/** Renders one image: a garment-like shape in a colour, on a light background, with small variations. */
export async function renderImage(shapeIndex: number, colourIndex: number, variation: number, format: 'jpeg' | 'png' = 'jpeg'): Promise<Buffer> {
  const shape = SHAPES[shapeIndex % SHAPES.length]!;
  const colour = COLOURS[colourIndex % COLOURS.length]!;
  const bg = 236 + (variation % 4) * 4;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="600"><rect width="400" height="600" fill="rgb(${bg},${bg},${bg - 4})"/>${shapeSvg(shape, colour, variation)}</svg>`;
  const image = sharp(Buffer.from(svg));
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 88 }).toBuffer();
}

/**
 * A corpus of `shapes × colours × variations` distinct images in the H&M layout, article ids
 * `0108775000`, `0108775001`, … (some PNG). Another `firstVariation` gives other image bytes.
 */
export async function generateCorpus(variations: number, firstVariation = 0): Promise<GeneratedImage[]> {
  const images: GeneratedImage[] = [];
  let n = 0;
  for (let shape = 0; shape < SHAPES.length; shape++) {
    for (let colour = 0; colour < COLOURS.length; colour++) {
      for (let v = firstVariation; v < firstVariation + variations; v++) {
        const articleId = String(108_775_000 + n).padStart(10, '0');
        const png = n % 10 === 3;
        images.push({
          articleId,
          key: imageKey(articleId, png ? 'png' : 'jpg'),
          bytes: await renderImage(shape, colour, v, png ? 'png' : 'jpeg'),
        });
        n += 1;
      }
    }
  }
  return images;
}
