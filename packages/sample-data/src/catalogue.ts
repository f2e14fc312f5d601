/**
 * The article catalogue: products (one product_code, one garment) in one or more colourways (articles), each with
 * H&M-shaped attributes, a launch day, a lifecycle and an appeal that drive the simulated sales.
 */
import { productDescription, productName } from './names';
import { streamFor } from './random';
import {
  APPEARANCES,
  COLOUR_GROUPS,
  INDICES,
  PRODUCT_TYPES,
  appearanceWeights,
  colourWeights,
  departmentOf,
  garmentGroupOf,
  productTypeByName,
  sectionsFor,
  type GarmentGroup,
  type Section,
} from './vocab';

export interface Article {
  /** Row in articles.csv (articles are sorted by id). */
  row: number;
  /** 10 digits with a leading zero: "0" + product code (6 digits) + colourway (3 digits), e.g. 0108775015. */
  id: string;
  productCode: number;
  /** Row of the product (products sorted by code). */
  product: number;
  /** Indices into PRODUCT_TYPES, COLOUR_GROUPS, APPEARANCES, INDICES. */
  type: number;
  colour: number;
  appearance: number;
  index: number;
  section: Section;
  department: { no: number; name: string };
  garmentGroup: GarmentGroup;
  prodName: string;
  detailDesc: string;
  /** Day (0 = the first transaction day) it goes on sale; negative: it was on sale before the period starts. */
  launchDay: number;
  /** Days over which its sales fade (e-folding time of the lifecycle). */
  lifetime: number;
  /** Relative popularity (long-tailed across the catalogue). */
  appeal: number;
  /** Full price × 590 (the competition's prices are SEK amounts / 590). */
  priceUnits: number;
}

export interface Catalogue {
  articles: Article[];
  products: number;
  /** Product p's colourways are articles (rows) `[productStart[p], productStart[p + 1])`. */
  productStart: Int32Array;
  /** The product bought together with product p (its pair, symmetric), or -1. */
  partner: Int32Array;
}

export interface CatalogueOptions {
  seed: number;
  articles: number;
  days: number;
  /** Share of articles launched in the final 7 days (new arrivals for cold start). */
  newArrivalShare: number;
  /** Share launched before the first day (old stock). */
  oldStockShare?: number;
}

const FIRST_CODE = 108775;
const HM_LAST_CODE = 959461;
const LAST_CODE = 999999;
/** The real catalogue has 105,542 articles in 47,224 product codes: 2.23 colourways per product on average. */
const MEAN_COLOURWAYS = 2.23;
export const MAX_ARTICLES = 1_500_000;

interface Draft {
  order: number;
  index: number;
  type: number;
  section: Section;
  appearance: number;
  colours: number[];
  launchDay: number;
  lifetime: number;
  appeal: number;
  price: number;
  name: string;
  desc: string;
}

