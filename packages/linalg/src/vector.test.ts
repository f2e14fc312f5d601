import { dot, l2Norm, l2Normalise, signedPower } from './vector';

describe('dot / l2Norm', () => {
  it('computes dot products, with offsets and lengths', () => {
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(dot(Float32Array.from([9, 1, 2]), Float64Array.from([0, 3, 4, 9]), 2, 1, 1)).toBe(11);
    expect(l2Norm([3, 4])).toBe(5);
    expect(l2Norm([0, 0, 3, 4], 2, 2)).toBe(5);
    expect(() => dot([1, 2], [1], 2)).toThrow(RangeError);
  });
});

describe('l2Normalise', () => {
  it('scales every row to unit length in place and leaves zero rows zero', () => {
    const rows = Float32Array.from([3, 4, 0, 0, 0, 0, 0, 0, -1, 1, 1, 1]);
    expect(l2Normalise(rows, 4)).toBe(1);
    expect(Array.from(rows.subarray(0, 4))).toEqual([0.6000000238418579, 0.800000011920929, 0, 0]);
    expect(Array.from(rows.subarray(4, 8))).toEqual([0, 0, 0, 0]);
    expect(Array.from(rows.subarray(8))).toEqual([-0.5, 0.5, 0.5, 0.5]);
  });

  it('handles Float64Array rows, including squares that would overflow', () => {
    const rows = Float64Array.from([1e200, 1e200, 1e-200, 0]);
    expect(l2Normalise(rows, 2)).toBe(0);
    expect(rows[0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(rows[1]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(rows[2]).toBe(1);
  });

  it('rejects non-finite rows and bad shapes', () => {
    expect(() => l2Normalise(Float32Array.from([1, NaN]), 2)).toThrow(/row 0 contains a non-finite value/);
    expect(() => l2Normalise(Float32Array.from([1, 2, 3]), 2)).toThrow(RangeError);
    expect(() => l2Normalise(Float32Array.from([1, 2]), 0)).toThrow(RangeError);
  });
});

describe('signedPower', () => {
  it('raises magnitudes to the power and keeps signs; power 1 changes nothing', () => {
    const v = Float32Array.from([4, -9, 0, 0.25, -1]);
    signedPower(v, 0.5);
    expect(Array.from(v)).toEqual([2, -3, 0, 0.5, -1]);
    const same = Float32Array.from([3, -2]);
    signedPower(same, 1);
    expect(Array.from(same)).toEqual([3, -2]);
    expect(() => signedPower(v, 0)).toThrow(RangeError);
    expect(() => signedPower(v, 1.5)).toThrow(RangeError);
  });
});
