/**
 * An H&M-shaped synthetic dataset, built directly as typed arrays (no CSV) for the benchmark:
 * articles in products of 2.23 colourways on average (H&M's id = product_code + colourway), in visual clusters with long-tailed (Zipf) popularity and limited shelf lives (so some arrive in
 * the last week), customers with long-tailed activity and a home cluster (taste), purchases in baskets
 * (same customer, same day, adjacent rows) with occasional repurchases, and 20 neighbours per article drawn
 * from its cluster with descending cosine-like scores.
 */
import * as fs from 'node:fs';
import { fmix32, mulberry32 } from '@lookalike/core';
import {
  ArticleIdTable,
  IdTable,
  TransactionLogBuilder,
  isoDay,
  type NeighbourInput,
  type TransactionLog,
} from '../src';

export interface SyntheticSpec {
  customers: number;
  articles: number;
  transactions: number;
  /** Days of data (the last day is 2020-09-22, as in H&M). */
  days: number;
  k: number;
  seed: number;
}

export const HM_SPEC: SyntheticSpec = {
  customers: 1_371_980,
  articles: 105_542,
  transactions: 31_788_324,
  days: 734,
  k: 20,
  seed: 1,
};

export interface SyntheticData {
  customers: IdTable;
  articles: ArticleIdTable;
  transactions: TransactionLog;
  neighbours: NeighbourInput;
  /** Per article: price as the file would print it. */
  prices: Float64Array;
}

const LAST_DAY = 18527; // 2020-09-22
const CLUSTER_SIZE = 105;

/** Uniforms in [0, 1) from core's mulberry32 (the sequence this benchmark's data was generated with). */
function uniforms(seed: number): { next(): number } {
  const uint32 = mulberry32(seed);
  return { next: () => uint32() / 4294967296 };
}

