import { randomData } from '../test/helpers';
import { combineEvaluations, parseEvaluationPartial } from './evaluation';
import { METHODS } from './recommender';
import { prepareModel } from './prepare';
import { recommendRange, recommendRangeAsync, splitRanges } from './recommend-range';

describe('recommendRange', () => {
  const { dataset, neighbours } = randomData(5, 400, 150, 8000, 90);
  const { model } = prepareModel(dataset, neighbours);
  const n = model.customers.size;
  const whole = recommendRange(model, 0, n);

  it.each([2, 3, 7, 64])(
    'summed over %i ranges gives exactly the single-pass metrics and predictions',
    (parts) => {
      const ranges = splitRanges(n, parts);
      expect(ranges[0]![0]).toBe(0);
      expect(ranges[ranges.length - 1]![1]).toBe(n);
      const results = ranges.map(([s, e]) => recommendRange(model, s, e));
      for (const m of METHODS) {
        // Partials travel as JSON between processes.
        const partials = results.map((r) =>
          parseEvaluationPartial(JSON.parse(JSON.stringify(r.evaluation[m]))),
        );
        expect(combineEvaluations(partials)).toEqual(combineEvaluations([whole.evaluation[m]!]));
        const joined = new Int32Array(n * 12);
        results.forEach((r) => joined.set(r.predictions[m]!, r.customerStart * 12));
        expect(joined).toEqual(whole.predictions[m]);
      }
    },
  );

  it('the whole-range figures are sensible', () => {
    const v = combineEvaluations([whole.evaluation.visual!]);
    expect(v.customers).toBe(n);
    expect(v.evaluated).toBeGreaterThan(10);
    expect(v.map12).toBeGreaterThan(0);
    expect(v.coverage).toBeGreaterThan(0);
    expect(v.coverage).toBeLessThanOrEqual(1);
  });

  it('the async version yields and gives the same result', async () => {
    let progress = 0;
    const r = await recommendRangeAsync(model, 10, n - 10, {
      yieldEveryMs: 1,
      onProgress: (d) => (progress = d),
    });
    expect(progress).toBe(n - 20);
    const direct = recommendRange(model, 10, n - 10);
    expect(r.predictions).toEqual(direct.predictions);
    expect(r.evaluation).toEqual(direct.evaluation);
    const ac = new AbortController();
    ac.abort();
    await expect(recommendRangeAsync(model, 0, n, { signal: ac.signal })).rejects.toThrow();
  });

  it('validates its arguments', () => {
    expect(() => recommendRange(model, 5, 4)).toThrow('customer range');
    expect(() => recommendRange(model, 0, n + 1)).toThrow('customer range');
    expect(() => recommendRange(model, 0, 1, { methods: ['visual', 'visual'] })).toThrow('twice');
    expect(recommendRange(model, 0, 3, { methods: ['popularity'], evaluate: false }).evaluation).toEqual({});
    expect(splitRanges(2, 5)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(splitRanges(0, 3)).toEqual([[0, 0]]);
  });
});
