import { randomData } from '../test/helpers';
import { scenario } from '../test/scenario';
import { prepareModel } from './prepare';
import { recommendRange } from './recommend-range';
import { DEFAULT_METHOD, METHODS, Recommender, type Method } from './recommender';
import { noNeighbours } from './neighbours';
import { combineEvaluations } from './evaluation';

function recommend(r: Recommender, c: number, method: Method): number[] {
  const out = new Int32Array(12);
  r.recommend(c, method, out);
  return Array.from(out);
}

describe('Recommender (hand-checked scenario, no popularity prior)', () => {
  const { dataset, neighbours } = scenario();
  const { model } = prepareModel(dataset, neighbours, { coldStartShare: 0.5 });
  const plain = { popularityPriorWeight: 0, selfSimilarity: 1, recencyHalfLifeDays: 30 };
  const r = new Recommender(model, plain);

  it('visual: neighbours of purchases weighted by recency, ties by index, filled with boosted popularity', () => {
    // c0: A1 1 (self, age 0), A3 0.9, A2 0.5 (self, age 30 = one half-life), A4 0.5 (tie: index 2 < 4), A5 0.4.
    expect(recommend(r, 0, 'visual')).toEqual([1, 3, 2, 4, 5, 6, 7, 13, 8, 0, 9, 10]);
    // c1: A3 (self), then the new A13 through the reverse link from A3 (A3's own list does not name it).
    expect(recommend(r, 1, 'visual')).toEqual([3, 13, 6, 7, 1, 2, 8, 0, 4, 5, 9, 10]);
    // c2 has no history: the boosted ranking, where the new A13 ranks 4th on its look.
    expect(recommend(r, 2, 'visual')).toEqual([3, 6, 7, 13, 1, 2, 8, 0, 4, 5, 9, 10]);
    expect(
      new Recommender(model, { ...plain, useColdLinks: false }).recommendIds('c1', 'visual')!.slice(0, 3),
    ).toEqual([3, 6, 7].map((a) => model.articles.id(a)));
  });

  it('visual with excludePurchased leaves out what the customer bought', () => {
    const x = new Recommender(model, { ...plain, excludePurchased: true });
    expect(recommend(x, 0, 'visual')).toEqual([3, 4, 5, 6, 7, 13, 8, 0, 9, 10, 11, 12]);
  });

  it('baselines: popularity of the last history week; own purchases most recent first', () => {
    expect(recommend(r, 0, 'popularity')).toEqual([3, 6, 7, 1, 2, 8, 0, 4, 5, 9, 10, 11]);
    expect(recommend(r, 2, 'popularity')).toEqual([3, 6, 7, 1, 2, 8, 0, 4, 5, 9, 10, 11]);
    expect(recommend(r, 0, 'repurchase')).toEqual([1, 2, 3, 6, 7, 8, 0, 4, 5, 9, 10, 11]);
    expect(recommend(r, 2, 'repurchase')).toEqual(recommend(r, 2, 'popularity'));
  });

  it('evaluates: c0 hits A3 at rank 2 and the new A13 at rank 8; c1 hits A6 at rank 3; new customer c3 A7 at 3', () => {
    const res = recommendRange(model, 0, model.customers.size, plain);
    const visual = res.evaluation.visual!;
    expect(visual.evaluated).toBe(3);
    const v = combineEvaluations([visual]);
    expect(v.map12).toBeCloseTo(((1 / 2 + 2 / 8) / 2 + 1 / 3 + 1 / 3) / 3, 15);
    expect(v.recall12).toBe(1);
    expect(v.newArticles).toEqual({ evaluated: 1, map12: 1 / 8, recall12: 1 });
    // c3 has no purchase before the split: the boosted ranking, A7 at rank 3.
    expect(v.newCustomers).toEqual({ evaluated: 1, map12: 1 / 3, recall12: 1 });
    // Popularity: c0's A3 at rank 1 (A13 absent): 1/2; c1's A6 at rank 2: 1/2; c3's A7 at rank 3.
    const p = combineEvaluations([res.evaluation.popularity!]);
    expect(p.map12).toBeCloseTo((1 / 2 + 1 / 2 + 1 / 3) / 3, 15);
    expect(p.newArticles.map12).toBe(0);
    expect(p.newCustomers.map12).toBeCloseTo(1 / 3, 15);
  });

  it('recommendIds answers by customer id with the hybrid unless told otherwise; unknown customers get undefined', () => {
    expect(r.recommendIds('c0', 'visual')).toEqual(
      [1, 3, 2, 4, 5, 6, 7, 13, 8, 0, 9, 10].map((a) => model.articles.id(a)),
    );
    const out = new Int32Array(12);
    r.recommend(0, DEFAULT_METHOD, out);
    expect(DEFAULT_METHOD).toBe('hybrid');
    expect(r.recommendIds('c0')).toEqual(Array.from(out, (a) => model.articles.id(a)));
    expect(r.recommendIds('nobody')).toBeUndefined();
  });
});

