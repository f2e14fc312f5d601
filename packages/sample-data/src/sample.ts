/**
 * generateSample: writes an H&M-shaped dataset (articles.csv, customers.csv, transactions_train.csv,
 * images/0XX/0XXXXXXXXX.jpg) and a sample.json describing it. Same parameters → byte-identical files.
 */
import { access, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCatalogue, MAX_ARTICLES, type Article } from './catalogue';
import { formatDay, parseDay } from './calendar';
import { CsvWriter, csvRow } from './csv';
import { buildCustomers } from './customers';
import { renderImages } from './images';
import type { RepeatHabits } from './habit-stats';
import { resolvePurchaseModel, type PurchaseModel, type PurchaseSource } from './purchase-model';
import { simulateTransactions } from './transactions';
import { APPEARANCES, COLOUR_GROUPS, INDICES, PRODUCT_TYPES } from './vocab';

export const GENERATOR = '@lookalike/sample-data';
/** Bump when the same parameters would produce different files. */
export const GENERATOR_VERSION = 2;

/**
 * The demo's sample: images cost time, so few articles; customers and transactions cost little, and 10,000
 * customers (about 640 of them buying in the holdout week) make the MAP@12 comparison of the recommenders stable
 * from seed to seed. 20 purchases per customer over two years, as at H&M (31.8M / 1.37M = 23).
 */
export const DEMO_SIZE = { articles: 600, customers: 10_000, transactions: 200_000 } as const;
/** The competition's sizes. */
export const HM_SIZE = { articles: 105_542, customers: 1_371_980, transactions: 31_788_324 } as const;

export const SAMPLE_DEFAULTS = {
  ...DEMO_SIZE,
  /** 2018-09-20 … 2020-09-22, the competition's span. */
  days: 734,
  startDate: '2018-09-20',
  seed: 1,
  images: true,
  imageSize: { width: 256, height: 384 },
  jpegQuality: 85,
  newArrivalShare: 0.02,
} as const;

export const ARTICLES_CSV = 'articles.csv';
export const CUSTOMERS_CSV = 'customers.csv';
export const TRANSACTIONS_CSV = 'transactions_train.csv';
export const IMAGES_DIR = 'images';
export const MANIFEST = 'sample.json';

export type SamplePhase = 'articles' | 'customers' | 'transactions' | 'images';

export interface SampleProgress {
  phase: SamplePhase;
  done: number;
  total: number;
}

export interface SampleOptions {
  outDir: string;
  articles?: number;
  customers?: number;
  transactions?: number;
  /** Days of transactions (the last 7 are the usual holdout week). */
  days?: number;
  /** Unsigned 32-bit integer. */
  seed?: number;
  imageSize?: { width: number; height: number };
  /** false: CSVs only (for full-size runs). */
  images?: boolean;
  /** First transaction day, YYYY-MM-DD. */
  startDate?: string;
  /** Share of articles launched in the final week (cold-start new arrivals). */
  newArrivalShare?: number;
  /** Where purchases come from (see `purchase-model.ts`); unset settings keep their defaults. */
  purchaseModel?: Partial<PurchaseModel>;
  jpegQuality?: number;
  /** Images rendered at once (default: CPUs + 1, at most 8: the noise runs in JS while sharp works). */
  concurrency?: number;
  /** Replace files in a folder that holds no sample.json (otherwise such a folder is refused). */
  overwrite?: boolean;
  onProgress?: (progress: SampleProgress) => void;
}

/** What determines the files: stored in sample.json and compared to decide whether a sample is up to date. */
export interface SampleParams {
  generator: string;
  generatorVersion: number;
  seed: number;
  articles: number;
  customers: number;
  transactions: number;
  days: number;
  startDate: string;
  newArrivalShare: number;
  /** Every setting of the purchase model, defaults filled in. */
  purchaseModel: PurchaseModel;
  images: boolean;
  imageSize: { width: number; height: number };
  jpegQuality: number;
}

export interface SampleManifest {
  params: SampleParams;
  counts: {
    articles: number;
    products: number;
    customers: number;
    transactions: number;
    images: number;
    /** Customers with at least one transaction, articles sold at least once. */
    buyingCustomers: number;
    articlesSold: number;
    /** Transactions repeating an article the customer bought on an earlier day (within their last 16 items). */
    repeatPurchases: number;
  };
  /** Transactions by the purchase-model component that produced them (`secondUnit`: another unit of the previous item). */
  sources: Record<PurchaseSource | 'secondUnit', number>;
  /** Repeat habits over the last 12 weeks, measured as published for the real H&M data (README). */
  habits: RepeatHabits;
  dateRange: { first: string; last: string };
  lastWeek: {
    from: string;
    to: string;
    transactions: number;
    customers: number;
    newCustomers: number;
    /** Articles first sold in the last week (new arrivals), and their transactions that week. */
    newArticles: number;
    newArticleTransactions: number;
    /** Shares of last-week purchases among the last week's 12 best sellers, and among the week before's. */
    top12Share: number;
    previousTop12Share: number;
  };
  /** Files relative to the sample folder, with their sizes in bytes (images: the folder's total). */
  files: { path: string; bytes: number; count?: number }[];
}

