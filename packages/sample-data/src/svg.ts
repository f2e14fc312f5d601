/**
 * Article images as SVG: what an article looks like follows its attributes. The silhouette comes from the product
 * type (with per-product proportions: sleeve and hem length, leg width, …), the fill from the colour group, the
 * pattern from the graphical appearance (its geometry and accent colour are per product, so the colourways of one
 * product share a print), and each photo varies in framing, background tint and lighting.
 *
 * Drawing space: a 200 × 300 viewBox (H&M's 2:3 portrait), scaled to the requested size. No text (fonts differ
 * between machines; the output must be byte-identical everywhere).
 */
import type { Article } from './catalogue';
import { hash32, streamFor, type Rng } from './random';
import { APPEARANCES, COLOUR_GROUPS, PRODUCT_TYPES, type PatternKind, type Silhouette } from './vocab';

type RGB = [number, number, number];

const f = (x: number): string => String(Math.round(x * 100) / 100);
const clamp255 = (x: number) => Math.max(0, Math.min(255, Math.round(x)));
const hex = (c: RGB): string => `#${c.map((v) => clamp255(v).toString(16).padStart(2, '0')).join('')}`;
const luma = (c: RGB) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
const mix = (a: RGB, b: RGB, t: number): RGB => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];
const shade = (c: RGB, k: number): RGB => (k < 0 ? mix(c, [0, 0, 0], -k) : mix(c, [255, 255, 255], k));
const dist = (a: RGB, b: RGB) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** A polygon symmetric about x = 100 from the right half's points (x offsets from the centre line). */
function sym(points: readonly (readonly [number, number])[]): string {
  const right = points.map(([x, y]) => `${f(100 + x)},${f(y)}`);
  const left = [...points]
    .reverse()
    .filter(([x]) => x !== 0)
    .map(([x, y]) => `${f(100 - x)},${f(y)}`);
  return `M${[...right, ...left].join(' L')} Z`;
}

function poly(points: readonly (readonly [number, number])[]): string {
  return `M${points.map(([x, y]) => `${f(x)},${f(y)}`).join(' L')} Z`;
}

function mirror(points: readonly (readonly [number, number])[]): [number, number][] {
  return points.map(([x, y]) => [200 - x, y]);
}

/** A garment: its outline (filled, patterned, lit) and details drawn over it. */
interface Shape {
  outline: string;
  /** Seams, collars, buttons: drawn in a darker (or lighter) shade of the garment colour. */
  details: string[];
  /** Parts in a fixed colour (soles, straps), drawn after the pattern. */
  extras?: { d: string; fill: 'sole' | 'metal' | 'dark' }[];
  /** Where a front print goes. */
  chest: [number, number];
}

interface Proportions {
  width: number;
  length: number;
  sleeve: number;
  neck: number;
  flare: number;
  style: number;
}

function proportions(rng: Rng): Proportions {
  return {
    width: rng.range(0.88, 1.12),
    length: rng.range(0.88, 1.12),
    sleeve: rng.float(),
    neck: rng.float(),
    flare: rng.float(),
    style: rng.int(3),
  };
}

const line = (x1: number, y1: number, x2: number, y2: number, w = 1.2) =>
  `<path d="M${f(x1)},${f(y1)} L${f(x2)},${f(y2)}" stroke-width="${w}" fill="none"/>`;
const dot = (x: number, y: number, r: number) =>
  `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r)}" stroke="none" fill-opacity="0.9"/>`;

function top(
  p: Proportions,
  sleeves: 'short' | 'long' | 'none',
  y0 = 62,
): { pts: [number, number][]; hemY: number; bw: number } {
  const w = p.width;
  const nd = 8 + p.neck * 12;
  const nw = 14 + p.neck * 5;
  const sw = 40 * w;
  const bw = 37 * w;
  const len = (sleeves === 'long' ? 140 : 150) * p.length;
  const hemY = y0 + len;
  const flare = 2 + p.flare * 6;
  const pts: [number, number][] = [
    [0, y0 + nd],
    [nw, y0],
  ];
  if (sleeves === 'none') {
    // Narrow straps, then a deep armhole.
    const strap = 5 + p.sleeve * 5;
    pts.push([nw + strap, y0], [nw + strap + 3, y0 + 26], [bw - 6, y0 + 44], [bw, y0 + 54]);
  } else if (sleeves === 'short') {
    const sl = 26 + p.sleeve * 16;
    const ox = sw + 0.72 * sl;
    const oy = y0 + 8 + 0.7 * sl;
    pts.push([sw, y0 + 7], [ox, oy], [ox - 15, oy + 11], [bw, y0 + 50]);
  } else {
    // Flat-lay: the sleeves spread a little away from the body.
    const cuffY = y0 + 112 + p.sleeve * 22;
    const cw = 15 + p.sleeve * 5;
    const spread = 14 + p.flare * 16;
    pts.push([sw, y0 + 7], [sw + spread + 10, cuffY], [sw + spread + 10 - cw, cuffY + 4], [bw + 1, y0 + 50]);
  }
  pts.push([bw + flare, hemY], [0, hemY]);
  return { pts, hemY, bw: bw + flare };
}

