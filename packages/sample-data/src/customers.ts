/**
 * Customers: the rows of customers.csv plus each customer's hidden tastes (segment, favourite product types,
 * colours and patterns, how strongly taste drives their choices), activity level, habit (how often they repeat
 * themselves), sales channel, and when they join and leave.
 */
import { CsvWriter } from './csv';
import { streamFor, type Rng } from './random';
import { APPEARANCES, COLOUR_GROUPS, INDICES, PRODUCT_TYPES } from './vocab';

export const CUSTOMER_HEADER =
  'customer_id,FN,Active,club_member_status,fashion_news_frequency,age,postal_code\n';

/** Shopper segments and how much each buys from each index (INDICES order: A B C D F G H I J S). */
export const SEGMENTS = [
  {
    name: 'ladies',
    share: 0.5,
    age: [38, 13],
    index: [1, 0.5, 0.4, 0.25, 0.03, 0.05, 0.05, 0.05, 0.03, 0.15],
  },
  { name: 'young', share: 0.18, age: [22, 3], index: [0.35, 0.3, 0.3, 1, 0.05, 0.02, 0.02, 0.02, 0.02, 0.1] },
  {
    name: 'men',
    share: 0.14,
    age: [35, 12],
    index: [0.02, 0.01, 0.03, 0.15, 1, 0.02, 0.02, 0.03, 0.02, 0.3],
  },
  { name: 'parent', share: 0.13, age: [36, 6], index: [0.5, 0.2, 0.2, 0.1, 0.05, 0.8, 1, 0.7, 0.5, 0.05] },
  { name: 'sport', share: 0.05, age: [30, 9], index: [0.3, 0.2, 0.2, 0.1, 0.3, 0.02, 0.02, 0.02, 0.02, 1] },
] as const;

export const FAV_TYPES = 6;
export const FAV_COLOURS = 4;
export const FAV_PATTERNS = 2;
export const NONE = 255;

export interface Customers {
  count: number;
  ids: string[];
  /** First and last day (0-based) on which they shop. */
  joinDay: Int32Array;
  leaveDay: Int32Array;
  /** Relative shopping frequency (long-tailed). */
  activity: Float64Array;
  segment: Uint8Array;
  favTypes: Uint8Array;
  favTypeWeights: Float32Array;
  favColours: Uint8Array;
  favColourWeights: Float32Array;
  favPatterns: Uint8Array;
  favPatternWeights: Float32Array;
  /** Exponent on taste affinity when choosing among candidates: 0 follows popularity only, 4 is picky. */
  pickiness: Float32Array;
  /** Probability of choosing a product type from their favourites (else from what sells that day). */
  typeLoyalty: Float32Array;
  /**
   * How strongly they repeat themselves: a multiplier (mean ≈ 1, exponential, at most 6) on the purchase model's
   * repurchase, colour-variant and co-purchase shares.
   */
  habit: Float32Array;
  /** Probability that a basket is bought online (sales channel 2). */
  online: Float32Array;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 64 hex characters (256 random bits), like H&M's hashed ids. */
function hex64(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 8; i++) {
    const u = rng.uint32();
    s += HEX_BYTE[u >>> 24]! + HEX_BYTE[(u >>> 16) & 255]! + HEX_BYTE[(u >>> 8) & 255]! + HEX_BYTE[u & 255]!;
  }
  return s;
}

/** segmentTypeWeight[segment][type]: how much of each product type a segment buys. */
export const SEGMENT_TYPE_WEIGHTS: number[][] = SEGMENTS.map((seg) =>
  PRODUCT_TYPES.map((t) =>
    INDICES.reduce((sum, idx, i) => {
      const total = Object.values(idx.types).reduce((a, b) => a + b, 0);
      return sum + seg.index[i]! * idx.weight * ((idx.types[t.name] ?? 0) / total);
    }, 0),
  ),
);

export interface CustomerOptions {
  seed: number;
  customers: number;
  days: number;
  /** customers.csv is written here while the customers are drawn (null: don't write). */
  writer: CsvWriter | null;
  onRow?: (done: number) => void;
}

