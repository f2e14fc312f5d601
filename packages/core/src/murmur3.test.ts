import { fmix32 } from './murmur3';

describe('fmix32', () => {
  it("is murmur3's finaliser", () => {
    // MurmurHash3_x86_32 of the empty input with seed 1 is fmix32(1); of 'a' (seed 0) ends in fmix32(k ^ 1).
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(0)).toBe(0);
    expect(fmix32(0xffffffff)).toBe(fmix32(-1));
  });

  it('returns unsigned 32-bit values that spread consecutive inputs', () => {
    const bins = new Array<number>(1024).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const h = fmix32(i);
      expect(h >= 0 && h < 2 ** 32 && Number.isInteger(h)).toBe(true);
      bins[h & 1023]! += 1;
    }
    // ~98 a bin: a poor mix of consecutive inputs would leave bins empty or crowded.
    expect(Math.min(...bins)).toBeGreaterThan(50);
    expect(Math.max(...bins)).toBeLessThan(150);
  });
});