function shapeFor(s: Silhouette, typeNo: number, p: Proportions): Shape {
  const details: string[] = [];
  switch (s) {
    case 'tshirt': {
      const t = top(p, typeNo === 254 && p.style === 2 ? 'long' : 'short');
      details.push(line(100 - t.bw + 3, t.hemY - 5, 100 + t.bw - 3, t.hemY - 5, 0.8));
      const nd = 8 + p.neck * 12;
      details.push(
        `<path d="M${f(100 - 14 - p.neck * 5)},62 Q100,${f(62 + nd * 2.2)} ${f(100 + 14 + p.neck * 5)},62" stroke-width="1.6" fill="none"/>`,
      );
      return { outline: sym(t.pts), details, chest: [100, 122] };
    }
    case 'vest': {
      const t = top(p, 'none', 58);
      details.push(line(100 - t.bw + 3, t.hemY - 4, 100 + t.bw - 3, t.hemY - 4, 0.8));
      return { outline: sym([[0, 58 + 22 + p.neck * 12], ...t.pts.slice(1)]), details, chest: [100, 128] };
    }
    case 'longsleeve':
    case 'cardigan':
    case 'hoodie':
    case 'shirt': {
      const t = top(p, s === 'shirt' && typeNo === 258 && p.style === 0 ? 'short' : 'long');
      let outline = sym(t.pts);
      const hem = t.hemY;
      if (s === 'longsleeve' || s === 'hoodie' || s === 'cardigan') {
        details.push(line(100 - t.bw + 2, hem - 8, 100 + t.bw - 2, hem - 8, 1));
        for (let x = -t.bw + 6; x < t.bw - 2; x += 5)
          details.push(line(100 + x, hem - 7, 100 + x, hem - 1, 0.5));
      }
      if (s === 'hoodie') {
        outline = `M70,66 Q68,28 100,24 Q132,28 130,66 Z ${outline}`;
        details.push(`<path d="M78,64 Q80,40 100,38 Q120,40 122,64" stroke-width="1.4" fill="none"/>`);
        details.push(line(94, 72, 93, 104, 1.2), line(106, 72, 107, 104, 1.2));
        details.push(
          `<path d="M74,${f(hem - 52)} L126,${f(hem - 52)} L134,${f(hem - 14)} L66,${f(hem - 14)} Z" stroke-width="1.2" fill="none"/>`,
        );
      }
      if (s === 'cardigan') {
        details.push(line(100, 62 + 26 + p.neck * 10, 100, hem, 1.6));
        for (let y = 100; y < hem - 10; y += 22) details.push(dot(104, y, 2.2));
        details.push(`<path d="M86,62 L100,${f(88 + p.neck * 10)} L114,62" stroke-width="1.6" fill="none"/>`);
      }
      if (s === 'shirt') {
        details.push(line(100, 74, 100, hem, 1.2));
        for (let y = 86; y < hem - 10; y += 20) details.push(dot(103, y, 1.7));
        if (typeNo === 259 || p.style > 0) {
          details.push(
            `<path d="M84,60 L98,80 L90,84 L80,66 Z M116,60 L102,80 L110,84 L120,66 Z" stroke-width="1.2" fill-opacity="0.25"/>`,
          );
        }
        if (typeNo === 259)
          details.push(
            `<path d="M110,96 L126,96 L126,114 L118,118 L110,114 Z" stroke-width="1" fill="none"/>`,
          );
      }
      if (s === 'longsleeve' && p.style === 1)
        details.push(
          `<path d="M80,62 Q100,52 120,62 L118,70 Q100,62 82,70 Z" stroke-width="1" fill-opacity="0.2"/>`,
        );
      return { outline, details, chest: [100, 120] };
    }
    case 'jacket':
    case 'coat': {
      const coat = s === 'coat';
      const y0 = 60;
      const w = p.width * 1.06;
      const len = (coat ? 215 : 128 + p.length * 20) * (coat ? p.length : 1);
      const cuff = y0 + 122 + p.sleeve * 22;
      const hemW = (coat ? 44 + p.flare * 10 : 40) * w;
      const pts: [number, number][] = [
        [0, y0 + 30],
        [17, y0 - 2],
        [44 * w, y0 + 8],
        [44 * w + 20, cuff],
        [44 * w + 3, cuff + 3],
        [40 * w, y0 + 56],
        [hemW, y0 + len],
        [0, y0 + len],
      ];
      details.push(line(100, y0 + 30, 100, y0 + len, 1.6));
      if (typeNo === 267 || p.style === 0) {
        details.push(
          `<path d="M83,58 L100,${f(y0 + 62)} L117,58 M83,58 L92,84 L86,86 L100,${f(y0 + 62)} M117,58 L108,84 L114,86 L100,${f(y0 + 62)}" stroke-width="1.3" fill="none"/>`,
        );
        details.push(dot(104, y0 + 80, 2.4), dot(104, y0 + 100, 2.4));
      } else {
        details.push(
          `<path d="M82,56 Q100,46 118,56 L116,66 Q100,58 84,66 Z" stroke-width="1.2" fill-opacity="0.25"/>`,
        );
        for (let y = y0 + 40; y < y0 + len - 6; y += 6) details.push(line(98, y, 102, y, 0.6));
      }
      details.push(
        line(68, y0 + len * 0.62, 84, y0 + len * 0.62, 1.4),
        line(116, y0 + len * 0.62, 132, y0 + len * 0.62, 1.4),
      );
      if (coat && p.style === 2)
        details.push(
          `<rect x="${f(100 - 42 * w)}" y="${f(y0 + 88)}" width="${f(84 * w)}" height="7" stroke-width="1" fill-opacity="0.35"/>`,
        );
      return { outline: sym(pts), details, chest: [100, 110] };
    }
    case 'dress': {
      const y0 = 56;
      const waist = y0 + 70 + p.length * 10;
      const hem = y0 + (160 + p.length * 60);
      const hw = (30 + p.flare * 40) * p.width;
      const pts: [number, number][] = [
        [0, y0 + 14 + p.neck * 14],
        [15, y0],
      ];
      if (p.style === 0) pts.push([21, y0], [32 * p.width, y0 + 40]);
      else if (p.style === 1)
        pts.push(
          [36 * p.width, y0 + 6],
          [48 * p.width, y0 + 28],
          [40 * p.width, y0 + 36],
          [31 * p.width, y0 + 42],
        );
      else
        pts.push(
          [38 * p.width, y0 + 6],
          [54 * p.width, y0 + 118],
          [42 * p.width, y0 + 120],
          [31 * p.width, y0 + 44],
        );
      pts.push([24 * p.width, waist], [hw, hem], [0, hem]);
      details.push(line(100 - 24 * p.width, waist, 100 + 24 * p.width, waist, 1.2));
      for (let k = 1; k <= 3; k++)
        details.push(line(100 + (k - 2) * 12, waist + 6, 100 + (k - 2) * hw * 0.6, hem - 6, 0.5));
      return { outline: sym(pts), details, chest: [100, y0 + 45] };
    }
    case 'skirt': {
      const y0 = 78;
      const hem = y0 + 80 + p.length * 90;
      const ww = 32 * p.width;
      const hw = ww + 8 + p.flare * 34;
      details.push(line(100 - ww, y0 + 12, 100 + ww, y0 + 12, 1.4));
      if (p.style === 1)
        for (let x = -hw + 8; x < hw - 4; x += 9)
          details.push(line(100 + x * (ww / hw), y0 + 13, 100 + x, hem - 1, 0.6));
      return {
        outline: sym([
          [0, y0],
          [ww, y0],
          [ww + 1, y0 + 12],
          [hw, hem],
          [0, hem],
        ]),
        details,
        chest: [100, y0 + 40],
      };
    }
    case 'trousers':
    case 'leggings':
    case 'tights': {
      const narrow = s !== 'trousers';
      const y0 = s === 'tights' ? 30 : 40;
      const ww = (narrow ? 31 : 35) * p.width;
      const hem = s === 'tights' ? 262 : 272 - (1 - p.length) * 40;
      const outer = narrow ? 22 + p.flare * 3 : [30, 37, 47][p.style]!;
      const inner = narrow ? 7 : [9, 8, 4][p.style]!;
      const pts: [number, number][] = [
        [0, y0],
        [ww, y0],
        [ww + 5, y0 + 52],
        [outer, hem],
        [inner, hem],
        [0, y0 + 80],
      ];
      if (s === 'tights')
        pts.splice(4, 0, [outer + 6, hem + 6], [outer - 4, hem + 18], [inner - 2, hem + 16]);
      details.push(line(100 - ww, y0 + 9, 100 + ww, y0 + 9, 1.3));
      if (s === 'trousers') {
        details.push(
          `<path d="M100,${f(y0 + 9)} L100,${f(y0 + 48)} Q100,${f(y0 + 56)} 106,${f(y0 + 56)}" stroke-width="1.2" fill="none"/>`,
        );
        details.push(
          `<path d="M${f(100 + ww - 12)},${f(y0 + 10)} Q${f(100 + ww - 8)},${f(y0 + 26)} ${f(100 + ww + 1)},${f(y0 + 30)} M${f(100 - ww + 12)},${f(y0 + 10)} Q${f(100 - ww + 8)},${f(y0 + 26)} ${f(100 - ww - 1)},${f(y0 + 30)}" stroke-width="1" fill="none"/>`,
        );
      }
      return { outline: sym(pts), details, chest: [100 + ww * 0.5, y0 + 40] };
    }
    case 'shorts': {
      const y0 = 84;
      const ww = 35 * p.width;
      const hem = y0 + 70 + p.length * 30;
      const pts: [number, number][] = [
        [0, y0],
        [ww, y0],
        [ww + 6, y0 + 30],
        [ww + 10 + p.flare * 6, hem],
        [6, hem],
        [0, y0 + 50],
      ];
      details.push(line(100 - ww, y0 + 9, 100 + ww, y0 + 9, 1.3), line(100, y0 + 9, 100, y0 + 42, 1.1));
      if (p.style === 2)
        details.push(
          line(100 + 7, hem - 6, 100 + ww + 14, hem - 6, 1),
          line(100 - 7, hem - 6, 100 - ww - 14, hem - 6, 1),
        );
      return { outline: sym(pts), details, chest: [100 + ww * 0.5, y0 + 40] };
    }
    case 'swimsuit': {
      const pts: [number, number][] = [
        [0, 96 + p.neck * 14],
        [14, 60],
        [22, 60],
        [34 * p.width, 104],
        [28 * p.width, 150],
        [36 * p.width, 180],
        [14, 208 - p.flare * 10],
        [0, 212],
      ];
      return { outline: sym(pts), details, chest: [100, 130] };
    }
    case 'bikini': {
      const cup: [number, number][] = [
        [102, 150],
        [118, 112],
        [140, 150],
      ];
      details.push(
        `<path d="M60,150 L40,152 M140,150 L160,152 M82,112 L96,62 M118,112 L104,62" stroke-width="1.6" fill="none"/>`,
      );
      return {
        outline: `${poly(cup)} ${poly(mirror(cup))} ${poly([
          [98, 148],
          [102, 148],
          [102, 152],
          [98, 152],
        ])}`,
        details,
        chest: [100, 140],
      };
    }
    case 'swimbottom':
    case 'briefs': {
      const y0 = 120;
      const ww = 46 * p.width;
      const pts: [number, number][] = [
        [0, y0],
        [ww, y0],
        [ww - 2, y0 + 18 + p.flare * 12],
        [12, y0 + 78],
        [0, y0 + 82],
      ];
      if (s === 'briefs') details.push(line(100 - ww, y0 + 6, 100 + ww, y0 + 6, 1.8));
      return { outline: sym(pts), details, chest: [100, y0 + 30] };
    }
    case 'bra': {
      const cupR = 22 + p.width * 4;
      const outline = `M100,156 L${f(100 - 2 * cupR - 6)},156 L${f(100 - 2 * cupR - 6)},${f(156 - 12)} A${f(cupR)},${f(cupR + 4)} 0 0 1 100,144 A${f(cupR)},${f(cupR + 4)} 0 0 1 ${f(100 + 2 * cupR + 6)},144 L${f(100 + 2 * cupR + 6)},156 Z`;
      details.push(line(100 - 2 * cupR - 6, 148, 100 + 2 * cupR + 6, 148, 1));
      details.push(
        `<path d="M${f(100 - cupR - 6)},${f(144 - cupR)} L${f(100 - cupR - 2)},80 M${f(100 + cupR + 6)},${f(144 - cupR)} L${f(100 + cupR + 2)},80" stroke-width="2.2" fill="none"/>`,
      );
      return { outline, details, chest: [100, 130] };
    }
    case 'socks': {
      const sock = (x: number): [number, number][] => [
        [x, 60],
        [x + 28, 60],
        [x + 28, 178],
        [x + 54, 196],
        [x + 54, 222],
        [x + 10, 222],
        [x, 200],
      ];
      details.push(line(46, 70, 74, 70, 1), line(106, 80, 134, 80, 1));
      const right = sock(96).map(([x, y]) => [x + 10, y + 10] as [number, number]);
      return { outline: `${poly(sock(36))} ${poly(right)}`, details, chest: [60, 110] };
    }
    case 'bag': {
      const w = 46 * p.width;
      const top = 130 - p.length * 16;
      const outline = `M${f(100 - w)},${f(top)} L${f(100 + w)},${f(top)} L${f(100 + w + 6)},228 Q${f(100 + w + 6)},236 ${f(100 + w - 2)},236 L${f(100 - w + 2)},236 Q${f(100 - w - 6)},236 ${f(100 - w - 6)},228 Z`;
      details.push(
        `<path d="M${f(100 - w * 0.55)},${f(top)} Q${f(100 - w * 0.5)},${f(top - 62 - p.style * 10)} 100,${f(top - 62 - p.style * 10)} Q${f(100 + w * 0.5)},${f(top - 62 - p.style * 10)} ${f(100 + w * 0.55)},${f(top)}" stroke-width="5" fill="none"/>`,
      );
      details.push(line(100 - w + 4, top + 14, 100 + w - 4, top + 14, 0.9));
      return {
        outline,
        details,
        extras: [{ d: `M96,${f(top + 10)} h8 v8 h-8 Z`, fill: 'metal' }],
        chest: [100, 190],
      };
    }
    case 'sneaker':
    case 'boot':
    case 'sandal': {
      const shoe =
        s === 'sneaker'
          ? 'M36,190 Q34,160 56,158 L92,150 Q110,146 118,160 L150,176 Q168,182 166,200 L36,200 Z'
          : s === 'boot'
            ? `M${f(52 - p.flare * 6)},${f(70 + p.length * 40)} L96,${f(70 + p.length * 40)} L98,160 L148,178 Q166,184 164,200 L44,200 Q46,160 ${f(52 - p.flare * 6)},${f(70 + p.length * 40)} Z`
            : 'M50,178 Q74,142 100,178 L90,178 Q74,158 60,178 Z M102,178 Q128,146 154,178 L144,178 Q128,162 112,178 Z M38,176 L164,176 L164,184 L38,184 Z';
      const sole =
        s === 'sandal'
          ? 'M34,184 L166,182 Q170,192 162,196 L36,196 Q30,192 34,184 Z'
          : 'M32,200 L168,200 Q172,212 162,214 L36,214 Q28,212 32,200 Z';
      if (s === 'sneaker')
        for (let x = 70; x < 112; x += 9)
          details.push(line(x, 160 - (x - 70) * 0.1, x + 6, 168 - (x - 70) * 0.1, 1.4));
      if (s === 'boot') details.push(line(90, 80 + p.length * 40, 90, 150, 1.2));
      return { outline: shoe, details, extras: [{ d: sole, fill: 'sole' }], chest: [100, 180] };
    }
    case 'hat': {
      if (p.style === 1) {
        details.push(line(60, 160, 140, 160, 1));
        return {
          outline: 'M58,162 Q58,104 100,102 Q142,104 142,162 Z M120,156 L178,164 Q176,176 150,174 L118,168 Z',
          details,
          chest: [100, 135],
        };
      }
      const top = 78 + (1 - p.length) * 20;
      details.push(line(56, 160, 144, 160, 1.2));
      for (let x = 60; x < 142; x += 6) details.push(line(x, 164, x, 190, 0.5));
      const pom = p.style === 2 ? `M100,${f(top - 22)} m-14,0 a14,14 0 1,0 28,0 a14,14 0 1,0 -28,0 ` : '';
      return {
        outline: `${pom}M56,192 L56,160 Q56,${f(top)} 100,${f(top)} Q144,${f(top)} 144,160 L144,192 Z`,
        details,
        chest: [100, 130],
      };
    }
    case 'scarf': {
      const w = 26 + p.width * 12;
      const outline = `M${f(100 - w)},40 L${f(100 + w)},40 L${f(100 + w + 6)},250 L${f(100 - w + 6)},250 Z M${f(100 + w - 4)},60 L${f(100 + w + 34)},120 L${f(100 + w + 20)},132 L${f(100 + w - 10)},84 Z`;
      for (let x = -w + 8; x < w + 6; x += 5) details.push(line(100 + x, 250, 100 + x, 262, 1.1));
      details.push(line(100 - w + 2, 90, 100 + w - 2, 100, 0.8));
      return { outline, details, chest: [100, 140] };
    }
  }
}

