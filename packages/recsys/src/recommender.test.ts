import { randomData } from '../test/helpers';
import { scenario } from '../test/scenario';
import { prepareModel } from './prepare';
import { recommendRange } from './recommend-range';
import { METHODS, Recommender, type Method } from './recommender';
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
    expect(new Recommender(model, { ...plain, useColdLinks: false }).recommendIds('c1')!.slice(0, 3)).toEqual(
      [3, 6, 7].map((a) => model.articles.id(a)),
    );
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

  it('evaluates: c0 hits A3 at rank 2 and the new A13 at rank 8; c1 hits A6 at rank 3', () => {
    const res = recommendRange(model, 0, model.customers.size, plain);
    const visual = res.evaluation.visual!;
    expect(visual.evaluated).toBe(2);
    const v = combineEvaluations([visual]);
    expect(v.map12).toBeCloseTo(((1 / 2 + 2 / 8) / 2 + 1 / 3) / 2, 15);
    expect(v.recall12).toBe(1);
    expect(v.newArticles).toEqual({ evaluated: 1, map12: 1 / 8, recall12: 1 });
    // Popularity: c0's A3 at rank 1 (A13 absent): 1/2; c1's A6 at rank 2: 1/2.
    const p = combineEvaluations([res.evaluation.popularity!]);
    expect(p.map12).toBeCloseTo(0.5, 15);
    expect(p.newArticles.map12).toBe(0);
  });

  it('recommendIds answers by customer id; unknown customers get undefined', () => {
    expect(r.recommendIds('c0')).toEqual(
      [1, 3, 2, 4, 5, 6, 7, 13, 8, 0, 9, 10].map((a) => model.articles.id(a)),
    );
    expect(r.recommendIds('nobody')).toBeUndefined();
  });
});

describe('Recommender (random data, default options)', () => {
  it.each([1, 2, 3])('always gives 12 distinct valid articles (seed %i)', (seed) => {
    const { dataset, neighbours } = randomData(seed);
    const { model } = prepareModel(dataset, neighbours);
    for (const options of [{}, { excludePurchased: true }, { maxHistoryPurchases: 1, selfSimilarity: 0 }]) {
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
    expect(recommend(r, 0, 'visual').slice(0, 2)).toEqual([1, 2]);
    expect(() => new Recommender(model, { recencyHalfLifeDays: 0 })).toThrow('recencyHalfLifeDays');
    expect(() => r.recommend(99, 'visual', new Int32Array(12))).toThrow('out of range');
  });
});
