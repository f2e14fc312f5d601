import { AliasTable, Rng } from './random';

describe('AliasTable', () => {
  it('samples in proportion to the weights, after a rebuild too', () => {
    const table = new AliasTable(4);
    const rng = new Rng(11);
    for (const weights of [
      [1, 2, 3, 4],
      [0, 5, 0, 5],
    ]) {
      table.rebuild(weights, 4);
      const counts = [0, 0, 0, 0];
      for (let i = 0; i < 200_000; i++) counts[table.sample(rng)]!++;
      const total = weights.reduce((a, b) => a + b, 0);
      weights.forEach((w, i) => expect(counts[i]! / 200_000).toBeCloseTo(w / total, 2));
    }
  });
});