/** Accent colours for stripes, dots and prints (per product), kept away from the article's own colour. */
const ACCENTS: RGB[] = [
  [245, 245, 242],
  [24, 24, 26],
  [30, 42, 82],
  [200, 30, 42],
  [242, 192, 202],
  [194, 168, 130],
  [236, 200, 36],
  [58, 150, 72],
];

function accentFor(rng: Rng, base: RGB): RGB {
  const a = ACCENTS[rng.weighted([5, 3, 2, 1.2, 1.2, 1, 0.8, 0.8])]!;
  if (dist(a, base) >= 90) return a;
  return luma(base) < 128 ? [245, 245, 242] : [26, 26, 30];
}

interface PatternOut {
  defs: string;
  /** Drawn over the base fill, clipped to the garment. */
  overlay: string;
  /** Garment fill opacity (lace, transparent). */
  opacity: number;
}

function patternFor(kind: PatternKind, pr: Rng, base: RGB, accent: RGB, chest: [number, number]): PatternOut {
  const A = hex(accent);
  const fill = (id: string) => `<rect x="-50" y="-50" width="300" height="400" fill="url(#${id})"/>`;
  switch (kind) {
    case 'solid':
      return { defs: '', overlay: '', opacity: 1 };
    case 'stripe': {
      const period = pr.range(6, 18);
      const band = period * pr.range(0.3, 0.55);
      const angle = pr.weighted([6, 2, 1]) === 0 ? 0 : pr.chance(0.5) ? 90 : 45;
      return {
        defs: `<pattern id="pt" patternUnits="userSpaceOnUse" width="10" height="${f(period)}" patternTransform="rotate(${angle})"><rect width="10" height="${f(band)}" fill="${A}"/></pattern>`,
        overlay: fill('pt'),
        opacity: 1,
      };
    }
    case 'check': {
      const p = pr.range(10, 22);
      const b = p * pr.range(0.3, 0.45);
      return {
        defs: `<pattern id="pt" patternUnits="userSpaceOnUse" width="${f(p)}" height="${f(p)}"><rect width="${f(p)}" height="${f(b)}" fill="${A}" fill-opacity="0.55"/><rect width="${f(b)}" height="${f(p)}" fill="${A}" fill-opacity="0.55"/><rect x="${f(p / 2)}" width="0.8" height="${f(p)}" fill="${hex(shade(base, -0.5))}" fill-opacity="0.6"/></pattern>`,
        overlay: fill('pt'),
        opacity: 1,
      };
    }
    case 'dot': {
      const p = pr.range(7, 16);
      const r = p * pr.range(0.12, 0.25);
      return {
        defs: `<pattern id="pt" patternUnits="userSpaceOnUse" width="${f(p)}" height="${f(p)}"><circle cx="${f(p / 4)}" cy="${f(p / 4)}" r="${f(r)}" fill="${A}"/><circle cx="${f((3 * p) / 4)}" cy="${f((3 * p) / 4)}" r="${f(r)}" fill="${A}"/></pattern>`,
        overlay: fill('pt'),
        opacity: 1,
      };
    }
    case 'allover':
    case 'jacquard': {
      const p = pr.range(16, 30);
      let tile = '';
      if (kind === 'jacquard') {
        tile = `<path d="M${f(p / 2)},0 L${f(p)},${f(p / 2)} L${f(p / 2)},${f(p)} L0,${f(p / 2)} Z" fill="none" stroke="${A}" stroke-width="${f(p / 8)}" stroke-opacity="0.7"/>`;
      } else {
        const second = hex(mix(accent, base, 0.45));
        const n = 3 + pr.int(4);
        const flowers = pr.chance(0.6);
        for (let i = 0; i < n; i++) {
          const x = pr.range(0, p);
          const y = pr.range(0, p);
          const r = pr.range(1.5, 4);
          const c = i % 2 === 0 ? A : second;
          tile += flowers
            ? [0, 72, 144, 216, 288]
                .map(
                  (deg) =>
                    `<circle cx="${f(x + r * Math.cos((deg * Math.PI) / 180))}" cy="${f(y + r * Math.sin((deg * Math.PI) / 180))}" r="${f(r * 0.6)}" fill="${c}"/>`,
                )
                .join('')
            : `<ellipse cx="${f(x)}" cy="${f(y)}" rx="${f(r * 1.6)}" ry="${f(r * 0.6)}" transform="rotate(${pr.int(180)} ${f(x)} ${f(y)})" fill="${c}"/>`;
        }
      }
      return {
        defs: `<pattern id="pt" patternUnits="userSpaceOnUse" width="${f(p)}" height="${f(p)}">${tile}</pattern>`,
        overlay: fill('pt'),
        opacity: 1,
      };
    }
    case 'melange':
    case 'structure':
    case 'mesh': {
      let tile = '';
      if (kind === 'melange') {
        for (let i = 0; i < 14; i++) {
          tile += `<rect x="${f(pr.range(0, 8))}" y="${f(pr.range(0, 8))}" width="${f(pr.range(0.6, 2.5))}" height="0.7" fill="${hex(shade(base, pr.chance(0.5) ? 0.25 : -0.25))}"/>`;
        }
        return {
          defs: `<pattern id="pt" patternUnits="userSpaceOnUse" width="8" height="8">${tile}</pattern>`,
          overlay: fill('pt'),
          opacity: 1,
        };
      }
      const p = kind === 'mesh' ? 4 : 7;
      tile =
        kind === 'mesh'
          ? `<path d="M0,0 L4,4 M4,0 L0,4" stroke="${hex(shade(base, -0.45))}" stroke-width="0.5"/>`
          : `<rect x="1" y="1" width="5" height="5" fill="none" stroke="${hex(shade(base, -0.3))}" stroke-width="0.8"/>`;
      return {
        defs: `<pattern id="pt" patternUnits="userSpaceOnUse" width="${p}" height="${p}">${tile}</pattern>`,
        overlay: fill('pt'),
        opacity: kind === 'mesh' ? 0.85 : 1,
      };
    }
    case 'denim': {
      const light = hex(shade(base, 0.35));
      return {
        defs: `<pattern id="pt" patternUnits="userSpaceOnUse" width="3" height="3" patternTransform="rotate(45)"><rect width="3" height="1" fill="${light}" fill-opacity="0.45"/></pattern><radialGradient id="wash"><stop offset="0" stop-color="#ffffff" stop-opacity="0.28"/><stop offset="1" stop-color="#ffffff" stop-opacity="0"/></radialGradient>`,
        overlay: `${fill('pt')}<ellipse cx="${f(chest[0] - 18)}" cy="${f(chest[1] + 70)}" rx="20" ry="50" fill="url(#wash)"/><ellipse cx="${f(chest[0] + 18)}" cy="${f(chest[1] + 70)}" rx="20" ry="50" fill="url(#wash)"/>`,
        opacity: 1,
      };
    }
    case 'frontprint':
    case 'placement':
    case 'embroidery': {
      const small = kind !== 'frontprint';
      const size = small ? pr.range(8, 14) : pr.range(18, 32);
      const [cx, cy] =
        kind === 'placement'
          ? [chest[0] + 18, chest[1] - 14]
          : kind === 'embroidery'
            ? [chest[0], chest[1] - 30]
            : chest;
      const motif = pr.int(4);
      const draw = (x: number, y: number): string => {
        if (motif === 0)
          return `<circle cx="${f(x)}" cy="${f(y)}" r="${f(size)}" fill="${A}"/><circle cx="${f(x)}" cy="${f(y)}" r="${f(size * 0.55)}" fill="${hex(base)}"/>`;
        if (motif === 1) {
          const pts = Array.from({ length: 10 }, (_, i) => {
            const r = i % 2 === 0 ? size : size * 0.45;
            const a = (Math.PI * i) / 5 - Math.PI / 2;
            return [x + r * Math.cos(a), y + r * Math.sin(a)] as [number, number];
          });
          return `<path d="${poly(pts)}" fill="${A}"/>`;
        }
        if (motif === 2) {
          return [0, 1, 2]
            .map(
              (k) =>
                `<rect x="${f(x - size)}" y="${f(y - size * 0.6 + k * size * 0.45)}" width="${f(size * (2 - k * 0.4))}" height="${f(size * 0.28)}" fill="${A}"/>`,
            )
            .join('');
        }
        return `<circle cx="${f(x - size * 0.35)}" cy="${f(y - size * 0.2)}" r="${f(size * 0.45)}" fill="${A}"/><circle cx="${f(x + size * 0.35)}" cy="${f(y - size * 0.2)}" r="${f(size * 0.45)}" fill="${A}"/><path d="${poly(
          [
            [x - size * 0.8, y],
            [x + size * 0.8, y],
            [x, y + size * 0.9],
          ],
        )}" fill="${A}"/>`;
      };
      const g =
        kind === 'embroidery' ? draw(cx - 26, cy) + draw(cx, cy + 4) + draw(cx + 26, cy) : draw(cx, cy);
      return { defs: '', overlay: g, opacity: 1 };
    }
    case 'block': {
      const vertical = pr.chance(0.4);
      const at = pr.range(0.35, 0.6);
      return {
        defs: '',
        overlay: vertical
          ? `<rect x="${f(200 * at)}" y="-50" width="300" height="400" fill="${A}"/>`
          : `<rect x="-50" y="${f(40 + 220 * at)}" width="300" height="400" fill="${A}"/>`,
        opacity: 1,
      };
    }
    case 'lace': {
      const p = pr.range(6, 10);
      const light = hex(shade(base, luma(base) < 128 ? 0.3 : -0.25));
      return {
        defs: `<pattern id="pt" patternUnits="userSpaceOnUse" width="${f(p)}" height="${f(p)}"><circle cx="${f(p / 2)}" cy="${f(p / 2)}" r="${f(p * 0.3)}" fill="none" stroke="${light}" stroke-width="0.7"/><circle cx="0" cy="0" r="${f(p * 0.12)}" fill="${light}"/></pattern>`,
        overlay: fill('pt'),
        opacity: 0.82,
      };
    }
    case 'glitter': {
      let tile = '';
      for (let i = 0; i < 8; i++)
        tile += `<circle cx="${f(pr.range(0, 12))}" cy="${f(pr.range(0, 12))}" r="${f(pr.range(0.3, 0.9))}" fill="#ffffff" fill-opacity="${f(pr.range(0.3, 0.9))}"/>`;
      return {
        defs: `<pattern id="pt" patternUnits="userSpaceOnUse" width="12" height="12">${tile}</pattern><linearGradient id="spec" x1="0" y1="0" x2="1" y2="1"><stop offset="0.3" stop-color="#ffffff" stop-opacity="0"/><stop offset="0.5" stop-color="#ffffff" stop-opacity="0.3"/><stop offset="0.7" stop-color="#ffffff" stop-opacity="0"/></linearGradient>`,
        overlay: `${fill('pt')}<rect x="0" y="0" width="200" height="300" fill="url(#spec)"/>`,
        opacity: 1,
      };
    }
    case 'treatment': {
      let g = '';
      for (let i = 0; i < 6; i++)
        g += `<ellipse cx="${f(pr.range(50, 150))}" cy="${f(pr.range(60, 250))}" rx="${f(pr.range(8, 26))}" ry="${f(pr.range(6, 18))}" fill="#ffffff" fill-opacity="0.16"/>`;
      return { defs: '', overlay: g, opacity: 1 };
    }
    case 'transparent':
      return { defs: '', overlay: '', opacity: 0.55 };
  }
}