export interface SampleSummary extends SampleManifest {
  outDir: string;
  /** Wall time of each phase, milliseconds (not stored in sample.json, which stays deterministic). */
  timingsMs: Record<SamplePhase | 'total', number>;
}

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new RangeError(`${name}: expected an integer from ${min} to ${max}, got ${value}`);
  return value;
}

/** The normalised, validated parameters of `options` (defaults filled in). */
export function sampleParams(options: Omit<SampleOptions, 'outDir'>): SampleParams {
  const d = SAMPLE_DEFAULTS;
  const size = options.imageSize ?? d.imageSize;
  const startDate = options.startDate ?? d.startDate;
  parseDay(startDate);
  const share = options.newArrivalShare ?? d.newArrivalShare;
  if (!(share >= 0 && share <= 0.5)) throw new RangeError(`newArrivalShare: expected 0 to 0.5, got ${share}`);
  return {
    generator: GENERATOR,
    generatorVersion: GENERATOR_VERSION,
    seed: integer('seed', options.seed ?? d.seed, 0, 0xffffffff),
    articles: integer('articles', options.articles ?? d.articles, 1, MAX_ARTICLES),
    customers: integer('customers', options.customers ?? d.customers, 1, 50_000_000),
    transactions: integer('transactions', options.transactions ?? d.transactions, 0, 2_000_000_000),
    days: integer('days', options.days ?? d.days, 14, 3_660),
    startDate,
    newArrivalShare: share,
    purchaseModel: resolvePurchaseModel(options.purchaseModel),
    images: options.images ?? d.images,
    imageSize: {
      width: integer('imageSize.width', size.width, 32, 2048),
      height: integer('imageSize.height', size.height, 32, 2048),
    },
    jpegQuality: integer('jpegQuality', options.jpegQuality ?? d.jpegQuality, 1, 100),
  };
}

function sameParams(a: SampleParams, b: SampleParams): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The sample.json in `outDir`, if there is a readable one. */
export async function readSampleManifest(outDir: string): Promise<SampleManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(outDir, MANIFEST), 'utf8')) as SampleManifest;
    return manifest?.params?.generator === GENERATOR ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The manifest of a complete sample in `outDir` made with exactly these parameters (its CSVs present with the
 * recorded sizes, its image folder present), or undefined.
 */
export async function findCompleteSample(
  outDir: string,
  options: Omit<SampleOptions, 'outDir'>,
): Promise<SampleManifest | undefined> {
  const params = sampleParams(options);
  const manifest = await readSampleManifest(outDir);
  if (!manifest || !sameParams(manifest.params, params)) return undefined;
  for (const file of manifest.files) {
    try {
      const s = await stat(join(outDir, file.path));
      if (file.path !== IMAGES_DIR && s.size !== file.bytes) return undefined;
    } catch {
      return undefined;
    }
  }
  return manifest;
}

export const ARTICLE_COLUMNS = [
  'article_id',
  'product_code',
  'prod_name',
  'product_type_no',
  'product_type_name',
  'product_group_name',
  'graphical_appearance_no',
  'graphical_appearance_name',
  'colour_group_code',
  'colour_group_name',
  'perceived_colour_value_id',
  'perceived_colour_value_name',
  'perceived_colour_master_id',
  'perceived_colour_master_name',
  'department_no',
  'department_name',
  'index_code',
  'index_name',
  'index_group_no',
  'index_group_name',
  'section_no',
  'section_name',
  'garment_group_no',
  'garment_group_name',
  'detail_desc',
] as const;

/** One articles.csv row, in ARTICLE_COLUMNS order. */
export function articleRow(a: Article): (string | number)[] {
  const type = PRODUCT_TYPES[a.type]!;
  const app = APPEARANCES[a.appearance]!;
  const colour = COLOUR_GROUPS[a.colour]!;
  const index = INDICES[a.index]!;
  return [
    a.id,
    a.id.slice(0, 7),
    a.prodName,
    type.no,
    type.name,
    type.group,
    app.no,
    app.name,
    String(colour.code).padStart(2, '0'),
    colour.name,
    colour.value.id,
    colour.value.name,
    colour.master.id,
    colour.master.name,
    a.department.no,
    a.department.name,
    index.code,
    index.name,
    index.groupNo,
    index.groupName,
    a.section.no,
    a.section.name,
    a.garmentGroup.no,
    a.garmentGroup.name,
    a.detailDesc,
  ];
}

