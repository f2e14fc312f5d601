/**
 * The catalogue's vocabularies, shaped like the H&M competition's `articles.csv`: product types and groups,
 * colour groups with their perceived colour value / master colour, graphical appearances, indices, sections,
 * departments and garment groups. Numbers and names follow H&M's style; the RGB of each colour group and the
 * silhouette of each product type are what the image renderer draws.
 */

export type Silhouette =
  | 'tshirt'
  | 'vest'
  | 'longsleeve'
  | 'shirt'
  | 'hoodie'
  | 'cardigan'
  | 'jacket'
  | 'coat'
  | 'dress'
  | 'skirt'
  | 'trousers'
  | 'leggings'
  | 'shorts'
  | 'swimsuit'
  | 'bikini'
  | 'swimbottom'
  | 'bra'
  | 'briefs'
  | 'socks'
  | 'tights'
  | 'bag'
  | 'sneaker'
  | 'boot'
  | 'sandal'
  | 'hat'
  | 'scarf';

/** What a section sells and what a department is named after. */
export type Category =
  | 'jersey'
  | 'knit'
  | 'shirts'
  | 'outer'
  | 'tailoring'
  | 'dresses'
  | 'skirts'
  | 'trousers'
  | 'shorts'
  | 'lingerie'
  | 'swim'
  | 'socks'
  | 'shoes'
  | 'bags'
  | 'acc';

export interface ProductType {
  no: number;
  name: string;
  group: string;
  silhouette: Silhouette;
  category: Category;
  /** Typical price in the competition's unit × 590 (a T-shirt ≈ 10, a coat ≈ 60). */
  price: number;
  /** Day of the year when it sells best, and how strongly (multiplier exp(amp·cos(…)) ∈ [e^-amp, e^amp]). */
  seasonPeak: number;
  seasonAmp: number;
  /** Basics stay on sale for a long time; fashion items fade within weeks to months. */
  basic: boolean;
}

const UPPER = 'Garment Upper body';
const LOWER = 'Garment Lower body';
const FULL = 'Garment Full body';

