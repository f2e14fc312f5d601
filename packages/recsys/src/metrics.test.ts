import { rng } from '../test/helpers';
import { EvaluationAccumulator, combineEvaluations, parseEvaluationPartial } from './evaluation';
import { ExactSum } from './exact-sum';
import { averagePrecisionAtK, meanAveragePrecisionAtK, recallAtK } from './metrics';

const set = (s: string): Set<string> => new Set(s.split(''));
const list = (s: string): string[] => s.split('');

describe('AP@12 as the competition defines it', () => {
  it('hand-computed cases', () => {
    // Hits at ranks 1 and 3 of 3 relevant: (1/1 + 2/3) / 3.
    expect(averagePrecisionAtK(set('abc'), list('axbyzwvutsrq'))).toBeCloseTo((1 + 2 / 3) / 3, 15);
    // A duplicate counts only at its first occurrence but still takes its rank: (1/1 + 2/3) / 2.
    expect(averagePrecisionAtK(set('ab'), list('aab'))).toBeCloseTo((1 + 2 / 3) / 2, 15);
    expect(averagePrecisionAtK(set('a'), list('aaaa'))).toBe(1);
    // Nothing relevant, or nothing bought.
    expect(averagePrecisionAtK(set('a'), list('bcd'))).toBe(0);
    expect(averagePrecisionAtK(new Set<string>(), list('abc'))).toBe(0);
    // Only the first 12 predictions count.
    expect(averagePrecisionAtK(set('z'), list('abcdefghijklz'))).toBe(0);
    expect(averagePrecisionAtK(set('l'), list('abcdefghijklz'))).toBeCloseTo(1 / 12, 15);
  });

  it('customers with more than 12 holdout purchases: the denominator stops at 12', () => {
    const bought = set('ABCDEFGHIJKLMNOPQRST'); // 20 articles
    expect(averagePrecisionAtK(bought, list('ABCDEFGHIJKL'))).toBe(1);
    // Hits at ranks 1 and 12 only: (1/1 + 2/12) / 12.
    expect(averagePrecisionAtK(bought, list('Axxxxxxxxxxxxx'.slice(0, 11) + 'B'))).toBeCloseTo(
      (1 + 2 / 12) / 12,
      15,
    );
    expect(recallAtK(bought, list('ABCDEFGHIJKL'))).toBeCloseTo(12 / 20, 15);
    expect(recallAtK(set('ab'), list('aab'))).toBe(1);
  });

  it('MAP@12 averages over customers who bought', () => {
    const actual = new Map([
      ['c1', set('ab')],
      ['c2', set('x')],
      ['c3', new Set<string>()],
    ]);
    const predicted = new Map([['c1', list('ab')]]);
    expect(meanAveragePrecisionAtK(actual, predicted)).toBe(0.5);
  });
});

describe('ExactSum', () => {
  it('is exact and independent of order and of how the terms are split', () => {
    const tenth = new ExactSum();
    for (let i = 0; i < 10; i++) tenth.add(0.1);
    expect(tenth.value()).toBe(1);
    const r = rng(7);
    const values = Array.from(
      { length: 5000 },
      () => (r() ** 3 * (r() < 0.5 ? 1e-9 : 1)) / (1 + Math.floor(r() * 12)),
    );
    const whole = new ExactSum();
    values.forEach((v) => whole.add(v));
    const reversed = new ExactSum();
    [...values].reverse().forEach((v) => reversed.add(v));
    const parts = [new ExactSum(), new ExactSum(), new ExactSum()];
    values.forEach((v, i) => parts[(i * 7) % 3]!.add(v));
    const merged = ExactSum.fromJSON(JSON.parse(JSON.stringify(parts[2])));
    merged.merge(parts[0]!);
    merged.merge(parts[1]!);
    expect(reversed.value()).toBe(whole.value());
    expect(merged.value()).toBe(whole.value());
    expect(() => whole.add(NaN)).toThrow('not finite');
  });
});

describe('EvaluationAccumulator', () => {
  it('matches the reference AP@12 / recall@12, including duplicates and new-article restriction', () => {
    const r = rng(11);
    const nA = 30;
    const historySales = Int32Array.from({ length: nA }, (_, a) => (a % 4 === 0 ? 0 : 1 + a)); // a % 4 == 0: new
    const acc = new EvaluationAccumulator('m', historySales);
    let apSum = 0;
    let recallSum = 0;
    let evaluated = 0;
    let newAp = 0;
    let newEvaluated = 0;
    const recommended = new Set<number>();
    for (let c = 0; c < 400; c++) {
      const pred = Int32Array.from({ length: 12 }, () => Math.floor(r() * nA)); // duplicates likely
      pred.forEach((a) => recommended.add(a));
      const bought = [
        ...new Set(Array.from({ length: Math.floor(r() * 16) }, () => Math.floor(r() * nA))),
      ].sort((x, y) => x - y);
      acc.addCustomer(pred, 0, Int32Array.from(bought), 0, bought.length);
      if (bought.length > 0) {
        evaluated++;
        apSum += averagePrecisionAtK(new Set(bought), Array.from(pred));
        recallSum += recallAtK(new Set(bought), Array.from(pred));
        const fresh = bought.filter((a) => historySales[a] === 0);
        if (fresh.length > 0) {
          newEvaluated++;
          newAp += averagePrecisionAtK(new Set(fresh), Array.from(pred));
        }
      }
    }
    const res = acc.result();
    expect(res.customers).toBe(400);
    expect(res.evaluated).toBe(evaluated);
    expect(res.map12).toBeCloseTo(apSum / evaluated, 12);
    expect(res.recall12).toBeCloseTo(recallSum / evaluated, 12);
    expect(res.newArticles.evaluated).toBe(newEvaluated);
    expect(res.newArticles.map12).toBeCloseTo(newAp / newEvaluated, 12);
    expect(res.recommendedArticles).toBe(recommended.size);
    expect(res.coverage).toBe(recommended.size / nA);
    const roundTrip = combineEvaluations([
      parseEvaluationPartial(JSON.parse(JSON.stringify(acc.toPartial()))),
    ]);
    expect(roundTrip).toEqual(res);
  });

  it('hand-computed: a customer with 13 holdout purchases, 2 of them new', () => {
    const historySales = new Int32Array(40).fill(5);
    historySales[30] = 0;
    historySales[31] = 0;
    const acc = new EvaluationAccumulator('m', historySales);
    const bought = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 31]);
    // Ranks: 1 → 0 (hit), 2 → 31 (hit, new), 3 → 20, 4 → 0 again (duplicate), 5 → 30 (hit, new), rest misses.
    const pred = Int32Array.from([0, 31, 20, 0, 30, 21, 22, 23, 24, 25, 26, 27]);
    acc.addCustomer(pred, 0, bought, 0, bought.length);
    const res = acc.result();
    expect(res.map12).toBeCloseTo((1 + 2 / 2 + 3 / 5) / 12, 15);
    expect(res.recall12).toBeCloseTo(3 / 13, 15);
    expect(res.newArticles.map12).toBeCloseTo((1 / 2 + 2 / 5) / 2, 15);
    expect(res.newArticles.recall12).toBe(1);
  });
});
