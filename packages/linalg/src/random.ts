import { mulberry32, normalDraws } from '@lookalike/core';

/**
 * A small seeded pseudo-random generator (core's mulberry32, kept beside its sfc32 `Rng` because the eigen-solver's
 * start vectors, hence the PCA model's bytes, are pinned to it). Used for the deterministic start vectors of the
 * eigen-solver and for synthetic test / benchmark data; it is not cryptographic.
 */
export class SeededRandom {
  private readonly uint32: () => number;
  private readonly normals = normalDraws(() => this.next());

  constructor(seed: number) {
    this.uint32 = mulberry32(seed);
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    return this.uint32();
  }

  /** Uniform in [0, 1), 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [-1, 1). */
  nextSigned(): number {
    return 2 * this.next() - 1;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  nextGaussian(): number {
    return this.normals();
  }
}