export const PRODUCT_TYPES: readonly ProductType[] = [
  {
    no: 255,
    name: 'T-shirt',
    group: UPPER,
    silhouette: 'tshirt',
    category: 'jersey',
    price: 10,
    seasonPeak: 185,
    seasonAmp: 0.35,
    basic: true,
  },
  {
    no: 254,
    name: 'Top',
    group: UPPER,
    silhouette: 'tshirt',
    category: 'jersey',
    price: 12,
    seasonPeak: 180,
    seasonAmp: 0.25,
    basic: false,
  },
  {
    no: 253,
    name: 'Vest top',
    group: UPPER,
    silhouette: 'vest',
    category: 'jersey',
    price: 8,
    seasonPeak: 190,
    seasonAmp: 0.7,
    basic: true,
  },
  {
    no: 252,
    name: 'Sweater',
    group: UPPER,
    silhouette: 'longsleeve',
    category: 'knit',
    price: 22,
    seasonPeak: 335,
    seasonAmp: 0.7,
    basic: false,
  },
  {
    no: 245,
    name: 'Cardigan',
    group: UPPER,
    silhouette: 'cardigan',
    category: 'knit',
    price: 24,
    seasonPeak: 290,
    seasonAmp: 0.45,
    basic: false,
  },
  {
    no: 259,
    name: 'Shirt',
    group: UPPER,
    silhouette: 'shirt',
    category: 'shirts',
    price: 20,
    seasonPeak: 120,
    seasonAmp: 0.1,
    basic: false,
  },
  {
    no: 258,
    name: 'Blouse',
    group: UPPER,
    silhouette: 'shirt',
    category: 'shirts',
    price: 20,
    seasonPeak: 150,
    seasonAmp: 0.2,
    basic: false,
  },
  {
    no: 308,
    name: 'Hoodie',
    group: UPPER,
    silhouette: 'hoodie',
    category: 'jersey',
    price: 22,
    seasonPeak: 320,
    seasonAmp: 0.45,
    basic: false,
  },
  {
    no: 264,
    name: 'Jacket',
    group: UPPER,
    silhouette: 'jacket',
    category: 'outer',
    price: 40,
    seasonPeak: 300,
    seasonAmp: 0.6,
    basic: false,
  },
  {
    no: 262,
    name: 'Coat',
    group: UPPER,
    silhouette: 'coat',
    category: 'outer',
    price: 60,
    seasonPeak: 330,
    seasonAmp: 1.1,
    basic: false,
  },
  {
    no: 267,
    name: 'Blazer',
    group: UPPER,
    silhouette: 'jacket',
    category: 'tailoring',
    price: 38,
    seasonPeak: 260,
    seasonAmp: 0.2,
    basic: false,
  },
  {
    no: 265,
    name: 'Dress',
    group: FULL,
    silhouette: 'dress',
    category: 'dresses',
    price: 25,
    seasonPeak: 170,
    seasonAmp: 0.6,
    basic: false,
  },
  {
    no: 275,
    name: 'Skirt',
    group: LOWER,
    silhouette: 'skirt',
    category: 'skirts',
    price: 18,
    seasonPeak: 165,
    seasonAmp: 0.45,
    basic: false,
  },
  {
    no: 272,
    name: 'Trousers',
    group: LOWER,
    silhouette: 'trousers',
    category: 'trousers',
    price: 25,
    seasonPeak: 280,
    seasonAmp: 0.12,
    basic: true,
  },
  {
    no: 273,
    name: 'Leggings/Tights',
    group: LOWER,
    silhouette: 'leggings',
    category: 'trousers',
    price: 12,
    seasonPeak: 20,
    seasonAmp: 0.2,
    basic: true,
  },
  {
    no: 274,
    name: 'Shorts',
    group: LOWER,
    silhouette: 'shorts',
    category: 'shorts',
    price: 16,
    seasonPeak: 185,
    seasonAmp: 1.1,
    basic: false,
  },
  {
    no: 57,
    name: 'Swimsuit',
    group: 'Swimwear',
    silhouette: 'swimsuit',
    category: 'swim',
    price: 20,
    seasonPeak: 175,
    seasonAmp: 1.5,
    basic: false,
  },
  {
    no: 298,
    name: 'Bikini top',
    group: 'Swimwear',
    silhouette: 'bikini',
    category: 'swim',
    price: 12,
    seasonPeak: 175,
    seasonAmp: 1.5,
    basic: false,
  },
  {
    no: 59,
    name: 'Swimwear bottom',
    group: 'Swimwear',
    silhouette: 'swimbottom',
    category: 'swim',
    price: 10,
    seasonPeak: 175,
    seasonAmp: 1.5,
    basic: false,
  },
  {
    no: 306,
    name: 'Bra',
    group: 'Underwear',
    silhouette: 'bra',
    category: 'lingerie',
    price: 17,
    seasonPeak: 60,
    seasonAmp: 0.05,
    basic: true,
  },
  {
    no: 286,
    name: 'Underwear bottom',
    group: 'Underwear',
    silhouette: 'briefs',
    category: 'lingerie',
    price: 6,
    seasonPeak: 60,
    seasonAmp: 0.05,
    basic: true,
  },
  {
    no: 302,
    name: 'Socks',
    group: 'Socks & Tights',
    silhouette: 'socks',
    category: 'socks',
    price: 5,
    seasonPeak: 350,
    seasonAmp: 0.3,
    basic: true,
  },
  {
    no: 304,
    name: 'Underwear Tights',
    group: 'Socks & Tights',
    silhouette: 'tights',
    category: 'socks',
    price: 7,
    seasonPeak: 320,
    seasonAmp: 0.5,
    basic: true,
  },
  {
    no: 66,
    name: 'Bag',
    group: 'Accessories',
    silhouette: 'bag',
    category: 'bags',
    price: 18,
    seasonPeak: 340,
    seasonAmp: 0.2,
    basic: false,
  },
  {
    no: 87,
    name: 'Hat/beanie',
    group: 'Accessories',
    silhouette: 'hat',
    category: 'acc',
    price: 9,
    seasonPeak: 345,
    seasonAmp: 1.0,
    basic: false,
  },
  {
    no: 83,
    name: 'Scarf',
    group: 'Accessories',
    silhouette: 'scarf',
    category: 'acc',
    price: 12,
    seasonPeak: 345,
    seasonAmp: 0.9,
    basic: false,
  },
  {
    no: 94,
    name: 'Sneakers',
    group: 'Shoes',
    silhouette: 'sneaker',
    category: 'shoes',
    price: 30,
    seasonPeak: 110,
    seasonAmp: 0.2,
    basic: false,
  },
  {
    no: 93,
    name: 'Boots',
    group: 'Shoes',
    silhouette: 'boot',
    category: 'shoes',
    price: 50,
    seasonPeak: 320,
    seasonAmp: 0.9,
    basic: false,
  },
  {
    no: 92,
    name: 'Sandals',
    group: 'Shoes',
    silhouette: 'sandal',
    category: 'shoes',
    price: 20,
    seasonPeak: 170,
    seasonAmp: 1.2,
    basic: false,
  },
];