/** First index i in [lo, hi) with cdf[i] > u (cdf ascending). */
function search(cdf: Float64Array, lo: number, hi: number, u: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function synthesise(spec: SyntheticSpec): SyntheticData {
  const r = uniforms(spec.seed);
  const nA = spec.articles;
  const nC = spec.customers;
  const D = spec.days;
  const firstDay = LAST_DAY - D + 1;
  const clusters = Math.max(1, Math.floor(nA / CLUSTER_SIZE));
  const clusterOf = (a: number): number => Math.min(clusters - 1, Math.floor(a / CLUSTER_SIZE));
  const clusterStart = (c: number): number => c * CLUSTER_SIZE;
  const clusterEnd = (c: number): number => (c === clusters - 1 ? nA : (c + 1) * CLUSTER_SIZE);

  // Articles: ids, Zipf popularity over a random permutation, shelf life [start, end) in day offsets.
  // Ids as H&M's: product_code × 1000 + colourway, 2.23 colourways per product on average (consecutive articles,
  // so a product's colourways share a visual cluster).
  const articles = new ArticleIdTable(nA);
  let product = 108775;
  let colourway = 1;
  for (let a = 0; a < nA; a++) {
    articles.intern(product * 1000 + colourway);
    if (r.next() < 1 / 2.23) {
      product += 1 + Math.floor(r.next() * 17);
      colourway = 1;
    } else colourway += 1 + Math.floor(r.next() * 3);
  }
  const rank = Int32Array.from({ length: nA }, (_, i) => i);
  for (let i = nA - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    const t = rank[i]!;
    rank[i] = rank[j]!;
    rank[j] = t;
  }
  const weight = new Float64Array(nA);
  const start = new Int32Array(nA);
  const end = new Int32Array(nA);
  const prices = new Float64Array(nA);
  for (let a = 0; a < nA; a++) {
    weight[a] = 1 / Math.pow(rank[a]! + 20, 1.05);
    let s: number;
    let e: number;
    do {
      s = Math.floor(r.next() * (D + 200)) - 200;
      e = s + 60 + Math.floor(-Math.log(1 - r.next()) * 200);
    } while (e <= 0);
    start[a] = Math.max(0, s);
    end[a] = Math.min(D, Math.max(e, start[a]! + 1));
    if (start[a]! >= D) start[a] = D - 1;
    prices[a] = Math.round((5 + r.next() * 60) * 1000) / 1000 / 590;
  }
  const globalCdf = new Float64Array(nA);
  const clusterCdf = new Float64Array(nA); // cumulative within each cluster
  let acc = 0;
  for (let a = 0; a < nA; a++) {
    acc += weight[a]!;
    globalCdf[a] = acc;
  }
  for (let c = 0; c < clusters; c++) {
    let s = 0;
    for (let a = clusterStart(c); a < clusterEnd(c); a++) {
      s += weight[a]!;
      clusterCdf[a] = s;
    }
  }

  // Customers: 64-hex ids, Pareto activity, a home cluster chosen by cluster popularity.
  const customers = new IdTable(nC, 64);
  const hex = Buffer.alloc(64);
  for (let c = 0; c < nC; c++) {
    for (let w = 0; w < 8; w++)
      hex.write(
        fmix32(fmix32(c * 8 + w + 1) ^ spec.seed)
          .toString(16)
          .padStart(8, '0'),
        w * 8,
        'latin1',
      );
    customers.internBytes(hex, 0, 64);
  }
  if (customers.size !== nC) throw new Error('customer id collision');
  const customerCdf = new Float64Array(nC);
  const home = new Int32Array(nC);
  acc = 0;
  for (let c = 0; c < nC; c++) {
    acc += Math.pow(1 - r.next(), -1 / 1.3);
    customerCdf[c] = acc;
    home[c] = clusterOf(search(globalCdf, 0, nA, r.next() * globalCdf[nA - 1]!));
  }
  const lastBought = new Int32Array(nC).fill(-1);

  const pick = (c: number): number => {
    if (r.next() < 0.7) {
      const cl = home[c]!;
      const lo = clusterStart(cl);
      const hi = clusterEnd(cl);
      return search(clusterCdf, lo, hi - 1, r.next() * clusterCdf[hi - 1]!);
    }
    return search(globalCdf, 0, nA - 1, r.next() * globalCdf[nA - 1]!);
  };

  const log = new TransactionLogBuilder(spec.transactions);
  while (log.length < spec.transactions) {
    const c = search(customerCdf, 0, nC - 1, r.next() * customerCdf[nC - 1]!);
    const a0 = pick(c);
    const d = start[a0]! + Math.floor(r.next() * (end[a0]! - start[a0]!));
    log.push(c, a0, firstDay + d);
    let basket = 1;
    while (r.next() < 0.55 && basket < 12 && log.length < spec.transactions) {
      basket++;
      const prev = lastBought[c]!;
      let a = -1;
      if (prev >= 0 && r.next() < 0.15 && start[prev]! <= d && d < end[prev]!) a = prev;
      for (let tries = 0; a < 0 && tries < 4; tries++) {
        const b = pick(c);
        if (start[b]! <= d && d < end[b]!) a = b;
      }
      if (a >= 0) log.push(c, a, firstDay + d);
    }
    lastBought[c] = a0;
  }

  // Neighbours: 20 distinct others from the article's cluster, scores descending.
  const k = spec.k;
  const ids = new Int32Array(nA * k);
  const scores = new Float32Array(nA * k);
  const articleIds: string[] = new Array<string>(nA);
  for (let a = 0; a < nA; a++) {
    articleIds[a] = articles.id(a);
    const cl = clusterOf(a);
    const lo = clusterStart(cl);
    const size = clusterEnd(cl) - lo;
    let s = 0.95 - 0.05 * r.next();
    for (let j = 0; j < k; j++) {
      let b: number;
      let tries = 0;
      do {
        b = size > k ? lo + Math.floor(r.next() * size) : Math.floor(r.next() * nA);
        tries++;
      } while ((b === a || alreadyListed(ids, a * k, j, b)) && tries < 1000);
      ids[a * k + j] = b;
      scores[a * k + j] = s;
      s -= 0.005 + 0.01 * r.next();
    }
  }
  return {
    customers,
    articles,
    transactions: log.finish(),
    neighbours: { articleIds, k, ids, scores },
    prices,
  };
}

function alreadyListed(ids: Int32Array, from: number, count: number, b: number): boolean {
  for (let i = from; i < from + count; i++) if (ids[i] === b) return true;
  return false;
}

/**
 * Writes the first `rows` transactions as `transactions_train.csv`, sorted by day (stable, so baskets stay
 * adjacent) as the real file is, with prices printed like the real file's. Returns bytes written.
 */
export function writeTransactionsCsv(path: string, data: SyntheticData, rows: number): number {
  const { transactions: t, customers, articles, prices } = data;
  const n = Math.min(rows, t.length);
  let minDay = 0xffff;
  let maxDay = 0;
  for (let i = 0; i < n; i++) {
    minDay = Math.min(minDay, t.day[i]!);
    maxDay = Math.max(maxDay, t.day[i]!);
  }
  const pos = new Int32Array(maxDay - minDay + 2);
  for (let i = 0; i < n; i++) pos[t.day[i]! - minDay + 1]!++;
  for (let d = 0; d < pos.length - 1; d++) pos[d + 1]! += pos[d]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[pos[t.day[i]! - minDay]!++] = i;

  const dayBytes = new Map<number, Buffer>();
  const articleBytes = Buffer.from(
    Array.from({ length: articles.size }, (_, a) => articles.id(a)).join(''),
    'latin1',
  );
  const priceBytes = Array.from(prices, (p) => Buffer.from(String(p), 'latin1'));
  const { pool, offsets } = customers.storage();
  const fd = fs.openSync(path, 'w');
  const buf = Buffer.alloc(1 << 22);
  let at = buf.write('t_dat,customer_id,article_id,price,sales_channel_id\n', 0, 'latin1');
  let total = 0;
  for (let j = 0; j < n; j++) {
    if (at > buf.length - 512) {
      fs.writeSync(fd, buf, 0, at);
      total += at;
      at = 0;
    }
    const i = order[j]!;
    const d = t.day[i]!;
    let db = dayBytes.get(d);
    if (db === undefined) {
      db = Buffer.from(isoDay(d), 'latin1');
      dayBytes.set(d, db);
    }
    at += db.copy(buf, at);
    buf[at++] = 44;
    const c = t.customer[i]!;
    for (let q = offsets[c]!; q < offsets[c + 1]!; q++) buf[at++] = pool[q]!;
    buf[at++] = 44;
    const a = t.article[i]!;
    at += articleBytes.copy(buf, at, a * 10, a * 10 + 10);
    buf[at++] = 44;
    at += priceBytes[a]!.copy(buf, at);
    buf[at++] = 44;
    buf[at++] = (c & 3) === 0 ? 49 : 50;
    buf[at++] = 10;
  }
  fs.writeSync(fd, buf, 0, at);
  total += at;
  fs.closeSync(fd);
  return total;
}