export interface ImageSize {
  width: number;
  height: number;
}

/** Per-photo variation that is not in the SVG: applied to the raster (see images.ts). */
export interface PhotoNoise {
  /** Seed of the pixel noise. */
  seed: number;
  /** Standard deviation of the per-pixel noise (0–255 scale). */
  sigma: number;
  /** Exposure multiplier and per-channel colour cast. */
  gain: number;
  cast: RGB;
}

export interface ArticleLook {
  svg: string;
  noise: PhotoNoise;
  /** The garment's base colour (the colour group's RGB with a small per-article deviation). */
  colour: RGB;
}

/** The SVG of an article's product photo and its pixel-noise parameters (deterministic in seed + article). */
export function articleLook(article: Article, seed: number, size: ImageSize): ArticleLook {
  const type = PRODUCT_TYPES[article.type]!;
  const group = COLOUR_GROUPS[article.colour]!;
  const kind = APPEARANCES[article.appearance]!.kind;
  const pr = streamFor(seed, 'product-look', article.productCode);
  const ar = streamFor(seed, 'article-look', article.id);
  const p = proportions(pr);
  const shape = shapeFor(type.silhouette, type.no, p);
  const accentRng = streamFor(seed, 'product-accent', article.productCode);
  const base: RGB = group.rgb.map((v) => v + ar.normal() * 4) as RGB;
  const accent = accentFor(accentRng, base);
  const pattern = patternFor(kind, pr, base, accent, shape.chest);

  // Framing: garments are photographed a little off-centre, at slightly different scales and angles.
  const scale = ar.range(0.8, 1.02);
  const tx = ar.range(-12, 12);
  const ty = ar.range(-10, 10);
  const rot = ar.range(-3.5, 3.5);
  const transform = `translate(${f(100 + tx)} ${f(150 + ty)}) rotate(${f(rot)}) scale(${f(scale)}) translate(-100 -150)`;

  // Studio background: light, slightly tinted, with a soft gradient; a key light from one side.
  const bgL = ar.range(222, 250);
  const bg: RGB = [bgL + ar.range(-5, 5), bgL + ar.range(-5, 5), bgL + ar.range(-5, 5)];
  const bg2 = shade(bg, -ar.range(0.03, 0.1));
  const lightX = ar.range(0.25, 0.75);
  const lightY = ar.range(0.15, 0.45);
  const hi = ar.range(0.03, 0.1);
  const lo = ar.range(0.05, 0.15);
  const seam = hex(luma(base) < 60 ? shade(base, 0.3) : shade(base, -0.35));
  const soleColour = pr.chance(0.6) ? '#f2f2ef' : '#2a2a2a';
  const id = `g${hash32(article.id) % 1000}`;

  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 200 300" preserveAspectRatio="xMidYMid slice">`,
    '<defs>',
    `<linearGradient id="bg" x1="0" y1="0" x2="${f(ar.range(-0.3, 0.3))}" y2="1"><stop offset="0" stop-color="${hex(bg)}"/><stop offset="1" stop-color="${hex(bg2)}"/></linearGradient>`,
    `<radialGradient id="light" cx="${f(lightX)}" cy="${f(lightY)}" r="0.9"><stop offset="0" stop-color="#ffffff" stop-opacity="${f(hi)}"/><stop offset="0.45" stop-color="#ffffff" stop-opacity="0"/><stop offset="0.6" stop-color="#000000" stop-opacity="0"/><stop offset="1" stop-color="#000000" stop-opacity="${f(lo)}"/></radialGradient>`,
    `<clipPath id="${id}"><path d="${shape.outline}"/></clipPath>`,
    pattern.defs,
    '</defs>',
    '<rect x="-100" y="-100" width="400" height="500" fill="url(#bg)"/>',
    `<g transform="${transform}">`,
    // A soft drop shadow from offset copies (a blur filter would triple the rendering time).
    `<path d="${shape.outline}" transform="translate(4.5 6.5)" fill="#000000" fill-opacity="0.05"/>`,
    `<path d="${shape.outline}" transform="translate(2.5 3.5)" fill="#000000" fill-opacity="0.07"/>`,
    `<path d="${shape.outline}" fill="${hex(base)}" fill-opacity="${pattern.opacity}"/>`,
    pattern.overlay ? `<g clip-path="url(#${id})">${pattern.overlay}</g>` : '',
    `<g stroke="${seam}" fill="${seam}">${shape.details.join('')}</g>`,
    ...(shape.extras ?? []).map(
      (e) =>
        `<path d="${e.d}" fill="${e.fill === 'sole' ? soleColour : e.fill === 'metal' ? '#b8b2a0' : '#222222'}"/>`,
    ),
    `<path d="${shape.outline}" fill="url(#light)"/>`,
    `<path d="${shape.outline}" fill="none" stroke="${seam}" stroke-width="0.8" stroke-opacity="0.6"/>`,
    '</g>',
    '</svg>',
  ].join('');

  const noise: PhotoNoise = {
    seed: ar.uint32(),
    sigma: ar.range(1.5, 5),
    gain: ar.range(0.95, 1.05),
    cast: [ar.range(-4, 4), ar.range(-4, 4), ar.range(-4, 4)],
  };
  return { svg, noise, colour: base };
}
