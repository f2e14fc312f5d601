import { Rng } from '@lookalike/sample-data';
import { datasetFromRows, type Dataset, type PurchaseRow } from '../src/dataset';
import type { NeighbourInput } from '../src/neighbours';

/** The text as chunks of `size` bytes (to exercise every chunk boundary). */
export function chunks(text: string | Buffer, size: number): Buffer[] {
  const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

/** Deterministic uniform numbers in [0, 1): core's seeded `Rng`. */
export function rng(seed: number): () => number {
  const random = new Rng(seed);
  return () => random.float();
}

export const articleId = (i: number): string => String(108775000 + i).padStart(10, '0');
export const customerId = (i: number): string => i.toString(16).padStart(64, '0');

export function isoDate(day: number): string {
  return new Date(Date.UTC(2020, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A random dataset: `customers` customers, `articles` articles, purchases over `days` days starting
 * 2020-01-01 with skewed popularity, some articles only sold at the end (new arrivals); plus a random
 * neighbour table (k per article) over the articles (including some never sold).
 */
export function randomData(
  seed: number,
  customers = 200,
  articles = 120,
  rows = 3000,
  days = 60,
  k = 6,
): { dataset: Dataset; neighbours: NeighbourInput } {
  const r = rng(seed);
  const purchases: PurchaseRow[] = [];
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(Math.pow(r(), 1.5) * customers);
    let a = Math.floor(Math.pow(r(), 2) * articles);
    let day = Math.floor(r() * days);
    if (a % 10 === 7) day = days - 1 - Math.floor(r() * 5); // new arrivals: first sold in the last days
    if (r() < 0.05) a = articles - 1 - (i % 5);
    purchases.push({ date: isoDate(day), customer: customerId(c), article: articleId(a) });
  }
  const listedCustomers = Array.from({ length: customers + 5 }, (_, i) => customerId(i));
  const listedArticles = Array.from({ length: articles }, (_, i) => articleId(i));
  const dataset = datasetFromRows(purchases, { customers: listedCustomers, articles: listedArticles });
  const ids = new Int32Array((articles + 3) * k);
  const scores = new Float32Array((articles + 3) * k);
  const rowIds: string[] = [];
  for (let row = 0; row < articles + 3; row++) {
    rowIds.push(articleId((row * 37) % (articles + 3))); // a permuted row order, 3 articles unknown to the dataset
    const used = new Set<number>([row]);
    for (let j = 0; j < k; j++) {
      let nb = Math.floor(r() * (articles + 3));
      while (used.has(nb)) nb = (nb + 1) % (articles + 3);
      used.add(nb);
      ids[row * k + j] = nb;
      scores[row * k + j] = 0.95 - 0.1 * j - 0.01 * r();
    }
  }
  return { dataset, neighbours: { articleIds: rowIds, k, ids, scores } };
}
