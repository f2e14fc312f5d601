import { randomData } from '../test/helpers';
import { scenario } from '../test/scenario';
import { parseIsoDay } from './days';
import { prepareModel } from './prepare';

describe('prepareModel', () => {
  it('splits off the last 7 days, groups purchases by customer and counts popularity (hand-checked)', () => {
    const { dataset, neighbours } = scenario();
    const { model, report } = prepareModel(dataset, neighbours, { coldStartShare: 0.5 });
    expect(model.lastDay).toBe(parseIsoDay('2020-01-20'));
    expect(model.splitDay).toBe(parseIsoDay('2020-01-14'));
    expect(model.firstDay).toBe(parseIsoDay('2019-12-01'));
    const h = model.history;
    expect(Array.from(h.articles.subarray(h.offsets[0], h.offsets[1]))).toEqual([1, 2]);
    expect(Array.from(h.days.subarray(h.offsets[0], h.offsets[1]))).toEqual([
      parseIsoDay('2020-01-13'),
      parseIsoDay('2019-12-14'),
    ]);
    expect(h.offsets[3]! - h.offsets[2]!).toBe(0);
    const o = model.holdout;
    expect(Array.from(o.articles.subarray(o.offsets[0], o.offsets[1]))).toEqual([3, 13]);
    expect(Array.from(o.articles.subarray(o.offsets[1], o.offsets[2]))).toEqual([6]);
    expect(report).toEqual({
      addedArticles: 0,
      droppedNeighbourEntries: 0,
      historyRows: 14,
      holdoutRows: 5,
      holdoutPairs: 4,
      holdoutCustomers: 3,
      newArticles: 8,
      newArticlesSoldInHoldout: 1,
    });
    expect(Array.from(model.stats.windowSales)).toEqual([0, 1, 0, 5, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(model.popularityRanking)).toEqual([3, 6, 7, 1, 2, 8, 0, 4, 5, 9, 10, 11, 12, 13]);
    // A13 is new: it inherits 0.5 × (0.7·5 + 0.3·3) / (0.7 + 0.3) = 2.2.
    expect(model.stats.boostedPopularity[13]).toBeCloseTo(2.2, 5);
    expect(Array.from(model.boostedRanking)).toEqual([3, 6, 7, 13, 1, 2, 8, 0, 4, 5, 9, 10, 11, 12]);
    // Reverse links into the new A13 from A3 and A6.
    const c = model.coldLinks;
    expect(Array.from(c.ids.subarray(c.offsets[3], c.offsets[4]))).toEqual([13]);
    expect(Array.from(c.ids.subarray(c.offsets[6], c.offsets[7]))).toEqual([13]);
    expect(c.ids.length).toBe(2);
  });

  it('orders every history by day descending then article ascending, whatever the input order', () => {
    const { dataset, neighbours } = randomData(3);
    const { model, report } = prepareModel(dataset, neighbours, { holdoutDays: 10 });
    expect(report.addedArticles).toBe(3);
    expect(model.articles.size).toBe(dataset.articles.size);
    const { offsets, articles, days } = model.history;
    let rows = 0;
    for (let c = 0; c < model.customers.size; c++) {
      for (let j = offsets[c]! + 1; j < offsets[c + 1]!; j++) {
        expect(days[j - 1]! > days[j]! || (days[j - 1] === days[j] && articles[j - 1]! <= articles[j]!)).toBe(
          true,
        );
      }
      for (let j = offsets[c]!; j < offsets[c + 1]!; j++) expect(days[j]!).toBeLessThan(model.splitDay);
      rows += offsets[c + 1]! - offsets[c]!;
    }
    expect(rows + report.holdoutRows).toBe(dataset.transactions.length);
    expect(model.splitDay).toBe(model.lastDay - 9);
  });

  it('holdoutDays 0 keeps everything as history', () => {
    const { dataset, neighbours } = scenario();
    const { model, report } = prepareModel(dataset, neighbours, { holdoutDays: 0 });
    expect(report.holdoutRows).toBe(0);
    expect(model.splitDay).toBe(model.lastDay + 1);
    expect(() => prepareModel(dataset, neighbours, { holdoutDays: -1 })).toThrow('holdoutDays');
  });
});