describe('Recommender: hybrid and same-product (hand-checked scenario)', () => {
  const { dataset, neighbours } = scenario();
  const { model } = prepareModel(dataset, neighbours);
  // Weights chosen to make the arithmetic visible; trend half-life so long that the window's sales weigh alike.
  const hand = {
    recencyHalfLifeDays: 30,
    repurchaseWeight: 1,
    sameProductWeight: 0.5,
    visualWeight: 0.5,
    newArrivalWeight: 1,
    trendingWeight: 1,
    activeWindowDays: 28,
    trendWindowDays: 7,
    trendHalfLifeDays: 1e6,
  };
  const r = new Recommender(model, hand);

  it('knows what still sells and what trends: the last 28 and 7 days before the split', () => {
    // Window 2019-12-17 … 2020-01-13: A1 1 (c0), A3 5, A6 3, A7 3; A2 (12-14) and A8 (12-01) are older.
    expect(Array.from(r.activity.recentSales)).toEqual([0, 1, 0, 5, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0]);
    expect(r.activity.trend[3]).toBe(1);
    expect(r.activity.trend[6]).toBeCloseTo(0.6, 5);
    expect(r.activity.trend[1]).toBeCloseTo(0.2, 5);
    expect(Array.from(r.activity.trendRanking.subarray(0, 6))).toEqual([3, 6, 7, 1, 2, 8]);
    // Colourways by product_code: A1 with A6, A3 with A7.
    const { productOf } = r.products;
    expect(productOf[1]).toBe(productOf[6]);
    expect(productOf[3]).toBe(productOf[7]);
    expect(new Set(productOf).size).toBe(12);
  });

  it('hybrid: one score from repurchase, colourways, look-alikes still on sale, new arrivals and the trend', () => {
    // c0: A1 (age 0, w 1) and A2 (age 30, w 0.5; no longer selling, so no repurchase).
    //   A3 = 0.5·0.9 (A1's neighbour) + trend 1 = 1.45; A1 = 1 (repurchase) + 0.2 = 1.2; A6 = 0.5 (A1's colourway)
    //   + 0.6 = 1.1; A7 = trend 0.6; A4 = 1·0.5 (new, A1's neighbour) = 0.5; A5 = 1·0.5·0.8 (new, A2's) = 0.4;
    //   the rest from the trending ranking.
    expect(recommend(r, 0, 'hybrid')).toEqual([3, 1, 6, 7, 4, 5, 2, 8, 0, 9, 10, 11]);
    // c1: A3 (age 3): A3 = w + 1; A7 = 0.5 w + 0.6 (A3's colourway); the new A13 = 1·w·0.7 (reverse link).
    expect(recommend(r, 1, 'hybrid')).toEqual([3, 7, 13, 6, 1, 2, 8, 0, 4, 5, 9, 10]);
    // No history: the trending ranking.
    expect(recommend(r, 2, 'hybrid')).toEqual(Array.from(r.activity.trendRanking.subarray(0, 12)));
    // Without the trend, c0 gets its history sources first: A1 1, A4 0.5 and A6 0.5 (tie: index), A3 0.45, A5 0.4;
    // then the trending ranking (A7).
    const noTrend = new Recommender(model, { ...hand, trendingWeight: 0 });
    expect(recommend(noTrend, 0, 'hybrid').slice(0, 6)).toEqual([1, 4, 6, 3, 5, 7]);
  });

  it('same-product: the other colourways of the purchases, filled with popularity', () => {
    expect(recommend(r, 0, 'same-product')).toEqual([6, 3, 7, 1, 2, 8, 0, 4, 5, 9, 10, 11]);
    expect(recommend(r, 1, 'same-product')).toEqual([7, 3, 6, 1, 2, 8, 0, 4, 5, 9, 10, 11]);
    expect(recommend(r, 2, 'same-product')).toEqual(recommend(r, 2, 'popularity'));
  });

  it('evaluates the hybrid: c0 A3 at rank 1 of 2 bought, c1 A6 at rank 4, c3 (new customer) A7 at rank 3', () => {
    const h = combineEvaluations([recommendRange(model, 0, model.customers.size, hand).evaluation.hybrid!]);
    expect(h.map12).toBeCloseTo((1 / 2 + 1 / 4 + 1 / 3) / 3, 15);
    expect(h.newCustomers).toEqual({ evaluated: 1, map12: 1 / 3, recall12: 1 });
  });

  it('uses the options recorded in the model, overrides on top', () => {
    const recorded = prepareModel(dataset, neighbours, { recommend: hand }).model;
    expect(recorded.recommendOptions).toMatchObject(hand);
    expect(recommend(new Recommender(recorded), 0, 'hybrid')).toEqual(recommend(r, 0, 'hybrid'));
    expect(new Recommender(recorded, { trendingWeight: 0 }).options.trendingWeight).toBe(0);
    expect(() => prepareModel(dataset, neighbours, { recommend: { visualWeight: -1 } })).toThrow(
      'visualWeight',
    );
    expect(() => prepareModel(dataset, neighbours, { recommend: { bogus: 1 } as object })).toThrow('unknown');
  });
});