export interface PerceivedValue {
  id: number;
  name: string;
}
export const PERCEIVED_VALUES = {
  dustyLight: { id: 1, name: 'Dusty Light' },
  mediumDusty: { id: 2, name: 'Medium Dusty' },
  light: { id: 3, name: 'Light' },
  dark: { id: 4, name: 'Dark' },
  bright: { id: 5, name: 'Bright' },
  medium: { id: 7, name: 'Medium' },
} as const satisfies Record<string, PerceivedValue>;

export const PERCEIVED_MASTERS = {
  brown: { id: 1, name: 'Brown' },
  blue: { id: 2, name: 'Blue' },
  orange: { id: 3, name: 'Orange' },
  pink: { id: 4, name: 'Pink' },
  black: { id: 5, name: 'Black' },
  lilac: { id: 6, name: 'Lilac Purple' },
  turquoise: { id: 7, name: 'Turquoise' },
  yellow: { id: 8, name: 'Yellow' },
  white: { id: 9, name: 'White' },
  beige: { id: 11, name: 'Beige' },
  grey: { id: 12, name: 'Grey' },
  mole: { id: 13, name: 'Mole' },
  metal: { id: 15, name: 'Metal' },
  yellowishBrown: { id: 16, name: 'Yellowish Brown' },
  red: { id: 18, name: 'Red' },
  green: { id: 19, name: 'Green' },
  khaki: { id: 20, name: 'Khaki green' },
} as const satisfies Record<string, PerceivedValue>;

export interface ColourGroup {
  code: number;
  name: string;
  rgb: readonly [number, number, number];
  value: PerceivedValue;
  master: PerceivedValue;
  /** Share of the catalogue (relative). */
  weight: number;
}

const V = PERCEIVED_VALUES;
const M = PERCEIVED_MASTERS;
const colour = (
  code: number,
  name: string,
  rgb: [number, number, number],
  value: PerceivedValue,
  master: PerceivedValue,
  weight: number,
): ColourGroup => ({ code, name, rgb, value, master, weight });

export const COLOUR_GROUPS: readonly ColourGroup[] = [
  colour(9, 'Black', [22, 22, 24], V.dark, M.black, 22),
  colour(10, 'White', [244, 244, 241], V.light, M.white, 9),
  colour(11, 'Off White', [232, 224, 204], V.dustyLight, M.white, 3),
  colour(73, 'Dark Blue', [30, 42, 82], V.dark, M.blue, 12),
  colour(72, 'Blue', [48, 96, 176], V.medium, M.blue, 3.5),
  colour(71, 'Light Blue', [150, 186, 222], V.light, M.blue, 3),
  colour(7, 'Grey', [128, 128, 130], V.mediumDusty, M.grey, 4),
  colour(8, 'Dark Grey', [72, 72, 76], V.dark, M.grey, 2.3),
  colour(6, 'Light Grey', [190, 190, 192], V.dustyLight, M.grey, 2),
  colour(3, 'Silver', [176, 182, 190], V.light, M.metal, 0.3),
  colour(5, 'Gold', [196, 160, 72], V.medium, M.metal, 0.4),
  colour(4, 'Bronze/Copper', [168, 104, 58], V.medium, M.metal, 0.15),
  colour(12, 'Light Beige', [222, 204, 176], V.dustyLight, M.beige, 2.8),
  colour(13, 'Beige', [194, 168, 130], V.mediumDusty, M.beige, 3),
  colour(15, 'Dark Beige', [140, 118, 92], V.mediumDusty, M.mole, 1),
  colour(17, 'Yellowish Brown', [146, 104, 46], V.mediumDusty, M.yellowishBrown, 0.9),
  colour(19, 'Greenish Khaki', [108, 108, 66], V.mediumDusty, M.khaki, 1.1),
  colour(21, 'Light Yellow', [246, 234, 158], V.light, M.yellow, 0.6),
  colour(22, 'Yellow', [236, 200, 36], V.bright, M.yellow, 0.6),
  colour(23, 'Dark Yellow', [190, 148, 22], V.medium, M.yellow, 0.6),
  colour(31, 'Light Orange', [250, 190, 142], V.light, M.orange, 0.3),
  colour(32, 'Orange', [234, 118, 36], V.bright, M.orange, 0.6),
  colour(33, 'Dark Orange', [184, 82, 30], V.medium, M.orange, 0.4),
  colour(41, 'Light Red', [238, 148, 138], V.light, M.red, 0.3),
  colour(42, 'Red', [200, 30, 42], V.bright, M.red, 1.6),
  colour(43, 'Dark Red', [118, 22, 36], V.dark, M.red, 0.7),
  colour(51, 'Light Pink', [242, 192, 202], V.light, M.pink, 4.3),
  colour(52, 'Pink', [226, 104, 150], V.medium, M.pink, 1.2),
  colour(53, 'Dark Pink', [176, 46, 98], V.dark, M.pink, 0.5),
  colour(61, 'Light Purple', [200, 182, 224], V.light, M.lilac, 0.5),
  colour(62, 'Purple', [118, 60, 150], V.medium, M.lilac, 0.3),
  colour(63, 'Dark Purple', [70, 30, 80], V.dark, M.lilac, 0.2),
  colour(81, 'Light Turquoise', [160, 222, 214], V.light, M.turquoise, 0.2),
  colour(82, 'Turquoise', [36, 178, 172], V.bright, M.turquoise, 0.3),
  colour(83, 'Dark Turquoise', [20, 98, 100], V.dark, M.turquoise, 0.2),
  colour(91, 'Light Green', [172, 212, 160], V.light, M.green, 0.5),
  colour(92, 'Green', [58, 150, 72], V.medium, M.green, 0.8),
  colour(93, 'Dark Green', [30, 72, 46], V.dark, M.green, 0.8),
];