/** Writes the sample into `options.outDir` (see the module comment); resolves to what was written. */
export async function generateSample(options: SampleOptions): Promise<SampleSummary> {
  const params = sampleParams(options);
  const outDir = options.outDir;
  const progress = options.onProgress ?? (() => undefined);
  const started = performance.now();
  const timingsMs: SampleSummary['timingsMs'] = {
    articles: 0,
    customers: 0,
    transactions: 0,
    images: 0,
    total: 0,
  };

  await mkdir(outDir, { recursive: true });
  const previous = await readSampleManifest(outDir);
  if (!previous && !options.overwrite) {
    for (const name of [ARTICLES_CSV, CUSTOMERS_CSV, TRANSACTIONS_CSV, IMAGES_DIR]) {
      if (await exists(join(outDir, name))) {
        throw new Error(
          `${outDir} already holds ${name} but no ${MANIFEST}: not overwriting a dataset this generator did not write`,
        );
      }
    }
  }
  // Until the new sample.json is written at the very end, the folder does not count as a complete sample.
  await rm(join(outDir, MANIFEST), { force: true });
  await rm(join(outDir, IMAGES_DIR), { recursive: true, force: true });

  // Articles.
  let t0 = performance.now();
  const catalogue = buildCatalogue({
    seed: params.seed,
    articles: params.articles,
    days: params.days,
    newArrivalShare: params.newArrivalShare,
  });
  const articlesOut = new CsvWriter(join(outDir, ARTICLES_CSV));
  try {
    articlesOut.push(`${ARTICLE_COLUMNS.join(',')}\n`);
    for (const a of catalogue.articles) {
      articlesOut.push(csvRow(articleRow(a)));
      if (articlesOut.full) await articlesOut.flush();
    }
    await articlesOut.close();
  } catch (err) {
    articlesOut.destroy();
    throw err;
  }
  progress({ phase: 'articles', done: params.articles, total: params.articles });
  timingsMs.articles = performance.now() - t0;

  // Customers.
  t0 = performance.now();
  const customersOut = new CsvWriter(join(outDir, CUSTOMERS_CSV));
  let customers;
  try {
    customers = await buildCustomers({
      seed: params.seed,
      customers: params.customers,
      days: params.days,
      writer: customersOut,
      onRow: (done) => progress({ phase: 'customers', done, total: params.customers }),
    });
    await customersOut.close();
  } catch (err) {
    customersOut.destroy();
    throw err;
  }
  timingsMs.customers = performance.now() - t0;

  // Transactions.
  t0 = performance.now();
  const transactionsOut = new CsvWriter(join(outDir, TRANSACTIONS_CSV));
  let stats;
  try {
    let lastReported = 0;
    stats = await simulateTransactions({
      seed: params.seed,
      startDay: parseDay(params.startDate),
      days: params.days,
      transactions: params.transactions,
      catalogue,
      customers,
      purchaseModel: params.purchaseModel,
      writer: transactionsOut,
      onDay: (_day, rows) => {
        if (rows - lastReported >= params.transactions / 100 || rows === params.transactions) {
          lastReported = rows;
          progress({ phase: 'transactions', done: rows, total: params.transactions });
        }
      },
    });
    await transactionsOut.close();
  } catch (err) {
    transactionsOut.destroy();
    throw err;
  }
  timingsMs.transactions = performance.now() - t0;

  // Images.
  t0 = performance.now();
  let imageBytes = 0;
  if (params.images) {
    const every = Math.max(1, Math.floor(params.articles / 200));
    imageBytes = await renderImages(catalogue.articles, {
      outDir,
      seed: params.seed,
      size: params.imageSize,
      quality: params.jpegQuality,
      concurrency: options.concurrency ?? Math.min(8, availableParallelism() + 1),
      onImage: (done) => {
        if (done % every === 0 || done === params.articles)
          progress({ phase: 'images', done, total: params.articles });
      },
    });
  }
  timingsMs.images = performance.now() - t0;

  const manifest: SampleManifest = {
    params,
    counts: {
      articles: catalogue.articles.length,
      products: catalogue.products,
      customers: customers.count,
      transactions: stats.transactions,
      images: params.images ? catalogue.articles.length : 0,
      buyingCustomers: stats.activeCustomers,
      articlesSold: stats.articlesSold,
      repeatPurchases: stats.repeatPurchases,
    },
    sources: stats.sources,
    habits: stats.habits,
    dateRange: { first: stats.firstDate, last: stats.lastDate },
    lastWeek: stats.lastWeek,
    files: [
      { path: ARTICLES_CSV, bytes: articlesOut.bytes },
      { path: CUSTOMERS_CSV, bytes: customersOut.bytes },
      { path: TRANSACTIONS_CSV, bytes: transactionsOut.bytes },
      ...(params.images ? [{ path: IMAGES_DIR, bytes: imageBytes, count: catalogue.articles.length }] : []),
    ],
  };
  await writeFile(join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  timingsMs.total = performance.now() - started;
  return { ...manifest, outDir, timingsMs };
}

/** The last day of a sample with these parameters (YYYY-MM-DD). */
export function lastDate(params: Pick<SampleParams, 'startDate' | 'days'>): string {
  return formatDay(parseDay(params.startDate) + params.days - 1);
}
