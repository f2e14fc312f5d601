import { selectNeighbours, type KnnResult } from '../src';

function result(rows: number, k: number, pairs: Array<[number, number]>): KnnResult {
  return {
    rows,
    k,
    labels: Int32Array.from(pairs.map((p) => p[0])),
    distances: Float32Array.from(pairs.map((p) => p[1])),
  };
}

describe('selectNeighbours', () => {
  it('drops the row itself and orders ties by id', () => {
    // row 10: FAISS returned ties in arbitrary order
    const res = result(1, 6, [
      [7, 0.75],
      [10, 0.75],
      [3, 0.75],
      [12, 0.5],
      [4, 0.5],
      [1, 0.25],
    ]);
    const sel = selectNeighbours(res, 10, 4);
    expect(Array.from(sel.ids)).toEqual([3, 7, 4, 12]);
    expect(Array.from(sel.scores)).toEqual([0.75, 0.75, 0.5, 0.5]);
    expect(sel.unresolved).toEqual([]); // k-th score 0.5 > lowest returned 0.25
  });

  it('flags a row whose k-th score ties with the lowest returned score', () => {
    const res = result(2, 4, [
      [0, 1],
      [5, 0.5],
      [9, 0.5],
      [2, 0.5], // row 0: the tie at 0.5 may continue beyond the results
      [1, 1],
      [4, 0.75],
      [3, 0.6],
      [8, 0.5], // row 1: k-th = 0.6 > 0.5, decided
    ]);
    const sel = selectNeighbours(res, [0, 1], 2);
    expect(sel.unresolved).toEqual([0]);
    expect(Array.from(sel.ids.subarray(2))).toEqual([4, 3]);
    // with every index row returned, nothing is unresolved
    expect(selectNeighbours(res, [0, 1], 2, { complete: true }).unresolved).toEqual([]);
  });

  it('flags a row that did not get k other rows (self absent among ties, padding)', () => {
    const res = result(1, 3, [
      [4, 0.3],
      [-1, -Infinity],
      [-1, -Infinity],
    ]);
    const sel = selectNeighbours(res, 0, 2);
    expect(sel.unresolved).toEqual([0]);
    expect(Array.from(sel.ids)).toEqual([4, -1]);
  });

  it('needs more than k results per row', () => {
    expect(() =>
      selectNeighbours(
        result(1, 2, [
          [0, 1],
          [1, 1],
        ]),
        0,
        2,
      ),
    ).toThrow(/at least k \+ 1/);
  });
});