export async function buildCustomers(options: CustomerOptions): Promise<Customers> {
  const { seed, days, writer } = options;
  const n = options.customers;
  const rng = streamFor(seed, 'customers');
  const postalRng = streamFor(seed, 'postal-codes');
  const postalCount = Math.max(1, Math.ceil(n / 4));
  const postalCodes = new Array<string | undefined>(postalCount);
  const postal = (i: number) => (postalCodes[i] ??= hex64(streamFor(seed, 'postal-code', i)));
  const c: Customers = {
    count: n,
    ids: new Array<string>(n),
    joinDay: new Int32Array(n),
    leaveDay: new Int32Array(n),
    activity: new Float64Array(n),
    segment: new Uint8Array(n),
    favTypes: new Uint8Array(n * FAV_TYPES).fill(NONE),
    favTypeWeights: new Float32Array(n * FAV_TYPES),
    favColours: new Uint8Array(n * FAV_COLOURS).fill(NONE),
    favColourWeights: new Float32Array(n * FAV_COLOURS),
    favPatterns: new Uint8Array(n * FAV_PATTERNS).fill(NONE),
    favPatternWeights: new Float32Array(n * FAV_PATTERNS),
    pickiness: new Float32Array(n),
    typeLoyalty: new Float32Array(n),
    habit: new Float32Array(n),
    online: new Float32Array(n),
  };
  const segmentShares = SEGMENTS.map((s) => s.share);
  const colourWeights = COLOUR_GROUPS.map((g) => Math.pow(g.weight, 0.7));
  const patternWeights = APPEARANCES.map((a) => Math.pow(a.weight, 0.6));
  writer?.push(CUSTOMER_HEADER);
  for (let i = 0; i < n; i++) {
    const id = hex64(rng);
    c.ids[i] = id;
    const seg = rng.weighted(segmentShares);
    c.segment[i] = seg;
    const segment = SEGMENTS[seg]!;
    c.activity[i] = rng.logNormal(0, 1.3);
    c.joinDay[i] = rng.chance(0.7) ? -1 : rng.int(days);
    c.leaveDay[i] = rng.chance(0.2)
      ? c.joinDay[i]! + 1 + rng.int(Math.max(1, days - c.joinDay[i]!))
      : days + 1;

    const types = rng.weightedDistinct(SEGMENT_TYPE_WEIGHTS[seg]!, 2 + rng.int(FAV_TYPES - 1));
    types.forEach((t, j) => {
      c.favTypes[i * FAV_TYPES + j] = t;
      c.favTypeWeights[i * FAV_TYPES + j] = 0.1 + Math.pow(rng.exp(), 1.5);
    });
    const colours = rng.weightedDistinct(colourWeights, 1 + rng.int(FAV_COLOURS));
    colours.forEach((g, j) => {
      c.favColours[i * FAV_COLOURS + j] = g;
      c.favColourWeights[i * FAV_COLOURS + j] = 0.2 + rng.exp();
    });
    const patterns = rng.weightedDistinct(patternWeights, 1 + rng.int(FAV_PATTERNS));
    patterns.forEach((p, j) => {
      c.favPatterns[i * FAV_PATTERNS + j] = p;
      c.favPatternWeights[i * FAV_PATTERNS + j] = 0.3 + rng.exp();
    });
    const style = rng.float();
    c.pickiness[i] =
      style < 0.35 ? rng.range(2.5, 4.5) : style < 0.75 ? rng.range(1, 2.2) : rng.range(0, 0.5);
    c.typeLoyalty[i] = rng.range(0.5, 0.95);
    c.habit[i] = Math.min(6, rng.exp());
    const channel = rng.float();
    c.online[i] = channel < 0.3 ? 0.05 : channel < 0.8 ? 0.92 : 0.5;

    const fn = rng.chance(0.35);
    const active = fn ? rng.chance(0.97) : rng.chance(0.01);
    const club = rng.float();
    const status = club < 0.004 ? '' : club < 0.93 ? 'ACTIVE' : club < 0.9995 ? 'PRE-CREATE' : 'LEFT CLUB';
    const news = rng.float();
    const frequency = fn
      ? news < 0.95
        ? 'Regularly'
        : news < 0.99
          ? 'Monthly'
          : ''
      : news < 0.97
        ? 'NONE'
        : news < 0.98
          ? 'None'
          : '';
    const age = rng.chance(0.011)
      ? ''
      : String(Math.max(16, Math.min(99, Math.round(segment.age[0] + segment.age[1] * rng.normal()))));
    const u = postalRng.float();
    const postalIndex = u < 0.05 ? 0 : Math.floor(Math.pow(postalRng.float(), 1.6) * postalCount);
    if (writer) {
      writer.push(
        `${id},${fn ? '1.0' : ''},${active ? '1.0' : ''},${status},${frequency},${age},${postal(postalIndex)}\n`,
      );
      writer.rows++;
      if ((i & 4095) === 4095) {
        await writer.flushIfFull();
        options.onRow?.(i + 1);
      }
    }
  }
  options.onRow?.(n);
  return c;
}