/** How a graphical appearance is drawn. */
export type PatternKind =
  | 'solid'
  | 'allover'
  | 'melange'
  | 'stripe'
  | 'denim'
  | 'frontprint'
  | 'placement'
  | 'check'
  | 'dot'
  | 'block'
  | 'lace'
  | 'jacquard'
  | 'glitter'
  | 'embroidery'
  | 'treatment'
  | 'mesh'
  | 'structure'
  | 'transparent';

export interface Appearance {
  no: number;
  name: string;
  kind: PatternKind;
  weight: number;
}

export const APPEARANCES: readonly Appearance[] = [
  { no: 1010016, name: 'Solid', kind: 'solid', weight: 49 },
  { no: 1010001, name: 'All over pattern', kind: 'allover', weight: 14 },
  { no: 1010010, name: 'Melange', kind: 'melange', weight: 5 },
  { no: 1010017, name: 'Stripe', kind: 'stripe', weight: 4.6 },
  { no: 1010023, name: 'Denim', kind: 'denim', weight: 3.4 },
  { no: 1010008, name: 'Front print', kind: 'frontprint', weight: 3 },
  { no: 1010009, name: 'Placement print', kind: 'placement', weight: 2 },
  { no: 1010004, name: 'Check', kind: 'check', weight: 2 },
  { no: 1010014, name: 'Dot', kind: 'dot', weight: 1.3 },
  { no: 1010005, name: 'Colour blocking', kind: 'block', weight: 1 },
  { no: 1010011, name: 'Lace', kind: 'lace', weight: 1.1 },
  { no: 1010019, name: 'Jacquard', kind: 'jacquard', weight: 0.4 },
  { no: 1010006, name: 'Glittering/Metallic', kind: 'glitter', weight: 0.5 },
  { no: 1010007, name: 'Embroidery', kind: 'embroidery', weight: 0.4 },
  { no: 1010018, name: 'Treatment', kind: 'treatment', weight: 0.6 },
  { no: 1010024, name: 'Mesh', kind: 'mesh', weight: 0.3 },
  { no: 1010026, name: 'Other structure', kind: 'structure', weight: 0.6 },
  { no: 1010020, name: 'Transparent', kind: 'transparent', weight: 0.3 },
];

const DENIM_SILHOUETTES: ReadonlySet<Silhouette> = new Set([
  'trousers',
  'shorts',
  'skirt',
  'jacket',
  'shirt',
  'dress',
]);
const SMALL_ITEMS: ReadonlySet<Silhouette> = new Set(['bag', 'sneaker', 'boot', 'sandal', 'hat', 'scarf']);
const LINGERIE: ReadonlySet<Silhouette> = new Set(['bra', 'briefs', 'swimsuit', 'bikini', 'swimbottom']);

