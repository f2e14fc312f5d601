import { datasetFromRows, type Dataset, type PurchaseRow } from '../src/dataset';
import type { NeighbourInput } from '../src/neighbours';

/** Colourways: A6 is another colour of A1's product (same product_code), A7 of A3's; every other article is its own product. */
const COLOURWAY_OF: Record<number, number> = { 6: 1, 7: 3 };
const scenarioArticleId = (i: number): string =>
  String((200_000 + (COLOURWAY_OF[i] ?? i)) * 1000 + (i in COLOURWAY_OF ? 2 : 1)).padStart(10, '0');

/**
 * A hand-checkable scenario (see recommender.test.ts for the expected figures). 14 articles A0..A13, data
 * from 2019-12-01 to 2020-01-20; with 7 holdout days the split is 2020-01-14 and the popularity window
 * 2020-01-07..13.
 *   c0 bought A1 on 01-13 (age 0) and A2 on 2019-12-14 (age 30); in the holdout A3 twice and A13 (new).
 *   c1 bought A3 on 01-10; in the holdout A6 on 01-20. c2 bought nothing. c3 bought only in the holdout: A7 on 01-18.
 *   p1..p4 bought A3 (window sales 5 with c1), p1..p3 A6, p4..p6 A7 (3 each), p5 A8 before the window.
 * Neighbours (k = 2): A1 → A3 0.9, A4 0.5; A2 → A5 0.8; A13 (new) → A3 0.7, A6 0.3.
 * Products: A1 and A6 are colourways of one product_code, A3 and A7 of another.
 */
export function scenario(): { dataset: Dataset; neighbours: NeighbourInput } {
  const A = scenarioArticleId;
  const rows: PurchaseRow[] = [
    { date: '2020-01-13', customer: 'c0', article: A(1) },
    { date: '2019-12-14', customer: 'c0', article: A(2) },
    { date: '2020-01-15', customer: 'c0', article: A(3) },
    { date: '2020-01-15', customer: 'c0', article: A(13) },
    { date: '2020-01-16', customer: 'c0', article: A(3) },
    { date: '2020-01-10', customer: 'c1', article: A(3) },
    { date: '2020-01-20', customer: 'c1', article: A(6) },
    ...['p1', 'p2', 'p3', 'p4'].map((c) => ({ date: '2020-01-10', customer: c, article: A(3) })),
    ...['p1', 'p2', 'p3'].map((c) => ({ date: '2020-01-12', customer: c, article: A(6) })),
    ...['p4', 'p5', 'p6'].map((c) => ({ date: '2020-01-12', customer: c, article: A(7) })),
    { date: '2019-12-01', customer: 'p5', article: A(8) },
    { date: '2020-01-18', customer: 'c3', article: A(7) },
  ];
  const dataset = datasetFromRows(rows, {
    customers: ['c0', 'c1', 'c2', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'c3'],
    articles: Array.from({ length: 14 }, (_, i) => A(i)),
  });
  const k = 2;
  const ids = new Int32Array(14 * k).fill(-1);
  const scores = new Float32Array(14 * k);
  const set = (a: number, j: number, b: number, s: number): void => {
    ids[a * k + j] = b;
    scores[a * k + j] = s;
  };
  set(1, 0, 3, 0.9);
  set(1, 1, 4, 0.5);
  set(2, 0, 5, 0.8);
  set(13, 0, 3, 0.7);
  set(13, 1, 6, 0.3);
  return { dataset, neighbours: { articleIds: Array.from({ length: 14 }, (_, i) => A(i)), k, ids, scores } };
}