describe('Recommender (random data, default options)', () => {
  it.each([1, 2, 3])('always gives 12 distinct valid articles (seed %i)', (seed) => {
    const { dataset, neighbours } = randomData(seed);
    const { model } = prepareModel(dataset, neighbours);
    for (const options of [
      {},
      { excludePurchased: true },
      { maxHistoryPurchases: 1, selfSimilarity: 0 },
      { selfSimilarity: 2, popularityPriorWeight: 0.5, trendingWeight: 0, visualWeight: 1 },
    ]) {
      const r = new Recommender(model, options);
      const bad: string[] = [];
      for (let c = 0; c < model.customers.size; c++) {
        for (const m of METHODS) {
          const got = recommend(r, c, m);
          if (new Set(got).size !== 12 || got.some((a) => !(a >= 0 && a < model.articles.size)))
            bad.push(`${c} ${m}: ${got.join(' ')}`);
        }
      }
      expect(bad).toEqual([]);
    }
  });

  it('works without neighbours and rejects bad options', () => {
    const { dataset } = scenario();
    const { model } = prepareModel(dataset, noNeighbours());
    const r = new Recommender(model);
    // Visual alone has nothing to go on: the boosted ranking; with self-similarity, own purchases first.
    expect(recommend(r, 0, 'visual')).toEqual(Array.from(model.boostedRanking.subarray(0, 12)));
    expect(recommend(new Recommender(model, { selfSimilarity: 1 }), 0, 'visual').slice(0, 2)).toEqual([1, 2]);
    expect(() => new Recommender(model, { recencyHalfLifeDays: 0 })).toThrow('recencyHalfLifeDays');
    expect(() => r.recommend(99, 'visual', new Int32Array(12))).toThrow('out of range');
  });
});