/** Relative weight of each appearance (APPEARANCES order) for a silhouette: denim only where denim exists, etc. */
export function appearanceWeights(s: Silhouette): number[] {
  return APPEARANCES.map((a) => {
    switch (a.kind) {
      case 'denim':
        return s === 'trousers' || s === 'shorts' ? 22 : DENIM_SILHOUETTES.has(s) ? 6 : 0;
      case 'lace':
        return LINGERIE.has(s) && !s.startsWith('swim') && s !== 'bikini'
          ? 16
          : s === 'dress' || s === 'vest'
            ? 2
            : 0;
      case 'frontprint':
      case 'placement':
        return s === 'tshirt' || s === 'hoodie' || s === 'longsleeve'
          ? a.weight * 3
          : SMALL_ITEMS.has(s)
            ? 0.5
            : a.weight * 0.5;
      case 'melange':
        return s === 'tshirt' || s === 'hoodie' || s === 'longsleeve' || s === 'cardigan' || s === 'hat'
          ? a.weight * 2
          : s === 'socks'
            ? a.weight
            : 0.5;
      case 'mesh':
        return s === 'tights' || s === 'socks' || s === 'sneaker' ? 4 : a.weight;
      case 'glitter':
        return SMALL_ITEMS.has(s) || s === 'dress' ? 3 : a.weight;
      case 'solid':
        return SMALL_ITEMS.has(s) ? 80 : s === 'tights' ? 90 : a.weight;
      default:
        return SMALL_ITEMS.has(s) ? a.weight * 0.3 : a.weight;
    }
  });
}

/** Colour weights (COLOUR_GROUPS order) given the appearance: denim is mostly blue, melange mostly grey. */
export function colourWeights(kind: PatternKind, s: Silhouette): number[] {
  return COLOUR_GROUPS.map((c) => {
    let w = c.weight;
    if (kind === 'denim')
      w =
        c.master === M.blue
          ? w * 8
          : c.master === M.black || c.master === M.grey || c.code === 10
            ? w
            : w * 0.04;
    if (kind === 'melange') w = c.master === M.grey ? w * 6 : c.master === M.beige ? w : w * 0.3;
    if (kind === 'glitter') w = c.master === M.metal ? w * 40 : w;
    if (s === 'socks' || s === 'tights' || s === 'briefs' || s === 'bra')
      w = c.code === 9 || c.code === 10 ? w * 2.5 : w;
    return w;
  });
}

export interface Index {
  code: string;
  name: string;
  groupNo: number;
  groupName: string;
  /** Share of the catalogue. */
  weight: number;
  /** Relative weight of each product type (by name) in this index. */
  types: Readonly<Record<string, number>>;
  sections: readonly Section[];
  /** Price multiplier (children's wear is cheaper). */
  priceFactor: number;
}

export interface Section {
  no: number;
  name: string;
  /** Categories it sells; absent: all. */
  sells?: readonly Category[];
  /** Basics sections run long-lived articles (their garment group is "Jersey Basic"). */
  basics?: boolean;
}

const sec = (no: number, name: string, sells?: Category[], basics?: boolean): Section => ({
  no,
  name,
  ...(sells ? { sells } : {}),
  ...(basics ? { basics } : {}),
});

const GARMENTS: Category[] = [
  'jersey',
  'knit',
  'shirts',
  'outer',
  'tailoring',
  'dresses',
  'skirts',
  'trousers',
  'shorts',
];

