/**
 * The project's seeded pseudo-random numbers (sfc32, seeded through splitmix32). Not cryptographic.
 * The sample generator's streams come from here (its output is pinned byte for byte), and so do the tests'
 * synthetic data.
 *
 * Every independent part of a computation can draw from its own stream, named by labels
 * (`streamFor(seed, 'image', i)`), so that the output does not depend on the order in which parts are
 * produced and turning one part off leaves the others byte-identical.
 */

import { fmix32 } from './murmur3';

/** 32-bit FNV-1a of a string. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit hash of a sequence of numbers and strings (order matters). */
export function hash32(...parts: (number | string)[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    const v = typeof part === 'string' ? fnv1a(part) : fmix32((part | 0) ^ Math.floor(part / 4294967296));
    h = fmix32((h ^ v) + 0x6d2b79f5 + Math.imul(h, 31));
  }
  return h >>> 0;
}

/**
 * Standard normal draws from a uniform source in [0, 1): Box–Muller, the second value of each pair given at
 * the next call.
 */
export function normalDraws(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const cached = spare;
      spare = undefined;
      return cached;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * mulberry32: uint32 values from a 32-bit seed. Kept beside sfc32 (`Rng`) for the outputs pinned to it: linalg's
 * eigen-solver start vectors (so the PCA model's bytes) and the benchmark corpora behind docs/benchmarks.md.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly normals = normalDraws(() => this.float());

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) (32 random bits). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi]. */
  intBetween(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    return this.normals();
  }

  /** Exponential with mean 1. */
  exp(): number {
    return -Math.log(1 - this.float());
  }

  /** exp(N(mu, sigma)). */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Number of failures before the first success, success probability p (mean (1-p)/p). */
  geometric(p: number): number {
    if (p >= 1) return 0;
    return Math.floor(Math.log(1 - this.float()) / Math.log(1 - p));
  }

  /** Index drawn with probability proportional to `weights[i]` (linear scan; for short lists). */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] as number;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] as number;
      if (x < 0) return i;
    }
    // Rounding left x ≥ 0: the last positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return i;
    return 0;
  }

  /** `k` distinct indices of [0, n) drawn with probability proportional to weight, without replacement. */
  weightedDistinct(weights: ArrayLike<number>, k: number): number[] {
    const w = new Float64Array(weights.length);
    let positive = 0;
    for (let i = 0; i < w.length; i++) w[i] = weights[i]!;
    for (let i = 0; i < w.length; i++) if (w[i]! > 0) positive++;
    const out: number[] = [];
    let total = 0;
    for (let i = 0; i < w.length; i++) if (w[i]! > 0) total += w[i]!;
    while (out.length < k && positive > 0) {
      let x = this.float() * total;
      let pick = -1;
      for (let i = 0; i < w.length; i++) {
        if (w[i]! <= 0) continue;
        pick = i;
        x -= w[i]!;
        if (x < 0) break;
      }
      out.push(pick);
      total -= w[pick]!;
      w[pick] = 0;
      positive--;
    }
    return out;
  }
}

/** The stream named by `labels` under `seed`. */
export function streamFor(seed: number, ...labels: (number | string)[]): Rng {
  return new Rng(hash32(seed, ...labels));
}