export function buildCatalogue(options: CatalogueOptions): Catalogue {
  const { seed, days } = options;
  const n = options.articles;
  if (!Number.isInteger(n) || n < 1 || n > MAX_ARTICLES)
    throw new Error(`articles: expected 1 to ${MAX_ARTICLES}, got ${n}`);
  const oldStock = options.oldStockShare ?? 0.3;
  const rng = streamFor(seed, 'catalogue');
  const indexWeights = INDICES.map((i) => i.weight);
  const pGeo = 1 / MEAN_COLOURWAYS;
  const drafts: Draft[] = [];
  let remaining = n;
  while (remaining > 0) {
    const ii = rng.weighted(indexWeights);
    const idx = INDICES[ii]!;
    const typeNames = Object.keys(idx.types);
    const typeName = typeNames[rng.weighted(typeNames.map((t) => idx.types[t]!))]!;
    const type = productTypeByName(typeName);
    const ti = PRODUCT_TYPES.indexOf(type);
    const sections = sectionsFor(idx, type);
    if (sections.length === 0) throw new Error(`no section of ${idx.name} sells ${type.name}`);
    const section = sections[rng.weighted(sections.map((s) => (s.basics ? (type.basic ? 3 : 0.3) : 1)))]!;
    const ai = rng.weighted(appearanceWeights(type.silhouette));
    const kind = APPEARANCES[ai]!.kind;
    const count = Math.min(remaining, 1 + Math.min(11, rng.geometric(pGeo)));
    const colours = rng.weightedDistinct(colourWeights(kind, type.silhouette), count);
    const u = rng.float();
    let launchDay: number;
    if (u < options.newArrivalShare) launchDay = days - 7 + rng.int(Math.min(7, days));
    else if (u < options.newArrivalShare + oldStock) launchDay = -1 - rng.int(365);
    else launchDay = rng.int(Math.max(1, days - 7));
    const basic = type.basic || section.basics === true;
    const lifetime = basic ? rng.logNormal(Math.log(320), 0.4) : rng.logNormal(Math.log(75), 0.5);
    const appeal = rng.logNormal(0, 1.25);
    const premium = section.name.includes('Premium') ? 1.6 : 1;
    const price = Math.max(2, Math.round(type.price * idx.priceFactor * premium * rng.logNormal(0, 0.25)));
    const name = productName(rng, type, kind);
    const desc = rng.chance(0.004) ? '' : productDescription(rng, type, kind);
    drafts.push({
      order: drafts.length,
      index: ii,
      type: ti,
      section,
      appearance: ai,
      colours,
      launchDay,
      lifetime,
      appeal,
      price,
      name,
      desc,
    });
    remaining -= colours.length;
  }
  // Newer products get higher product codes, as at H&M: sort by launch, then spread the codes over H&M's range.
  drafts.sort((a, b) => a.launchDay - b.launchDay || a.order - b.order);
  // H&M's codes run 0108775 … 0959461; only a catalogue far larger than theirs needs the rest of the 6 digits.
  const span =
    drafts.length <= HM_LAST_CODE - FIRST_CODE ? HM_LAST_CODE - FIRST_CODE : LAST_CODE - FIRST_CODE;
  const step = span / drafts.length;
  if (step < 1) throw new Error(`too many products (${drafts.length}) for 6-digit product codes`);
  const codeRng = streamFor(seed, 'product-codes');
  const articles: Article[] = [];
  drafts.forEach((d, p) => {
    const code = FIRST_CODE + Math.floor(p * step + codeRng.float() * (step - 1));
    const type = PRODUCT_TYPES[d.type]!;
    const idx = INDICES[d.index]!;
    const kind = APPEARANCES[d.appearance]!.kind;
    const department = departmentOf(idx, d.section, type.category, kind);
    const garmentGroup = garmentGroupOf(type, kind, idx, d.section);
    let variant = codeRng.chance(0.8) ? 1 : 1 + codeRng.int(20);
    d.colours.forEach((c, v) => {
      if (v > 0) variant += 1 + codeRng.geometric(0.6);
      const colourBoost = Math.pow(COLOUR_GROUPS[c]!.weight / 3, 0.25);
      articles.push({
        row: articles.length,
        id: `0${String(code).padStart(6, '0')}${String(variant).padStart(3, '0')}`,
        productCode: code,
        product: p,
        type: d.type,
        colour: c,
        appearance: d.appearance,
        index: d.index,
        section: d.section,
        department,
        garmentGroup,
        prodName: d.name,
        detailDesc: d.desc,
        launchDay: d.launchDay,
        lifetime: d.lifetime,
        appeal: d.appeal * colourBoost * codeRng.logNormal(0, 0.45) * (v === 0 ? 1.3 : 1),
        priceUnits: d.price,
      });
    });
  });
  const productStart = new Int32Array(drafts.length + 1);
  for (const a of articles) productStart[a.product + 1] = a.row + 1;
  for (let p = 0; p < drafts.length; p++)
    productStart[p + 1] = Math.max(productStart[p + 1]!, productStart[p]!);
  return {
    articles,
    products: drafts.length,
    productStart,
    partner: pairProducts(seed, drafts),
  };
}

/** Share of products that have a bought-together partner. */
const PAIRED_SHARE = 0.7;

/**
 * Bought-together pairs (a top and its matching bottom, a bag and its shoes): within each index, in launch order,
 * a product is paired with one of the next few unpaired products of another product type, so partners are on sale
 * at about the same time. A separate random stream, so the articles do not change with the pairing.
 */
function pairProducts(seed: number, drafts: readonly Draft[]): Int32Array {
  const rng = streamFor(seed, 'co-purchase');
  const partner = new Int32Array(drafts.length).fill(-1);
  const byIndex = new Map<number, number[]>();
  drafts.forEach((d, p) => {
    const list = byIndex.get(d.index);
    if (list) list.push(p);
    else byIndex.set(d.index, [p]);
  });
  for (const products of byIndex.values()) {
    for (let i = 0; i < products.length; i++) {
      const p = products[i]!;
      if (partner[p]! >= 0 || !rng.chance(PAIRED_SHARE)) continue;
      for (let j = i + 1; j < Math.min(products.length, i + 9); j++) {
        const q = products[j]!;
        if (partner[q]! < 0 && drafts[q]!.type !== drafts[p]!.type) {
          partner[p] = q;
          partner[q] = p;
          break;
        }
      }
    }
  }
  return partner;
}