export const INDICES: readonly Index[] = [
  {
    code: 'A',
    name: 'Ladieswear',
    groupNo: 1,
    groupName: 'Ladieswear',
    weight: 26,
    priceFactor: 1,
    types: {
      'T-shirt': 6,
      Top: 8,
      'Vest top': 5,
      Sweater: 8,
      Cardigan: 3,
      Shirt: 3,
      Blouse: 8,
      Hoodie: 1,
      Jacket: 3,
      Coat: 2,
      Blazer: 3,
      Dress: 12,
      Skirt: 5,
      Trousers: 10,
      'Leggings/Tights': 1,
      Shorts: 3,
    },
    sections: [
      sec(15, 'Womens Everyday Collection'),
      sec(16, 'Womens Everyday Basics', ['jersey', 'knit', 'trousers', 'shorts'], true),
      sec(18, 'Womens Casual'),
      sec(11, 'Womens Tailoring', ['shirts', 'tailoring', 'trousers', 'skirts', 'dresses', 'outer']),
      sec(6, 'Womens Trend'),
      sec(2, 'H&M+'),
      sec(3, 'Womens Premium', ['knit', 'shirts', 'outer', 'tailoring', 'dresses', 'skirts', 'trousers']),
      sec(60, 'Ladies Denim', ['trousers', 'shorts', 'skirts', 'outer', 'shirts', 'dresses']),
      sec(8, 'Mama', ['jersey', 'knit', 'dresses', 'trousers', 'shirts']),
    ],
  },
  {
    code: 'B',
    name: 'Lingeries/Tights',
    groupNo: 1,
    groupName: 'Ladieswear',
    weight: 6,
    priceFactor: 1,
    types: {
      Bra: 10,
      'Underwear bottom': 10,
      Socks: 4,
      'Underwear Tights': 5,
      Swimsuit: 3,
      'Bikini top': 5,
      'Swimwear bottom': 5,
      'Vest top': 1,
      'Leggings/Tights': 1,
    },
    sections: [
      sec(61, 'Womens Lingerie', ['lingerie']),
      sec(62, 'Womens Nightwear, Socks & Tigh', ['socks', 'jersey', 'trousers'], true),
      sec(63, 'Womens Swimwear, beachwear', ['swim']),
    ],
  },
  {
    code: 'C',
    name: 'Ladies Accessories',
    groupNo: 1,
    groupName: 'Ladieswear',
    weight: 6,
    priceFactor: 1,
    types: { Bag: 6, 'Hat/beanie': 3, Scarf: 3, Sneakers: 2, Boots: 2, Sandals: 2, Socks: 1 },
    sections: [
      sec(64, 'Womens Shoes', ['shoes']),
      sec(65, 'Womens Big accessories', ['bags', 'acc']),
      sec(66, 'Womens Small accessories', ['acc', 'socks']),
    ],
  },
  {
    code: 'D',
    name: 'Divided',
    groupNo: 2,
    groupName: 'Divided',
    weight: 15,
    priceFactor: 0.8,
    types: {
      'T-shirt': 4,
      Top: 6,
      'Vest top': 4,
      Sweater: 5,
      Hoodie: 3,
      Blouse: 3,
      Shirt: 1,
      Jacket: 2,
      Coat: 1,
      Blazer: 1,
      Dress: 8,
      Skirt: 4,
      Trousers: 8,
      Shorts: 3,
      'Leggings/Tights': 1,
      Bag: 1,
      Sneakers: 1,
    },
    sections: [
      sec(53, 'Divided Collection', GARMENTS),
      sec(51, 'Divided Basics', ['jersey', 'knit', 'trousers', 'shorts'], true),
      sec(52, 'Divided Accessories', ['bags', 'shoes', 'acc']),
      sec(50, 'Divided Selected', GARMENTS),
      sec(55, 'EQ Divided', ['jersey', 'knit', 'trousers', 'dresses']),
    ],
  },
  {
    code: 'F',
    name: 'Menswear',
    groupNo: 3,
    groupName: 'Menswear',
    weight: 12,
    priceFactor: 1.1,
    types: {
      'T-shirt': 8,
      'Vest top': 1,
      Sweater: 6,
      Hoodie: 4,
      Shirt: 8,
      Jacket: 4,
      Coat: 1,
      Blazer: 2,
      Trousers: 10,
      Shorts: 3,
      'Underwear bottom': 3,
      Socks: 3,
      'Swimwear bottom': 1,
      Bag: 0.5,
      Sneakers: 1,
      Boots: 0.5,
      'Hat/beanie': 1,
      Scarf: 0.5,
    },
    sections: [
      sec(21, 'Contemporary Casual', ['jersey', 'knit', 'shirts', 'trousers', 'shorts', 'outer']),
      sec(22, 'Contemporary Smart', ['knit', 'shirts', 'trousers', 'tailoring', 'outer']),
      sec(23, 'Contemporary Street', ['jersey', 'knit', 'trousers', 'shorts', 'outer']),
      sec(25, 'Men Suits & Tailoring', ['tailoring', 'shirts', 'trousers']),
      sec(26, 'Mens Outerwear', ['outer']),
      sec(27, 'Men Underwear', ['lingerie', 'socks', 'swim'], true),
      sec(28, 'Men Accessories', ['bags', 'shoes', 'acc']),
      sec(29, 'Denim Men', ['trousers', 'shorts', 'outer', 'shirts']),
      sec(20, 'Men Edition', ['jersey', 'knit', 'shirts', 'trousers', 'outer']),
    ],
  },
  {
    code: 'G',
    name: 'Baby Sizes 50-98',
    groupNo: 4,
    groupName: 'Baby/Children',
    weight: 8,
    priceFactor: 0.6,
    types: {
      'T-shirt': 5,
      Sweater: 3,
      Cardigan: 2,
      Dress: 3,
      Trousers: 5,
      'Leggings/Tights': 3,
      Shorts: 2,
      Jacket: 2,
      Hoodie: 1,
      Socks: 2,
      'Hat/beanie': 2,
    },
    sections: [
      sec(44, 'Baby Essentials & Complements', ['jersey', 'trousers', 'socks', 'acc'], true),
      sec(41, 'Baby Girl'),
      sec(40, 'Baby Boy', ['jersey', 'knit', 'trousers', 'shorts', 'outer', 'acc']),
    ],
  },
  {
    code: 'H',
    name: 'Children Sizes 92-140',
    groupNo: 4,
    groupName: 'Baby/Children',
    weight: 11,
    priceFactor: 0.65,
    types: {
      'T-shirt': 6,
      Top: 3,
      Sweater: 4,
      Hoodie: 3,
      Shirt: 1,
      Blouse: 1,
      Dress: 4,
      Skirt: 2,
      Trousers: 6,
      'Leggings/Tights': 2,
      Shorts: 3,
      Jacket: 3,
      Coat: 1,
      Swimsuit: 1,
    },
    sections: [
      sec(46, 'Kids Girl'),
      sec(45, 'Kids Boy', ['jersey', 'knit', 'shirts', 'trousers', 'shorts', 'outer', 'swim']),
      sec(47, 'Kids Outerwear', ['outer']),
      sec(48, 'Kids Sports', ['jersey', 'trousers', 'shorts']),
    ],
  },
  {
    code: 'I',
    name: 'Children Sizes 134-170',
    groupNo: 4,
    groupName: 'Baby/Children',
    weight: 9,
    priceFactor: 0.75,
    types: {
      'T-shirt': 5,
      Top: 4,
      'Vest top': 2,
      Sweater: 4,
      Hoodie: 4,
      Blouse: 2,
      Dress: 4,
      Skirt: 2,
      Trousers: 6,
      'Leggings/Tights': 2,
      Shorts: 3,
      Jacket: 2,
    },
    sections: [
      sec(43, 'Young Girl'),
      sec(42, 'Young Boy', ['jersey', 'knit', 'shirts', 'trousers', 'shorts', 'outer']),
    ],
  },
  {
    code: 'J',
    name: 'Children Accessories, Swimwear',
    groupNo: 4,
    groupName: 'Baby/Children',
    weight: 3,
    priceFactor: 0.6,
    types: {
      Bag: 1,
      'Hat/beanie': 3,
      Scarf: 1,
      Socks: 3,
      Swimsuit: 2,
      'Bikini top': 1,
      'Swimwear bottom': 2,
      Sneakers: 2,
      Boots: 1,
      Sandals: 1,
    },
    sections: [
      sec(49, 'Kids & Baby Shoes', ['shoes']),
      sec(76, 'Kids Accessories, Swimwear & D', ['bags', 'acc', 'socks', 'swim']),
    ],
  },
  {
    code: 'S',
    name: 'Sport',
    groupNo: 26,
    groupName: 'Sport',
    weight: 3,
    priceFactor: 1,
    types: {
      'T-shirt': 4,
      'Vest top': 3,
      Top: 3,
      Hoodie: 2,
      Jacket: 2,
      'Leggings/Tights': 6,
      Shorts: 3,
      Bra: 3,
      Sneakers: 2,
      Socks: 1,
      Bag: 1,
    },
    sections: [
      sec(5, 'Ladies H&M Sport'),
      sec(4, 'Men H&M Sport', ['jersey', 'outer', 'trousers', 'shorts', 'socks', 'bags', 'shoes']),
    ],
  },
];

