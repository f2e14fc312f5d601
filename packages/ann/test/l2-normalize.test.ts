import { l2NormalizeRows } from '../src';

describe('l2NormalizeRows', () => {
  it('normalises rows in place and leaves zero rows alone', () => {
    const v = new Float32Array([3, 4, 0, 0, 1, 1]);
    const { vectors, zeroRows } = l2NormalizeRows(v, 2);
    expect(vectors).toBe(v);
    expect(zeroRows).toBe(1);
    expect(Array.from(v)).toEqual([
      0.6000000238418579,
      0.800000011920929,
      0,
      0,
      Math.fround(Math.SQRT1_2),
      Math.fround(Math.SQRT1_2),
    ]);
    expect(() => l2NormalizeRows(new Float32Array(3), 2)).toThrow(/multiple/);
  });
});