export interface GarmentGroup {
  no: number;
  name: string;
}
export const GARMENT_GROUPS = {
  unknown: { no: 1001, name: 'Unknown' },
  jerseyBasic: { no: 1002, name: 'Jersey Basic' },
  knitwear: { no: 1003, name: 'Knitwear' },
  jerseyFancy: { no: 1005, name: 'Jersey Fancy' },
  dressed: { no: 1006, name: 'Dressed' },
  outdoor: { no: 1007, name: 'Outdoor' },
  dressesSkirtsGirls: { no: 1008, name: 'Dresses/Skirts girls' },
  trousers: { no: 1009, name: 'Trousers' },
  blouses: { no: 1010, name: 'Blouses' },
  shirts: { no: 1011, name: 'Shirts' },
  skirts: { no: 1012, name: 'Skirt' },
  dressesLadies: { no: 1013, name: 'Dresses Ladies' },
  trousersDenim: { no: 1016, name: 'Trousers Denim' },
  underNightwear: { no: 1017, name: 'Under-, Nightwear' },
  swimwear: { no: 1018, name: 'Swimwear' },
  accessories: { no: 1019, name: 'Accessories' },
  shoes: { no: 1020, name: 'Shoes' },
  socksTights: { no: 1021, name: 'Socks and Tights' },
  specialOffers: { no: 1023, name: 'Special Offers' },
  shorts: { no: 1025, name: 'Shorts' },
} as const satisfies Record<string, GarmentGroup>;

/** The garment group of an article (H&M's buying-office grouping, crossing the indices). */
export function garmentGroupOf(
  type: ProductType,
  kind: PatternKind,
  index: Index,
  section: Section,
): GarmentGroup {
  const G = GARMENT_GROUPS;
  const kids = index.groupNo === 4;
  switch (type.category) {
    case 'jersey':
      return section.basics || (kind === 'solid' && type.basic) ? G.jerseyBasic : G.jerseyFancy;
    case 'knit':
      return G.knitwear;
    case 'shirts':
      return type.name === 'Blouse' ? G.blouses : G.shirts;
    case 'outer':
      return G.outdoor;
    case 'tailoring':
      return G.dressed;
    case 'dresses':
      return kids ? G.dressesSkirtsGirls : G.dressesLadies;
    case 'skirts':
      return kids ? G.dressesSkirtsGirls : G.skirts;
    case 'trousers':
      if (kind === 'denim') return G.trousersDenim;
      return type.name === 'Leggings/Tights' ? G.jerseyBasic : G.trousers;
    case 'shorts':
      return kind === 'denim' ? G.trousersDenim : G.shorts;
    case 'lingerie':
      return G.underNightwear;
    case 'swim':
      return G.swimwear;
    case 'socks':
      return G.socksTights;
    case 'shoes':
      return G.shoes;
    case 'bags':
    case 'acc':
      return G.accessories;
  }
}

const DEPARTMENT_BASE: Record<Category, string> = {
  jersey: 'Jersey',
  knit: 'Knitwear',
  shirts: 'Shirt & Blouse',
  outer: 'Outdoor',
  tailoring: 'Tailoring',
  dresses: 'Dresses',
  skirts: 'Skirts',
  trousers: 'Trousers',
  shorts: 'Shorts',
  lingerie: 'Lingerie',
  swim: 'Swimwear',
  socks: 'Socks & Tights',
  shoes: 'Shoes',
  bags: 'Bags',
  acc: 'Accessories',
};
const CATEGORIES = Object.keys(DEPARTMENT_BASE) as Category[];
const DEPARTMENT_PREFIX: Record<string, string> = {
  F: 'Men ',
  G: 'Baby ',
  H: 'Kids ',
  I: 'Young ',
  J: 'Kids ',
  S: 'Sport ',
};

/** The department of (index, section, category): a stable 4-digit number and a name such as "Jersey Basic DIV". */
export function departmentOf(
  index: Index,
  section: Section,
  category: Category,
  kind: PatternKind,
): { no: number; name: string } {
  const denim =
    kind === 'denim' && (category === 'trousers' || category === 'shorts' || category === 'skirts');
  let base = denim ? 'Denim' : DEPARTMENT_BASE[category];
  if (section.basics && (category === 'jersey' || category === 'trousers')) base += ' Basic';
  else if (category === 'jersey' && kind !== 'solid') base += ' Fancy';
  const name = `${DEPARTMENT_PREFIX[index.code] ?? ''}${base}${index.code === 'D' ? ' DIV' : ''}`;
  const variant = denim ? CATEGORIES.length : CATEGORIES.indexOf(category);
  return {
    no:
      1200 + section.no * 100 + variant * 5 + (base.endsWith(' Fancy') ? 2 : base.endsWith(' Basic') ? 1 : 0),
    name,
  };
}

/** Sections of `index` that sell `type`. */
export function sectionsFor(index: Index, type: ProductType): Section[] {
  return index.sections.filter((s) => !s.sells || s.sells.includes(type.category));
}

export function productTypeByName(name: string): ProductType {
  const t = PRODUCT_TYPES.find((p) => p.name === name);
  if (!t) throw new Error(`unknown product type ${name}`);
  return t;
}
